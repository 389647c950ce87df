/// Mean: the elementwise mean of one or more inputs, with broadcasting (float types;
/// the sum accumulates in the input's type, as onnx's reference does).
struct Mean: Operator {
    static let opType = "Mean"
    static let sinceVersions: [Int64] = [1, 6, 8, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (sum, n) = try Arithmetic.variadic(inputs, context, float: +, double: +, integer: nil)
        let fn = Float(n), dn = Double(n)
        return [.tensor(try Arithmetic.floatUnary(sum, context, float: { $0 / fn }, double: { $0 / dn }))]
    }
}
