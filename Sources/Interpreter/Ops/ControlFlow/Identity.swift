/// Identity: passes its input (any value kind) through.
struct Identity: Operator {
    static let opType = "Identity"
    static let sinceVersions: [Int64] = [1, 13, 14, 16, 19, 21, 23, 24, 25]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        guard let v = inputs.first ?? nil else { throw context.invalid("input 0 is missing") }
        return [v]
    }
}
