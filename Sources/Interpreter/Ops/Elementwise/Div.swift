/// Div: a / b with broadcasting. Integer division truncates toward zero (unsigned
/// 64-bit divides as unsigned); an integer division by zero is an error. Opsets 1
/// and 6 use the legacy `broadcast`/`axis` attributes.
struct Div: Operator {
    static let opType = "Div"
    static let sinceVersions: [Int64] = [1, 6, 7, 13, 14]
    let legacy: LegacyBroadcast
    init(_ c: OpContext) throws { legacy = try LegacyBroadcast(c) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (a, b) = try legacy.operands(inputs, context)
        let zero = context.invalid("integer division by zero")
        return [.tensor(try Arithmetic.binary(
            a, b, context, float: /, double: /,
            integer: { x, y in
                guard y != 0 else { throw zero }
                return x.dividedReportingOverflow(by: y).partialValue
            },
            unsigned: { x, y in
                guard y != 0 else { throw zero }
                return x / y
            }))]
    }
}
