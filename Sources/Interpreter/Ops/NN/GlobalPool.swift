import ONNX

/// The global pools: one value per (batch, channel) plane, spatial axes kept as 1.
enum GlobalPool {
    static func run(_ inputs: [Value?], _ context: RunContext, _ f: @escaping (ArraySlice<Double>) -> Double) throws -> TensorValue {
        let x = try context.tensor(inputs, 0)
        guard x.rank >= 2 else { throw context.invalid("global pooling needs rank >= 2, got \(x.shape)") }
        let planes = x.shape[0] * x.shape[1], size = x.count / max(1, planes)
        let shape = [x.shape[0], x.shape[1]] + [Int](repeating: 1, count: x.rank - 2)
        guard NN.isReal(x.dataType) else { throw InterpreterError.unsupportedType(x.dataType, context: context.nodeName) }
        let v = try x.doubles()
        var out = [Double](repeating: 0, count: planes)
        for p in 0..<planes { out[p] = f(v[(p * size)..<((p + 1) * size)]) }
        return try .converting(out, to: x.dataType, shape: shape)
    }
}
