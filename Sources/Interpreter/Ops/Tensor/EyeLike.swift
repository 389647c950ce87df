import ONNX

/// EyeLike: a 2-D tensor of the input's shape with ones on the k-th diagonal, of the
/// `dtype` attribute's type (default: the input's).
struct EyeLike: Operator {
    static let opType = "EyeLike"
    static let sinceVersions: [Int64] = [9, 22]
    let dtype: DataType?
    let k: Int
    init(_ c: OpContext) throws {
        dtype = c.has("dtype") ? DataType(rawValue: Int32(truncatingIfNeeded: try c.int("dtype"))) : nil
        k = Int(max(min(try c.int("k", default: 0), 1 << 40), -(1 << 40)))
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.rank == 2 else { throw context.invalid("input must be 2-D, is \(x.shape)") }
        let type = dtype ?? x.dataType
        let (rows, cols) = (x.shape[0], x.shape[1])
        var v = [Double](repeating: 0, count: rows * cols)
        for i in 0..<rows {
            let j = i + k
            if j >= 0 && j < cols { v[i * cols + j] = 1 }
        }
        guard type != .string else { throw InterpreterError.unsupportedType(type, context: "EyeLike") }
        return [.tensor(try .converting(v, to: type, shape: x.shape))]
    }
}
