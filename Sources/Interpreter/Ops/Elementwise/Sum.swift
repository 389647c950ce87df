/// Sum: the elementwise sum of one or more inputs, with broadcasting (integers wrap).
struct Sum: Operator {
    static let opType = "Sum"
    static let sinceVersions: [Int64] = [1, 6, 8, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.variadic(inputs, context, float: +, double: +, integer: { $0 &+ $1 }).result)]
    }
}
