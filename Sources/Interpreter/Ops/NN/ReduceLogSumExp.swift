/// ReduceLogSumExp: log of the sum of exponentials, computed stably (axes an input from 18).
struct ReduceLogSumExp: Operator {
    static let opType = "ReduceLogSumExp"
    static let sinceVersions: [Int64] = [1, 11, 13, 18, 28]
    let reduction: Reduction
    init(_ c: OpContext) throws { reduction = try Reduction(c, .logSumExp, inputSince: 18) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { try reduction.run(inputs, context) }
}
