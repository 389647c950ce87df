/// GreaterOrEqual: a >= b elementwise with broadcasting, as a bool tensor.
/// Unsigned 64-bit values compare as unsigned.
struct GreaterOrEqual: Operator {
    static let opType = "GreaterOrEqual"
    static let sinceVersions: [Int64] = [12, 16]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = try context.tensor(inputs, 0), b = try context.tensor(inputs, 1)
        return [.tensor(try Arithmetic.compare(a, b, .greaterOrEqual, context))]
    }
}
