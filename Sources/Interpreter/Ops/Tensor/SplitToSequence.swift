/// SplitToSequence: splits along an axis into a sequence: by the sizes in `split` (a
/// scalar gives equal chunks, the last may be smaller), or into size-1 pieces, which
/// lose the axis when keepdims is 0.
struct SplitToSequence: Operator {
    static let opType = "SplitToSequence"
    static let sinceVersions: [Int64] = [11, 24]
    let axis: Int64
    let keepDims: Bool
    init(_ c: OpContext) throws {
        axis = try c.int("axis", default: 0)
        keepDims = try c.int("keepdims", default: 1) != 0
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let a = try TensorSupport.axis(axis, rank: x.rank, context.nodeName)
        let dim = x.shape[a]
        var squeeze = false
        let sizes: [Int]
        if let s = try context.optionalTensor(inputs, 1) {
            let v = try s.ints()
            if s.rank == 0 {
                guard let chunk = v.first, chunk > 0 else { throw context.invalid("split must be positive") }
                sizes = stride(from: 0, to: dim, by: chunk).map { min(chunk, dim - $0) }
            } else {
                guard v.allSatisfy({ $0 >= 0 }), v.reduce(0, +) == dim else {
                    throw context.invalid("split \(v) does not add up to the axis size \(dim)")
                }
                sizes = v
            }
        } else {
            sizes = [Int](repeating: 1, count: dim)
            squeeze = !keepDims
        }
        var pieces = try Split.pieces(x, axis: a, sizes: sizes)
        if squeeze {
            var shape = x.shape
            shape.remove(at: a)
            pieces = try pieces.map { try $0.reshaped(shape) }
        }
        return [.sequence(pieces.map { .tensor($0) }, elementType: .tensor(x.dataType, nil))]
    }
}
