/// Floor: rounds down (float types keep their type; float16 and bfloat16 compute in Float).
struct Floor: Operator {
    static let opType = "Floor"
    static let sinceVersions: [Int64] = [1, 6, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { $0.rounded(.down) }, double: { $0.rounded(.down) }))]
    }
}
