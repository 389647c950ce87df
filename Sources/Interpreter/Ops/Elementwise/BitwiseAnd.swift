/// BitwiseAnd: the bitwise and of two integer tensors of one type, with broadcasting.
struct BitwiseAnd: Operator {
    static let opType = "BitwiseAnd"
    static let sinceVersions: [Int64] = [18]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = try context.tensor(inputs, 0), b = try context.tensor(inputs, 1)
        guard Arithmetic.family(a.dataType) == .integer else { throw Arithmetic.unsupported(a.dataType, context) }
        return [.tensor(try Arithmetic.binary(a, b, context, float: { x, _ in x }, double: { x, _ in x }, integer: { $0 & $1 }))]
    }
}
