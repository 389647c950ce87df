/// Gather: picks slices along an axis by index (negative indices count from the end).
struct Gather: Operator {
    static let opType = "Gather"
    static let sinceVersions: [Int64] = [1, 11, 13]
    let axis: Int64
    init(_ c: OpContext) throws { axis = try c.int("axis", default: 0) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let indices = try context.tensor(inputs, 1)
        let a = try TensorSupport.axis(axis, rank: x.rank, context.nodeName)
        let dim = x.shape[a]
        let idx = try indices.int64s()
        let outer = x.shape[..<a].reduce(1, *)
        let inner = x.shape[(a + 1)...].reduce(1, *)
        var norm = [Int](repeating: 0, count: idx.count)
        for (i, v) in idx.enumerated() {
            guard v >= -Int64(dim), v < Int64(dim) else { throw context.invalid("index \(v) is out of range for axis size \(dim)") }
            norm[i] = Int(v < 0 ? v + Int64(dim) : v)
        }
        let shape = Array(x.shape[..<a]) + indices.shape + Array(x.shape[(a + 1)...])
        var map: [Int] = []
        map.reserveCapacity(outer * norm.count * inner)
        for o in 0..<outer {
            for j in norm {
                let base = (o * dim + j) * inner
                for k in 0..<inner { map.append(base + k) }
            }
        }
        return [.tensor(x.gathered(map, shape: shape))]
    }
}
