import Foundation

/// Acos: arccosine (float types keep their type; float16 and bfloat16 compute in Float).
struct Acos: Operator {
    static let opType = "Acos"
    static let sinceVersions: [Int64] = [7, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { acos($0) }, double: { acos($0) }))]
    }
}
