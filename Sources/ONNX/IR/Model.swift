/// A whole ONNX model (`ModelProto`): what a `.onnx` file holds.
public struct Model: Hashable, Sendable {
    public var irVersion: Int64?
    public var opsetImport: [OperatorSetID] = []
    public var producerName: String?
    public var producerVersion: String?
    public var domain: String?
    public var modelVersion: Int64?
    public var docString: String?
    public var graph: Graph?
    public var metadataProps: [StringStringEntry] = []
    public var trainingInfo: [TrainingInfo] = []
    public var functions: [Function] = []
    public var configuration: [DeviceConfiguration] = []
    public var unknownFields: [UnknownField] = []

    public init() {}

    /// The IR version this toolkit writes by default (ONNX 1.16+, opset 21 era).
    public static let defaultIRVersion: Int64 = 10

    /// The version imported for a domain (`""` or `ai.onnx` for the default set).
    public func opsetVersion(for domain: String) -> Int64? {
        let d = Domain.normalize(domain)
        return opsetImport.first { $0.normalizedDomain == d }?.version
    }

    /// The value of a metadata entry.
    public func metadata(_ key: String) -> String? { metadataProps.first { $0.key == key }?.value }
}

/// Training information (`TrainingInfoProto`), carried through unchanged.
public struct TrainingInfo: Hashable, Sendable {
    public var initialization: Graph?
    public var algorithm: Graph?
    public var initializationBinding: [StringStringEntry] = []
    public var updateBinding: [StringStringEntry] = []
    public var unknownFields: [UnknownField] = []
    public init() {}
}

/// A model-local function (`FunctionProto`).
public struct Function: Hashable, Sendable {
    public var name: String?
    public var input: [String] = []
    public var output: [String] = []
    public var attribute: [String] = []
    public var attributeProto: [Attribute] = []
    public var node: [Node] = []
    public var docString: String?
    public var opsetImport: [OperatorSetID] = []
    public var domain: String?
    public var overload: String?
    public var valueInfo: [ValueInfo] = []
    public var metadataProps: [StringStringEntry] = []
    public var unknownFields: [UnknownField] = []
    public init(name: String?, domain: String?) {
        self.name = name
        self.domain = domain
    }
}

/// Devices of a distributed configuration (`DeviceConfigurationProto`, IR 11).
public struct DeviceConfiguration: Hashable, Sendable {
    public var name: String?
    public var numDevices: Int32?
    public var device: [String] = []
    public var unknownFields: [UnknownField] = []
    public init() {}
}

/// A node's placement in a distributed configuration (`NodeDeviceConfigurationProto`).
public struct NodeDeviceConfiguration: Hashable, Sendable {
    public var configurationID: String?
    public var shardingSpec: [ShardingSpec] = []
    public var pipelineStage: Int32?
    public var unknownFields: [UnknownField] = []
    public init() {}
}

/// How one tensor is sharded (`ShardingSpecProto`).
public struct ShardingSpec: Hashable, Sendable {
    public var tensorName: String?
    public var device: [Int64] = []
    public var indexToDeviceGroupMap: [IntIntListEntry] = []
    public var shardedDim: [ShardedDim] = []
    public var unknownFields: [UnknownField] = []
    public init() {}
}

/// `IntIntListEntryProto`.
public struct IntIntListEntry: Hashable, Sendable {
    public var key: Int64?
    public var value: [Int64] = []
    public var unknownFields: [UnknownField] = []
    public init() {}
}

/// `ShardedDimProto`.
public struct ShardedDim: Hashable, Sendable {
    public var axis: Int64?
    public var simpleSharding: [SimpleShardedDim] = []
    public var unknownFields: [UnknownField] = []
    public init() {}
}

/// `SimpleShardedDimProto`.
public struct SimpleShardedDim: Hashable, Sendable {
    public var dim: ShapeDimension.Value = .unknown
    public var numShards: Int64?
    public var unknownFields: [UnknownField] = []
    public init() {}
}
