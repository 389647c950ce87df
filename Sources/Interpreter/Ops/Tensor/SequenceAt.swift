/// SequenceAt: the element at a position (negative counts from the end).
struct SequenceAt: Operator {
    static let opType = "SequenceAt"
    static let sinceVersions: [Int64] = [11]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (items, _) = try SequenceSupport.sequence(inputs, 0, context)
        let p = try SequenceSupport.position(try context.tensor(inputs, 1), count: items.count, limit: items.count, context)
        return [items[p]]
    }
}
