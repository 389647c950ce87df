/// ReduceL1: the sum of absolute values over the axes (an input from 18).
struct ReduceL1: Operator {
    static let opType = "ReduceL1"
    static let sinceVersions: [Int64] = [1, 11, 13, 18]
    let reduction: Reduction
    init(_ c: OpContext) throws { reduction = try Reduction(c, .l1, inputSince: 18) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { try reduction.run(inputs, context) }
}
