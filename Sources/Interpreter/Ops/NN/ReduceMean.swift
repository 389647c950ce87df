/// ReduceMean: the mean over the axes (an input from 18); integers divide exactly.
struct ReduceMean: Operator {
    static let opType = "ReduceMean"
    static let sinceVersions: [Int64] = [1, 11, 13, 18]
    let reduction: Reduction
    init(_ c: OpContext) throws { reduction = try Reduction(c, .mean, inputSince: 18) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { try reduction.run(inputs, context) }
}
