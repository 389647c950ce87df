/// ThresholdedRelu: x where x > alpha, 0 elsewhere.
struct ThresholdedRelu: Operator {
    static let opType = "ThresholdedRelu"
    static let sinceVersions: [Int64] = [10, 22]
    let alpha: Float
    init(_ c: OpContext) throws { alpha = try c.float("alpha", default: 1) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = alpha, d = Double(alpha)
        return [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context,
                                                  float: { $0 > a ? $0 : 0 }, double: { $0 > d ? $0 : 0 }))]
    }
}
