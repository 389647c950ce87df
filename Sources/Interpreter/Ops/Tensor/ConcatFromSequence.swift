/// ConcatFromSequence: concatenates a sequence's tensors along an axis, or stacks them
/// along a new axis when new_axis is 1.
struct ConcatFromSequence: Operator {
    static let opType = "ConcatFromSequence"
    static let sinceVersions: [Int64] = [11]
    let axis: Int64
    let newAxis: Bool
    init(_ c: OpContext) throws {
        axis = try c.int("axis")
        newAxis = try c.int("new_axis", default: 0) != 0
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (items, _) = try SequenceSupport.sequence(inputs, 0, context)
        var tensors: [TensorValue] = []
        for v in items {
            guard case .tensor(let t) = v else { throw context.invalid("sequence element \(v) is not a tensor") }
            tensors.append(t)
        }
        guard let first = tensors.first else { throw context.invalid("cannot concatenate an empty sequence") }
        if newAxis {
            let r = Int64(first.rank + 1)
            guard axis >= -r, axis < r else { throw context.invalid("axis \(axis) is out of range for rank \(r)") }
            let a = Int(axis < 0 ? axis + r : axis)
            tensors = try tensors.map { t in
                var s = t.shape
                s.insert(1, at: min(a, s.count))
                return try t.reshaped(s)
            }
            return [.tensor(try Concat.join(tensors, axis: Int64(a), context.nodeName))]
        }
        return [.tensor(try Concat.join(tensors, axis: axis, context.nodeName))]
    }
}
