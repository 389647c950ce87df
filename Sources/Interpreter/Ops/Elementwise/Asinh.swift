import Foundation

/// Asinh: inverse hyperbolic sine (float types keep their type; float16 and bfloat16 compute in Float).
struct Asinh: Operator {
    static let opType = "Asinh"
    static let sinceVersions: [Int64] = [9, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { asinh($0) }, double: { asinh($0) }))]
    }
}
