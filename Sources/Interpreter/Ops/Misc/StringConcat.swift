import ONNX

/// StringConcat: X[i] + Y[i] elementwise, with numpy broadcasting.
struct StringConcat: Operator {
    static let opType = "StringConcat"
    static let sinceVersions: [Int64] = [20]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), y = try context.tensor(inputs, 1)
        guard x.dataType == .string, y.dataType == .string else {
            throw context.invalid("inputs must be string tensors (got \(x.dataType) and \(y.dataType))")
        }
        guard let r = Broadcast.binary(try x.strings(), x.shape, try y.strings(), y.shape, +) else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "shapes \(x.shape) and \(y.shape) do not broadcast")
        }
        return [.tensor(TensorValue(strings: r.values, shape: r.shape))]
    }
}
