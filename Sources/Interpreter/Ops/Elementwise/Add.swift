/// Add: a + b with broadcasting (integers wrap). Opsets 1 and 6 use the legacy
/// `broadcast`/`axis` attributes.
struct Add: Operator {
    static let opType = "Add"
    static let sinceVersions: [Int64] = [1, 6, 7, 13, 14]
    let legacy: LegacyBroadcast
    init(_ c: OpContext) throws { legacy = try LegacyBroadcast(c) }
    /// True from version 7: plain numpy broadcasting, no `broadcast`/`axis` attributes.
    var broadcastsLikeNumpy: Bool { !legacy.active }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (a, b) = try legacy.operands(inputs, context)
        return [.tensor(try Arithmetic.binary(a, b, context, float: +, double: +, integer: { $0 &+ $1 }))]
    }
}
