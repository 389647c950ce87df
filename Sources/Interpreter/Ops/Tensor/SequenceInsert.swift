/// SequenceInsert: the sequence with a tensor inserted at a position (default: the end).
struct SequenceInsert: Operator {
    static let opType = "SequenceInsert"
    static let sinceVersions: [Int64] = [11]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        var (items, type) = try SequenceSupport.sequence(inputs, 0, context)
        let t = try context.tensor(inputs, 1)
        if case .tensor(let first)? = items.first, first.dataType != t.dataType {
            throw context.invalid("cannot insert a \(t.dataType) tensor into a sequence of \(first.dataType)")
        }
        if let e = type?.tensorElementType, e != t.dataType, items.isEmpty, e.isKnown {
            throw context.invalid("cannot insert a \(t.dataType) tensor into a sequence of \(e)")
        }
        let p = try context.optionalTensor(inputs, 2).map {
            try SequenceSupport.position($0, count: items.count, limit: items.count + 1, context)
        } ?? items.count
        items.insert(.tensor(t), at: p)
        type = SequenceSupport.elementType(of: items, fallback: type)
        return [.sequence(items, elementType: type)]
    }
}
