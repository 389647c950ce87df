/// Add: a + b with broadcasting (integers wrap).
struct Add: Operator {
    static let opType = "Add"
    static let sinceVersions: [Int64] = [7, 13, 14]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.binary(try context.tensor(inputs, 0), try context.tensor(inputs, 1), context,
                                       float: +, double: +, integer: { $0 &+ $1 }))]
    }
}
