/// SequenceConstruct: a sequence of the input tensors (one element type).
struct SequenceConstruct: Operator {
    static let opType = "SequenceConstruct"
    static let sinceVersions: [Int64] = [11]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        var items: [Value] = []
        for i in inputs.indices {
            let t = try context.tensor(inputs, i)
            if case .tensor(let first)? = items.first, first.dataType != t.dataType {
                throw context.invalid("inputs have different element types (\(first.dataType) and \(t.dataType))")
            }
            items.append(.tensor(t))
        }
        return [.sequence(items, elementType: SequenceSupport.elementType(of: items, fallback: nil))]
    }
}
