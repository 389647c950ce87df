import Foundation

/// Gelu: x * Φ(x) = 0.5 x (1 + erf(x / √2)); with `approximate="tanh"`,
/// 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))).
struct Gelu: Operator {
    static let opType = "Gelu"
    static let sinceVersions: [Int64] = [20]
    let tanhApproximation: Bool
    init(_ c: OpContext) throws {
        let mode = try c.string("approximate", default: "none")
        switch mode {
        case "none": tanhApproximation = false
        case "tanh": tanhApproximation = true
        default: throw InterpreterError.badAttribute(node: c.nodeName, attribute: "approximate", message: "must be 'none' or 'tanh', not '\(mode)'")
        }
    }
    static func exact(_ x: Double) -> Double { 0.5 * x * (1 + erf(x * 0.7071067811865476)) }
    static func approximate(_ x: Double) -> Double { 0.5 * x * (1 + tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let f = tanhApproximation ? Gelu.approximate : Gelu.exact
        return [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context,
                                                  float: { Float(f(Double($0))) }, double: f))]
    }
}
