import ONNX

extension Value {
    /// A runtime value from stored test data; `type` (the graph's declared type) gives
    /// element types of empty sequences and optionals.
    public init(data: DataValue, type: TypeProto? = nil) throws {
        switch data {
        case .tensor(let t):
            self = .tensor(try TensorValue(proto: t))
        case .sparseTensor:
            throw InterpreterError.badData(source: "test data", message: "sparse tensor values are not supported")
        case .sequence(_, let items):
            var elemType: TypeProto?
            if case .sequence(let e, _)? = type?.value { elemType = e }
            self = .sequence(try items.map { try Value(data: $0, type: elemType) }, elementType: elemType)
        case .map(_, let keyType, let keys, let stringKeys, let values):
            let k: TensorValue = keyType == .string
                ? TensorValue(strings: stringKeys.map(\.string), shape: [stringKeys.count])
                : try TensorValue.converting(keys, to: keyType.isKnown ? keyType : .int64, shape: [keys.count])
            self = .map(keys: k, values: try values.map { try Value(data: $0) })
        case .optional(_, let v):
            var elemType: TypeProto?
            if case .optional(let e, _)? = type?.value { elemType = e }
            self = .optional(try v.map { try Value(data: $0, type: elemType) }, type: elemType)
        }
    }
}
