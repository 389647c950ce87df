/// HardSwish: x * max(0, min(1, x / 6 + 1/2)) (float types keep their type; float16 and bfloat16 compute in Float).
struct HardSwish: Operator {
    static let opType = "HardSwish"
    static let sinceVersions: [Int64] = [14, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { $0 * max(0, min(1, $0 / 6 + 0.5)) }, double: { $0 * max(0, min(1, $0 / 6 + 0.5)) }))]
    }
}
