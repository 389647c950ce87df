import Foundation

/// Asin: arcsine (float types keep their type; float16 and bfloat16 compute in Float).
struct Asin: Operator {
    static let opType = "Asin"
    static let sinceVersions: [Int64] = [7, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { asin($0) }, double: { asin($0) }))]
    }
}
