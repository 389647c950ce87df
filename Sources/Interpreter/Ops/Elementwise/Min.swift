/// Min: the elementwise minimum of one or more inputs, with broadcasting (NaN
/// propagates; unsigned 64-bit compares as unsigned).
struct Min: Operator {
    static let opType = "Min"
    static let sinceVersions: [Int64] = [1, 6, 8, 12, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.variadic(inputs, context, float: Arithmetic.nanMin, double: Arithmetic.nanMin,
                                         integer: { Swift.min($0, $1) }, unsigned: { Swift.min($0, $1) }).result)]
    }
}
