/// Size: the input's element count as an int64 scalar.
struct Size: Operator {
    static let opType = "Size"
    static let sinceVersions: [Int64] = [1, 13, 19, 21, 23, 24, 25]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        return [.tensor(TensorValue(int64s: [Int64(x.count)], shape: []))]
    }
}
