import Foundation

/// Celu: max(0, x) + min(0, alpha * (e^(x / alpha) - 1)).
struct Celu: Operator {
    static let opType = "Celu"
    static let sinceVersions: [Int64] = [12, 28]
    let alpha: Float
    init(_ c: OpContext) throws {
        alpha = try c.float("alpha", default: 1)
        guard alpha != 0 else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "alpha", message: "must not be 0") }
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = alpha, d = Double(alpha)
        return [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context,
                                                  float: { $0 < 0 ? a * expm1($0 / a) : $0 },
                                                  double: { $0 < 0 ? d * expm1($0 / d) : $0 }))]
    }
}
