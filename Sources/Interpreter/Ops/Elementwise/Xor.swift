/// Xor: true where exactly one is true, with broadcasting (legacy `broadcast`/`axis` in opset 1).
struct Xor: Operator {
    static let opType = "Xor"
    static let sinceVersions: [Int64] = [1, 7]
    let legacy: LegacyBroadcast
    init(_ c: OpContext) throws { legacy = try LegacyBroadcast(c) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (a, b) = try legacy.operands(inputs, context)
        return [.tensor(try Arithmetic.logical(a, b, context) { $0 != $1 })]
    }
}
