import Foundation

/// Cosh: hyperbolic cosine (float types keep their type; float16 and bfloat16 compute in Float).
struct Cosh: Operator {
    static let opType = "Cosh"
    static let sinceVersions: [Int64] = [9, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { cosh($0) }, double: { cosh($0) }))]
    }
}
