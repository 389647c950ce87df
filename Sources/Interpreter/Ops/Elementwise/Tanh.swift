import Foundation

/// Tanh: hyperbolic tangent (float types keep their type; float16 and bfloat16 compute in Float).
struct Tanh: Operator {
    static let opType = "Tanh"
    static let sinceVersions: [Int64] = [1, 6, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { tanh($0) }, double: { tanh($0) }))]
    }
}
