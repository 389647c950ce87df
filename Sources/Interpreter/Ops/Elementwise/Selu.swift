import Foundation

/// Selu: gamma * (alpha * e^x - alpha) for x <= 0, gamma * x otherwise.
struct Selu: Operator {
    static let opType = "Selu"
    static let sinceVersions: [Int64] = [1, 6, 22]
    let alpha: Float
    let gamma: Float
    init(_ c: OpContext) throws {
        // Opset 1 states rounder defaults than opset 6; the schema supplies the right ones.
        alpha = try c.float("alpha", default: 1.6732632)
        gamma = try c.float("gamma", default: 1.050701)
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = alpha, g = gamma, da = Double(alpha), dg = Double(gamma)
        return [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context,
                                                  float: { $0 <= 0 ? g * (a * exp($0) - a) : g * $0 },
                                                  double: { $0 <= 0 ? dg * (da * exp($0) - da) : dg * $0 }))]
    }
}
