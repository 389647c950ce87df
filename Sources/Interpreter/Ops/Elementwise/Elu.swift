import Foundation

/// Elu: alpha * (e^x - 1) below zero, x otherwise.
struct Elu: Operator {
    static let opType = "Elu"
    static let sinceVersions: [Int64] = [1, 6, 22]
    let alpha: Float
    init(_ c: OpContext) throws { alpha = try c.float("alpha", default: 1) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = alpha, d = Double(alpha)
        return [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context,
                                                  float: { $0 < 0 ? a * expm1($0) : $0 }, double: { $0 < 0 ? d * expm1($0) : $0 }))]
    }
}
