/// Sign: -1, 0 or 1 by the sign of x (NaN stays NaN; unsigned values are 0 or 1).
struct Sign: Operator {
    static let opType = "Sign"
    static let sinceVersions: [Int64] = [9, 13]
    init(_ c: OpContext) throws {}
    static func sign<T: FloatingPoint>(_ x: T) -> T { x.isNaN ? x : (x > 0 ? 1 : (x < 0 ? -1 : 0)) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.unary(try context.tensor(inputs, 0), context,
                                      float: Sign.sign, double: Sign.sign,
                                      integer: { $0.signum() }, unsigned: { $0 == 0 ? 0 : 1 }))]
    }
}
