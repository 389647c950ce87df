import ONNX

/// SequenceEmpty: an empty sequence of tensors of `dtype` (default float32).
struct SequenceEmpty: Operator {
    static let opType = "SequenceEmpty"
    static let sinceVersions: [Int64] = [11]
    let dtype: DataType
    init(_ c: OpContext) throws { dtype = DataType(rawValue: Int32(truncatingIfNeeded: try c.int("dtype", default: 1))) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.sequence([], elementType: .tensor(dtype, nil))]
    }
}
