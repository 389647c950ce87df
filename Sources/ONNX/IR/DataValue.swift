/// A stored value that is not (only) a tensor, as test data keeps it: ONNX's
/// SequenceProto, MapProto and OptionalProto (onnx-data.proto), or a plain tensor.
public indirect enum DataValue: Hashable, Sendable {
    case tensor(Tensor)
    case sparseTensor(SparseTensor)
    case sequence(name: String?, elements: [DataValue])
    /// Integer keys use `keys`, string keys `stringKeys`; `values` has one entry per key.
    case map(name: String?, keyType: DataType, keys: [Int64], stringKeys: [ByteBuffer], values: [DataValue])
    /// nil: the optional holds no value.
    case optional(name: String?, value: DataValue?)

    /// The kind of message a value of `type` is stored as.
    public enum Kind: Sendable { case tensor, sparseTensor, sequence, map, optional }

    public static func kind(for type: TypeProto?) -> Kind {
        switch type?.value {
        case .sequence?: return .sequence
        case .map?: return .map
        case .optional?: return .optional
        case .sparseTensor?: return .sparseTensor
        default: return .tensor
        }
    }
}
