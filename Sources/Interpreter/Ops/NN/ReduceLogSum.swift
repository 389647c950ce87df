/// ReduceLogSum: log of the sum over the axes (an input from 18).
struct ReduceLogSum: Operator {
    static let opType = "ReduceLogSum"
    static let sinceVersions: [Int64] = [1, 11, 13, 18, 28]
    let reduction: Reduction
    init(_ c: OpContext) throws { reduction = try Reduction(c, .logSum, inputSince: 18) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { try reduction.run(inputs, context) }
}
