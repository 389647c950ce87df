import Foundation

/// Erf: the error function (float types keep their type; float16 and bfloat16 compute in Float).
struct Erf: Operator {
    static let opType = "Erf"
    static let sinceVersions: [Int64] = [9, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { erf($0) }, double: { erf($0) }))]
    }
}
