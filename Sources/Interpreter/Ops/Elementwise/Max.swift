/// Max: the elementwise maximum of one or more inputs, with broadcasting (NaN
/// propagates; unsigned 64-bit compares as unsigned).
struct Max: Operator {
    static let opType = "Max"
    static let sinceVersions: [Int64] = [1, 6, 8, 12, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.variadic(inputs, context, float: Arithmetic.nanMax, double: Arithmetic.nanMax,
                                         integer: { Swift.max($0, $1) }, unsigned: { Swift.max($0, $1) }).result)]
    }
}
