/// Sqrt: the square root (NaN below zero) (float types keep their type; float16 and bfloat16 compute in Float).
struct Sqrt: Operator {
    static let opType = "Sqrt"
    static let sinceVersions: [Int64] = [1, 6, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Arithmetic.floatUnary(try context.tensor(inputs, 0), context, float: { $0.squareRoot() }, double: { $0.squareRoot() }))]
    }
}
