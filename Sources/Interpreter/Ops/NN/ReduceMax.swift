/// ReduceMax: the maximum over the axes (an input from 18); bool from 20.
struct ReduceMax: Operator {
    static let opType = "ReduceMax"
    static let sinceVersions: [Int64] = [1, 11, 12, 13, 18, 20]
    let reduction: Reduction
    init(_ c: OpContext) throws { reduction = try Reduction(c, .max, inputSince: 18) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { try reduction.run(inputs, context) }
}
