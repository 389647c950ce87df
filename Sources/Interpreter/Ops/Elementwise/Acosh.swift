import Foundation

/// Acosh: inverse hyperbolic cosine (float types keep their type; float16 and bfloat16 compute in Float).
struct Acosh: Operator {
    static let opType = "Acosh"
    static let sinceVersions: [Int64] = [9, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { acosh($0) }, double: { acosh($0) }))]
    }
}
