import Foundation

/// Atanh: inverse hyperbolic tangent (float types keep their type; float16 and bfloat16 compute in Float).
struct Atanh: Operator {
    static let opType = "Atanh"
    static let sinceVersions: [Int64] = [9, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { atanh($0) }, double: { atanh($0) }))]
    }
}
