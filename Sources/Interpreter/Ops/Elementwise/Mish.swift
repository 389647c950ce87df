import Foundation

/// Mish: x * tanh(softplus(x)) (float types keep their type; float16 and bfloat16 compute in Float).
struct Mish: Operator {
    static let opType = "Mish"
    static let sinceVersions: [Int64] = [18, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { $0 * tanh($0 > 0 ? $0 + log1p(exp(-$0)) : log1p(exp($0))) }, double: { $0 * tanh($0 > 0 ? $0 + log1p(exp(-$0)) : log1p(exp($0))) }))]
    }
}
