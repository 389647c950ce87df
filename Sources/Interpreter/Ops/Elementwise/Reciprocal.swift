/// Reciprocal: 1 / x (float types keep their type; float16 and bfloat16 compute in Float).
struct Reciprocal: Operator {
    static let opType = "Reciprocal"
    static let sinceVersions: [Int64] = [1, 6, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { 1 / $0 }, double: { 1 / $0 }))]
    }
}
