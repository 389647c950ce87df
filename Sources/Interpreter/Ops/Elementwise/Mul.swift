/// Mul: a * b with broadcasting (integers wrap). Opsets 1 and 6 use the legacy
/// `broadcast`/`axis` attributes.
struct Mul: Operator {
    static let opType = "Mul"
    static let sinceVersions: [Int64] = [1, 6, 7, 13, 14]
    let legacy: LegacyBroadcast
    init(_ c: OpContext) throws { legacy = try LegacyBroadcast(c) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (a, b) = try legacy.operands(inputs, context)
        return [.tensor(try Arithmetic.binary(a, b, context, float: *, double: *, integer: { $0 &* $1 }))]
    }
}
