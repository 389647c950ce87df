/// Softsign: x / (1 + |x|) (float types keep their type; float16 and bfloat16 compute in Float).
struct Softsign: Operator {
    static let opType = "Softsign"
    static let sinceVersions: [Int64] = [1, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { $0 / (1 + abs($0)) }, double: { $0 / (1 + abs($0)) }))]
    }
}
