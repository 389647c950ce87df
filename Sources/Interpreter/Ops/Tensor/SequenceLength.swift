/// SequenceLength: the number of elements, as an int64 scalar.
struct SequenceLength: Operator {
    static let opType = "SequenceLength"
    static let sinceVersions: [Int64] = [11]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (items, _) = try SequenceSupport.sequence(inputs, 0, context)
        return [.tensor(TensorValue(int64s: [Int64(items.count)], shape: []))]
    }
}
