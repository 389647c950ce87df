import Foundation

/// Sin: sine (float types keep their type; float16 and bfloat16 compute in Float).
struct Sin: Operator {
    static let opType = "Sin"
    static let sinceVersions: [Int64] = [7, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { sin($0) }, double: { sin($0) }))]
    }
}
