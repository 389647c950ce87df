/// BitwiseNot: every bit of an integer tensor flipped.
struct BitwiseNot: Operator {
    static let opType = "BitwiseNot"
    static let sinceVersions: [Int64] = [18]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard Arithmetic.family(x.dataType) == .integer else { throw Arithmetic.unsupported(x.dataType, context) }
        return [.tensor(try Arithmetic.unary(x, context, float: { $0 }, double: { $0 }, integer: { ~$0 }))]
    }
}
