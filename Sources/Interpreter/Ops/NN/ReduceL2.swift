/// ReduceL2: the square root of the sum of squares over the axes (an input from 18).
struct ReduceL2: Operator {
    static let opType = "ReduceL2"
    static let sinceVersions: [Int64] = [1, 11, 13, 18]
    let reduction: Reduction
    init(_ c: OpContext) throws { reduction = try Reduction(c, .l2, inputSince: 18) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { try reduction.run(inputs, context) }
}
