/// Not: logical negation of a bool tensor.
struct Not: Operator {
    static let opType = "Not"
    static let sinceVersions: [Int64] = [1]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.dataType == .bool else { throw context.invalid("input must be bool, not \(x.dataType)") }
        return [.tensor(TensorValue(bools: try x.bools().map { !$0 }, shape: x.shape))]
    }
}
