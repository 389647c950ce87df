import Foundation

/// Sigmoid: 1 / (1 + e^-x), computed without overflow (float types keep their type; float16 and bfloat16 compute in Float).
struct Sigmoid: Operator {
    static let opType = "Sigmoid"
    static let sinceVersions: [Int64] = [1, 6, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { $0 >= 0 ? 1 / (1 + exp(-$0)) : exp($0) / (1 + exp($0)) }, double: { $0 >= 0 ? 1 / (1 + exp(-$0)) : exp($0) / (1 + exp($0)) }))]
    }
}
