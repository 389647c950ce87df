/// Compress: keeps the slices along an axis (or the elements of the flattened input)
/// whose condition is true; a shorter condition leaves the remaining slices out.
struct Compress: Operator {
    static let opType = "Compress"
    static let sinceVersions: [Int64] = [9, 11, 28]
    let axis: Int64?
    init(_ c: OpContext) throws { axis = c.has("axis") ? try c.int("axis") : nil }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        var x = try context.tensor(inputs, 0)
        let cond = try context.tensor(inputs, 1).bools()
        let a: Int
        if let axis {
            a = try TensorSupport.axis(axis, rank: x.rank, context.nodeName)
        } else {
            x = try x.reshaped([x.count])
            a = 0
        }
        let dim = x.shape[a]
        if cond.count > dim, cond[dim...].contains(true) {
            throw context.invalid("condition has \(cond.count) entries for axis size \(dim)")
        }
        let keep = (0..<min(dim, cond.count)).filter { cond[$0] }
        let outer = x.shape[..<a].reduce(1, *)
        let inner = x.shape[(a + 1)...].reduce(1, *)
        var map: [Int] = []
        map.reserveCapacity(outer * keep.count * inner)
        for o in 0..<outer {
            for j in keep {
                let base = (o * dim + j) * inner
                for k in 0..<inner { map.append(base + k) }
            }
        }
        var shape = x.shape
        shape[a] = keep.count
        return [.tensor(x.gathered(map, shape: shape))]
    }
}
