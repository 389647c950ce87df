/// Round: rounds to the nearest integer, halves to even (float types keep their type; float16 and bfloat16 compute in Float).
struct Round: Operator {
    static let opType = "Round"
    static let sinceVersions: [Int64] = [11, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { $0.rounded(.toNearestOrEven) }, double: { $0.rounded(.toNearestOrEven) }))]
    }
}
