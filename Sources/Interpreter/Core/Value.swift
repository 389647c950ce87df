import ONNX

/// A runtime value: a tensor, a sequence, a map, or an optional (ONNX's value kinds).
public indirect enum Value: Sendable, Equatable, CustomStringConvertible {
    case tensor(TensorValue)
    /// Elements and, for empty sequences, the element type.
    case sequence([Value], elementType: TypeProto?)
    /// Keys (a 1-D int64 or string tensor) and the value for each key.
    case map(keys: TensorValue, values: [Value])
    /// An optional; nil is "no value" (with its type, when known).
    case optional(Value?, type: TypeProto?)

    /// The tensor, if this is one.
    public var tensor: TensorValue? { if case .tensor(let t) = self { return t } else { return nil } }

    public var description: String {
        switch self {
        case .tensor(let t): return t.description
        case .sequence(let s, _): return "sequence of \(s.count)"
        case .map(let k, _): return "map of \(k.count)"
        case .optional(let v, _): return v.map { "optional(\($0))" } ?? "optional(none)"
        }
    }
}
