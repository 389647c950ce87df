/// A node attribute value as a `GraphBuilder` caller writes it.
///
/// Strings are Swift strings (stored as UTF-8); use `.bytes` for a STRING attribute
/// that is not text. Each case maps to exactly one ONNX `AttributeProto.AttributeType`,
/// and the builder checks that type against the operator schema, so an integer
/// attribute must be written `.int(1)` and a float one `.float(1)`.
public enum AttributeValue: Hashable, Sendable {
    /// FLOAT.
    case float(Float)
    /// INT.
    case int(Int64)
    /// STRING holding text (stored as UTF-8).
    case string(String)
    /// STRING holding arbitrary bytes.
    case bytes([UInt8])
    /// TENSOR.
    case tensor(Tensor)
    /// GRAPH: a body for If/Loop/Scan, usually made with `GraphBuilder.subgraph`.
    case graph(Graph)
    /// SPARSE_TENSOR.
    case sparseTensor(SparseTensor)
    /// TYPE_PROTO.
    case typeProto(TypeProto)
    /// FLOATS.
    case floats([Float])
    /// INTS.
    case ints([Int64])
    /// STRINGS (each stored as UTF-8).
    case strings([String])
    /// TENSORS.
    case tensors([Tensor])
    /// GRAPHS.
    case graphs([Graph])
    /// SPARSE_TENSORS.
    case sparseTensors([SparseTensor])
    /// TYPE_PROTOS.
    case typeProtos([TypeProto])

    /// An INT attribute holding 1 for true and 0 for false (ONNX has no bool attribute).
    public static func bool(_ value: Bool) -> AttributeValue { .int(value ? 1 : 0) }

    /// An INT attribute holding an element type code (for `Cast.to`, `dtype`, ...).
    public static func dataType(_ type: DataType) -> AttributeValue { .int(Int64(type.rawValue)) }

    /// The ONNX attribute type this value is written as.
    public var type: AttributeType {
        switch self {
        case .float: return .float
        case .int: return .int
        case .string, .bytes: return .string
        case .tensor: return .tensor
        case .graph: return .graph
        case .sparseTensor: return .sparseTensor
        case .typeProto: return .typeProto
        case .floats: return .floats
        case .ints: return .ints
        case .strings: return .strings
        case .tensors: return .tensors
        case .graphs: return .graphs
        case .sparseTensors: return .sparseTensors
        case .typeProtos: return .typeProtos
        }
    }

    /// The IR form of this value (`Attribute.Value`).
    public var irValue: Attribute.Value {
        switch self {
        case .float(let v): return .float(v)
        case .int(let v): return .int(v)
        case .string(let v): return .string(ByteBuffer(utf8: v))
        case .bytes(let v): return .string(ByteBuffer(v))
        case .tensor(let v): return .tensor(v)
        case .graph(let v): return .graph(v)
        case .sparseTensor(let v): return .sparseTensor(v)
        case .typeProto(let v): return .typeProto(v)
        case .floats(let v): return .floats(v)
        case .ints(let v): return .ints(v)
        case .strings(let v): return .strings(v.map { ByteBuffer(utf8: $0) })
        case .tensors(let v): return .tensors(v)
        case .graphs(let v): return .graphs(v)
        case .sparseTensors(let v): return .sparseTensors(v)
        case .typeProtos(let v): return .typeProtos(v)
        }
    }

    /// The graphs this value holds (one for GRAPH, several for GRAPHS, none otherwise).
    var graphValues: [Graph] {
        switch self {
        case .graph(let g): return [g]
        case .graphs(let gs): return gs
        default: return []
        }
    }

    /// The value of an INT attribute.
    var intValue: Int64? { if case .int(let v) = self { return v } else { return nil } }
    /// The value of an INTS attribute.
    var intsValue: [Int64]? { if case .ints(let v) = self { return v } else { return nil } }
    /// The value of a FLOATS attribute.
    var floatsValue: [Float]? { if case .floats(let v) = self { return v } else { return nil } }
    /// The value of a STRINGS attribute.
    var stringsValue: [String]? { if case .strings(let v) = self { return v } else { return nil } }
    /// The text of a STRING attribute.
    var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        default: return nil
        }
    }
    /// The tensor of a TENSOR attribute.
    var tensorValue: Tensor? { if case .tensor(let t) = self { return t } else { return nil } }
}
