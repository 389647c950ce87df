/// Neg: -x (integers wrap, so the most negative value stays itself).
struct Neg: Operator {
    static let opType = "Neg"
    static let sinceVersions: [Int64] = [1, 6, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.unary(try context.tensor(inputs, 0), context,
                                      float: { -$0 }, double: { -$0 }, integer: { 0 &- $0 }))]
    }
}
