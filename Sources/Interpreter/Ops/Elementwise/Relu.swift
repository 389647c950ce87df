/// Relu: max(x, 0) (NaN stays NaN, as numpy's maximum does).
struct Relu: Operator {
    static let opType = "Relu"
    static let sinceVersions: [Int64] = [1, 6, 13, 14]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.unary(try context.tensor(inputs, 0), context,
                                      float: { $0 < 0 ? 0 : $0 }, double: { $0 < 0 ? 0 : $0 },
                                      integer: { max($0, 0) }, unsigned: { $0 }))]
    }
}
