import Foundation

/// Softplus: log(1 + e^x), computed without overflow (float types keep their type; float16 and bfloat16 compute in Float).
struct Softplus: Operator {
    static let opType = "Softplus"
    static let sinceVersions: [Int64] = [1, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { $0 > 0 ? $0 + log1p(exp(-$0)) : log1p(exp($0)) }, double: { $0 > 0 ? $0 + log1p(exp(-$0)) : log1p(exp($0)) }))]
    }
}
