import Foundation

/// Sinh: hyperbolic sine (float types keep their type; float16 and bfloat16 compute in Float).
struct Sinh: Operator {
    static let opType = "Sinh"
    static let sinceVersions: [Int64] = [9, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { sinh($0) }, double: { sinh($0) }))]
    }
}
