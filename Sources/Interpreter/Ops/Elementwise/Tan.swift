import Foundation

/// Tan: tangent (float types keep their type; float16 and bfloat16 compute in Float).
struct Tan: Operator {
    static let opType = "Tan"
    static let sinceVersions: [Int64] = [7, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { tan($0) }, double: { tan($0) }))]
    }
}
