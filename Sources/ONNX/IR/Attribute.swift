/// The kind of value an attribute holds (`AttributeProto.AttributeType`).
public struct AttributeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public static let undefined = AttributeType(rawValue: 0)
    public static let float = AttributeType(rawValue: 1)
    public static let int = AttributeType(rawValue: 2)
    public static let string = AttributeType(rawValue: 3)
    public static let tensor = AttributeType(rawValue: 4)
    public static let graph = AttributeType(rawValue: 5)
    public static let floats = AttributeType(rawValue: 6)
    public static let ints = AttributeType(rawValue: 7)
    public static let strings = AttributeType(rawValue: 8)
    public static let tensors = AttributeType(rawValue: 9)
    public static let graphs = AttributeType(rawValue: 10)
    public static let sparseTensor = AttributeType(rawValue: 11)
    public static let sparseTensors = AttributeType(rawValue: 12)
    public static let typeProto = AttributeType(rawValue: 13)
    public static let typeProtos = AttributeType(rawValue: 14)

    public var description: String {
        let names = ["UNDEFINED", "FLOAT", "INT", "STRING", "TENSOR", "GRAPH", "FLOATS", "INTS", "STRINGS",
                     "TENSORS", "GRAPHS", "SPARSE_TENSOR", "SPARSE_TENSORS", "TYPE_PROTO", "TYPE_PROTOS"]
        return rawValue >= 0 && Int(rawValue) < names.count ? names[Int(rawValue)] : "TYPE(\(rawValue))"
    }
}

/// A node attribute (`AttributeProto`), stored field by field as in the file.
///
/// `value` gives the typed view that builders and ops use; the stored fields keep a
/// decoded attribute exactly as it came (an attribute may legally carry stray fields).
public struct Attribute: Hashable, Sendable {
    public var name: String?
    public var refAttrName: String?
    public var docString: String?
    public var type: AttributeType?
    public var f: Float?
    public var i: Int64?
    public var s: ByteBuffer?
    public var t: Tensor?
    /// Graph value; stored in an array because a graph can contain this attribute.
    public var g: Graph? {
        get { gStorage.first }
        set { gStorage = newValue.map { [$0] } ?? [] }
    }
    var gStorage: [Graph] = []
    public var sparseTensor: SparseTensor?
    public var tp: TypeProto?
    public var floats: [Float] = []
    public var ints: [Int64] = []
    public var strings: [ByteBuffer] = []
    public var tensors: [Tensor] = []
    public var graphs: [Graph] = []
    public var sparseTensors: [SparseTensor] = []
    public var typeProtos: [TypeProto] = []
    public var unknownFields: [UnknownField] = []
    /// Large `floats`, `ints` or `strings` still in the file they were decoded from (see
    /// `DeferredAttributeArrays`); the corresponding arrays above are then empty, and
    /// `value` reads them.
    public var deferredArrays: DeferredAttributeArrays?

    public init(name: String?) { self.name = name }

    /// A typed attribute value.
    public enum Value: Hashable, Sendable {
        case float(Float)
        case int(Int64)
        case string(ByteBuffer)
        case tensor(Tensor)
        case graph(Graph)
        case sparseTensor(SparseTensor)
        case typeProto(TypeProto)
        case floats([Float])
        case ints([Int64])
        case strings([ByteBuffer])
        case tensors([Tensor])
        case graphs([Graph])
        case sparseTensors([SparseTensor])
        case typeProtos([TypeProto])

        /// The attribute type tag for this value.
        public var type: AttributeType {
            switch self {
            case .float: return .float
            case .int: return .int
            case .string: return .string
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
    }

    /// An attribute with the type tag and the one field that the value needs.
    public init(name: String, value: Value) {
        self.name = name
        self.type = value.type
        switch value {
        case .float(let v): f = v
        case .int(let v): i = v
        case .string(let v): s = v
        case .tensor(let v): t = v
        case .graph(let v): g = v
        case .sparseTensor(let v): sparseTensor = v
        case .typeProto(let v): tp = v
        case .floats(let v): floats = v
        case .ints(let v): ints = v
        case .strings(let v): strings = v
        case .tensors(let v): tensors = v
        case .graphs(let v): graphs = v
        case .sparseTensors(let v): sparseTensors = v
        case .typeProtos(let v): typeProtos = v
        }
    }

    /// Convenience: a string attribute from a Swift string.
    public init(name: String, string: String) { self.init(name: name, value: .string(ByteBuffer(utf8: string))) }

    /// The value that `type` selects; nil when the type is missing, unknown, or a
    /// singular value's field is absent.
    public var value: Value? {
        switch type {
        case .float?: return f.map { .float($0) }
        case .int?: return i.map { .int($0) }
        case .string?: return s.map { .string($0) }
        case .tensor?: return t.map { .tensor($0) }
        case .graph?: return g.map { .graph($0) }
        case .sparseTensor?: return sparseTensor.map { .sparseTensor($0) }
        case .typeProto?: return tp.map { .typeProto($0) }
        case .floats?, .ints?, .strings?:
            if deferredArrays != nil {
                var loaded = self
                loaded.loadDeferredArrays()
                return loaded.value
            }
            switch type {
            case .floats?: return .floats(floats)
            case .ints?: return .ints(ints)
            default: return .strings(strings)
            }
        case .tensors?: return .tensors(tensors)
        case .graphs?: return .graphs(graphs)
        case .sparseTensors?: return .sparseTensors(sparseTensors)
        case .typeProtos?: return .typeProtos(typeProtos)
        default: return nil
        }
    }

    /// Whether `value` is non-nil, found without reading deferred arrays.
    public var hasValue: Bool {
        switch type {
        case .floats?, .ints?, .strings?, .tensors?, .graphs?, .sparseTensors?, .typeProtos?: return true
        default: return value != nil
        }
    }

    /// `floats`, `ints` and `strings` read in from `deferredArrays`, which is then cleared.
    public mutating func loadDeferredArrays() {
        guard let d = deferredArrays else { return }
        if d.contains(.floats) { floats = d.floats { $0 } }
        if d.contains(.ints) { ints = d.ints { $0 } }
        if d.contains(.strings) { strings = d.strings { ByteBuffer($0) } }
        deferredArrays = nil
    }

    /// The value as a Swift string, for STRING attributes.
    public var stringValue: String? { type == .string ? s?.string : nil }
}
