/// NonZero: the coordinates of the non-zero elements, as int64 [rank, count] in
/// row-major order (a scalar counts as rank 1).
struct NonZero: Operator {
    static let opType = "NonZero"
    static let sinceVersions: [Int64] = [9, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let flags: [Bool]
        if case .string(let s) = x.storage { flags = s.map { !$0.isEmpty } } else { flags = try x.bools() }
        let shape = x.rank == 0 ? [1] : x.shape
        let strides = TensorValue.strides(for: shape)
        let hits = flags.indices.filter { flags[$0] }
        let r = shape.count
        var out = [Int64](repeating: 0, count: r * hits.count)
        for (j, flat) in hits.enumerated() {
            var rem = flat
            for d in 0..<r {
                out[d * hits.count + j] = Int64(rem / strides[d])
                rem %= strides[d]
            }
        }
        return [.tensor(TensorValue(int64s: out, shape: [r, hits.count]))]
    }
}
