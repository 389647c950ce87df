/// Abs: |x| (unsigned values are themselves; the most negative signed value wraps to itself).
struct Abs: Operator {
    static let opType = "Abs"
    static let sinceVersions: [Int64] = [1, 6, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.unary(try context.tensor(inputs, 0), context,
                                      float: { abs($0) }, double: { abs($0) },
                                      integer: { $0 < 0 ? 0 &- $0 : $0 }, unsigned: { $0 }))]
    }
}
