/// ReduceSum: the sum over the axes (an input from 13).
struct ReduceSum: Operator {
    static let opType = "ReduceSum"
    static let sinceVersions: [Int64] = [1, 11, 13]
    let reduction: Reduction
    init(_ c: OpContext) throws { reduction = try Reduction(c, .sum, inputSince: 13) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { try reduction.run(inputs, context) }
}
