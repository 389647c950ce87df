/// One operator application (`NodeProto`).
public struct Node: Hashable, Sendable {
    public var input: [String] = []
    public var output: [String] = []
    public var name: String?
    public var opType: String?
    public var domain: String?
    public var overload: String?
    public var attribute: [Attribute] = []
    public var docString: String?
    public var metadataProps: [StringStringEntry] = []
    public var deviceConfigurations: [NodeDeviceConfiguration] = []
    public var unknownFields: [UnknownField] = []

    public init(opType: String?, domain: String? = nil, input: [String] = [], output: [String] = [], name: String? = nil, attribute: [Attribute] = []) {
        self.opType = opType
        self.domain = domain
        self.input = input
        self.output = output
        self.name = name
        self.attribute = attribute
    }

    /// The attribute with this name, if present.
    public func attribute(named n: String) -> Attribute? { attribute.first { $0.name == n } }

    /// The domain with the default spelled as the empty string.
    public var normalizedDomain: String { Domain.normalize(domain ?? "") }

    /// Subgraphs held in attributes (If/Loop/Scan bodies), in attribute order.
    public var subgraphs: [Graph] {
        attribute.flatMap { a -> [Graph] in (a.g.map { [$0] } ?? []) + a.graphs }
    }
}

/// A computation graph (`GraphProto`).
public struct Graph: Hashable, Sendable {
    public var node: [Node] = []
    public var name: String?
    public var initializer: [Tensor] = []
    public var sparseInitializer: [SparseTensor] = []
    public var docString: String?
    public var input: [ValueInfo] = []
    public var output: [ValueInfo] = []
    public var valueInfo: [ValueInfo] = []
    public var quantizationAnnotation: [TensorAnnotation] = []
    public var metadataProps: [StringStringEntry] = []
    public var unknownFields: [UnknownField] = []

    public init(name: String? = nil) { self.name = name }
}

/// Quantization parameters attached to a tensor name (`TensorAnnotation`).
public struct TensorAnnotation: Hashable, Sendable {
    public var tensorName: String?
    public var quantParameterTensorNames: [StringStringEntry] = []
    public var unknownFields: [UnknownField] = []
    public init(tensorName: String?) { self.tensorName = tensorName }
}
