/// Greater: a > b elementwise with broadcasting, as a bool tensor. Unsigned 64-bit
/// values compare as unsigned. Opset 1 uses the legacy `broadcast`/`axis` attributes.
struct Greater: Operator {
    static let opType = "Greater"
    static let sinceVersions: [Int64] = [1, 7, 9, 13]
    let legacy: LegacyBroadcast
    init(_ c: OpContext) throws { legacy = try LegacyBroadcast(c) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (a, b) = try legacy.operands(inputs, context)
        return [.tensor(try Arithmetic.compare(a, b, .greater, context))]
    }
}
