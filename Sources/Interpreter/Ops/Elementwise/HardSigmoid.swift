/// HardSigmoid: max(0, min(1, alpha * x + beta)).
struct HardSigmoid: Operator {
    static let opType = "HardSigmoid"
    static let sinceVersions: [Int64] = [1, 6, 22]
    let alpha: Float
    let beta: Float
    init(_ c: OpContext) throws {
        alpha = try c.float("alpha", default: 0.2)
        beta = try c.float("beta", default: 0.5)
    }
    static func clamp01<T: FloatingPoint>(_ v: T) -> T { v.isNaN ? v : (v < 0 ? 0 : (v > 1 ? 1 : v)) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = alpha, b = beta, da = Double(alpha), db = Double(beta)
        return [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context,
                                                  float: { HardSigmoid.clamp01(a * $0 + b) },
                                                  double: { HardSigmoid.clamp01(da * $0 + db) }))]
    }
}
