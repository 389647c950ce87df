/// One dimension of a shape: a number, a symbolic name, or unknown.
public struct ShapeDimension: Hashable, Sendable, CustomStringConvertible {
    public enum Value: Hashable, Sendable {
        case value(Int64)
        case param(String)
        case unknown
    }
    public var value: Value
    public var denotation: String?
    public var unknownFields: [UnknownField] = []

    public init(_ value: Value, denotation: String? = nil) {
        self.value = value
        self.denotation = denotation
    }
    public static func fixed(_ n: Int64) -> ShapeDimension { ShapeDimension(.value(n)) }
    public static func symbolic(_ s: String) -> ShapeDimension { ShapeDimension(.param(s)) }
    public static var unknown: ShapeDimension { ShapeDimension(.unknown) }

    /// The fixed size, if the dimension has one.
    public var fixedValue: Int64? {
        // A switch, not `if case`: Swift 6.3's release-mode CopyPropagation pass crashed
        // compiling callers of the `if case` form.
        switch value {
        case .value(let v): return v
        case .param, .unknown: return nil
        }
    }

    public var description: String {
        switch value {
        case .value(let v): return String(v)
        case .param(let p): return p
        case .unknown: return "?"
        }
    }
}

/// A tensor shape (`TensorShapeProto`). A type without a shape has `shape == nil`.
public struct TensorShape: Hashable, Sendable, CustomStringConvertible {
    public var dims: [ShapeDimension]
    public var unknownFields: [UnknownField] = []
    public init(_ dims: [ShapeDimension]) { self.dims = dims }
    public init(fixed: [Int64]) { self.dims = fixed.map { .fixed($0) } }
    public var rank: Int { dims.count }
    public var description: String { "[" + dims.map(\.description).joined(separator: ", ") + "]" }
    /// All dimensions fixed: their sizes.
    public var fixedSizes: [Int64]? {
        var out: [Int64] = []
        for d in dims { guard let v = d.fixedValue else { return nil }; out.append(v) }
        return out
    }
}

/// The static type of a value (`TypeProto`).
public struct TypeProto: Hashable, Sendable, CustomStringConvertible {
    /// Fields of a nested type message that the IR does not model, per kind, so that
    /// they survive a round trip.
    public struct Extra: Hashable, Sendable {
        public var unknownFields: [UnknownField] = []
        public init(_ u: [UnknownField] = []) { unknownFields = u }
    }

    public indirect enum Value: Hashable, Sendable {
        /// A tensor of `elemType` with an optional shape.
        case tensor(elemType: DataType?, shape: TensorShape?, extra: Extra = .init())
        case sequence(elem: TypeProto?, extra: Extra = .init())
        case map(keyType: DataType?, value: TypeProto?, extra: Extra = .init())
        case optional(elem: TypeProto?, extra: Extra = .init())
        case sparseTensor(elemType: DataType?, shape: TensorShape?, extra: Extra = .init())
        /// ONNX-ML opaque type.
        case opaque(domain: String?, name: String?, extra: Extra = .init())
        /// No value set (the oneof is empty).
        case none
    }

    public var value: Value
    public var denotation: String?
    public var unknownFields: [UnknownField] = []

    public init(_ value: Value, denotation: String? = nil) {
        self.value = value
        self.denotation = denotation
    }

    /// A tensor type with the given element type and dims.
    public static func tensor(_ t: DataType, _ dims: [ShapeDimension]?) -> TypeProto {
        TypeProto(.tensor(elemType: t, shape: dims.map { TensorShape($0) }))
    }

    /// The element type when this is a tensor type.
    public var tensorElementType: DataType? {
        if case .tensor(let e, _, _) = value { return e }
        return nil
    }
    /// The shape when this is a tensor type with a shape.
    public var tensorShape: TensorShape? {
        if case .tensor(_, let s, _) = value { return s }
        return nil
    }

    public var description: String {
        switch value {
        case .tensor(let e, let s, _): return "tensor(\(e?.description ?? "?"))" + (s.map { $0.description } ?? "")
        case .sequence(let e, _): return "seq(\(e?.description ?? "?"))"
        case .map(let k, let v, _): return "map(\(k?.description ?? "?"), \(v?.description ?? "?"))"
        case .optional(let e, _): return "optional(\(e?.description ?? "?"))"
        case .sparseTensor(let e, let s, _): return "sparse_tensor(\(e?.description ?? "?"))" + (s.map { $0.description } ?? "")
        case .opaque(let d, let n, _): return "opaque(\(d ?? ""), \(n ?? ""))"
        case .none: return "none"
        }
    }
}

/// A named value with its type (`ValueInfoProto`): graph inputs, outputs, value_info.
public struct ValueInfo: Hashable, Sendable {
    public var name: String?
    public var type: TypeProto?
    public var docString: String?
    public var metadataProps: [StringStringEntry] = []
    public var unknownFields: [UnknownField] = []
    public init(name: String?, type: TypeProto?, docString: String? = nil) {
        self.name = name
        self.type = type
        self.docString = docString
    }
}
