/// LeakyRelu: x below zero scaled by `alpha`, x itself otherwise.
struct LeakyRelu: Operator {
    static let opType = "LeakyRelu"
    static let sinceVersions: [Int64] = [1, 6, 16]
    let alpha: Float
    init(_ c: OpContext) throws { alpha = try c.float("alpha", default: 0.01) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = alpha, d = Double(alpha)
        return [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context,
                                                  float: { $0 < 0 ? a * $0 : $0 }, double: { $0 < 0 ? d * $0 : $0 }))]
    }
}
