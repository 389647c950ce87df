/// A field that the decoder met but the IR does not model (for example one added by a
/// newer ONNX release). Kept as it came and written back after the known fields.
public struct UnknownField: Hashable, Sendable {
    /// Protobuf wire type.
    public enum WireType: UInt8, Sendable { case varint = 0, fixed64 = 1, lengthPrefixed = 2, fixed32 = 5 }
    public var number: UInt32
    public var wireType: WireType
    /// The field's payload exactly as encoded (without the tag; with no length prefix).
    public var payload: ByteBuffer

    public init(number: UInt32, wireType: WireType, payload: ByteBuffer) {
        self.number = number
        self.wireType = wireType
        self.payload = payload
    }
}

/// A key/value pair (`StringStringEntryProto`), used for metadata and external data.
public struct StringStringEntry: Hashable, Sendable {
    public var key: String?
    public var value: String?
    public var unknownFields: [UnknownField] = []
    public init(key: String?, value: String?) {
        self.key = key
        self.value = value
    }
}

/// An operator set the model imports (`OperatorSetIdProto`). The empty domain and
/// `ai.onnx` both mean the default ONNX operator set.
public struct OperatorSetID: Hashable, Sendable {
    public var domain: String?
    public var version: Int64?
    public var unknownFields: [UnknownField] = []
    public init(domain: String?, version: Int64?) {
        self.domain = domain
        self.version = version
    }

    /// The domain with the default spelled as the empty string.
    public var normalizedDomain: String { Domain.normalize(domain ?? "") }
}

/// Operator domain names.
public enum Domain {
    /// The default ONNX operator set (also written `ai.onnx`).
    public static let onnx = ""
    /// The ONNX-ML operator set.
    public static let ml = "ai.onnx.ml"
    /// The training operator set.
    public static let preview = "ai.onnx.preview.training"
    /// Maps `ai.onnx` to the empty string, which the specification treats as the same.
    public static func normalize(_ d: String) -> String { d == "ai.onnx" ? "" : d }
}
