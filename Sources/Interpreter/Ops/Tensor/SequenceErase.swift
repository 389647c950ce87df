/// SequenceErase: the sequence without the element at a position (default: the last).
struct SequenceErase: Operator {
    static let opType = "SequenceErase"
    static let sinceVersions: [Int64] = [11]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        var (items, type) = try SequenceSupport.sequence(inputs, 0, context)
        guard !items.isEmpty else { throw context.invalid("cannot erase from an empty sequence") }
        let p = try context.optionalTensor(inputs, 1).map {
            try SequenceSupport.position($0, count: items.count, limit: items.count, context)
        } ?? items.count - 1
        type = SequenceSupport.elementType(of: items, fallback: type)
        items.remove(at: p)
        return [.sequence(items, elementType: type)]
    }
}
