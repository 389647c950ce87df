import ONNX

/// OneHot: a new axis of size depth holding values[1] where it equals the index and
/// values[0] elsewhere; negative indices count from depth, out-of-range ones are all off.
struct OneHot: Operator {
    static let opType = "OneHot"
    static let sinceVersions: [Int64] = [9, 11, 28]
    let axis: Int64
    init(_ c: OpContext) throws { axis = try c.int("axis", default: -1) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let indices = try context.tensor(inputs, 0)
        let depthT = try context.tensor(inputs, 1)
        let values = try context.tensor(inputs, 2)
        guard depthT.count == 1 else { throw context.invalid("depth must have one element") }
        guard values.count == 2 else { throw context.invalid("values must have two elements (off, on)") }
        let depthD = try depthT.doubles()[0]
        guard depthD >= 1, depthD < 1e9 else { throw context.invalid("depth \(depthD) is not positive") }
        let depth = Int(depthD)
        let outRank = indices.rank + 1
        let a = try TensorSupport.axis(axis, rank: outRank, context.nodeName)
        let idx = try indices.doubles().map { v -> Int in
            guard v.isFinite, abs(v) < 1e15 else { return -1 }
            var i = Int(v.rounded(.towardZero))
            if i < 0 { i += depth }
            return i >= 0 && i < depth ? i : -1
        }
        let outer = indices.shape[..<a].reduce(1, *)
        let inner = indices.shape[a...].reduce(1, *)
        var shape = indices.shape
        shape.insert(depth, at: a)
        let n = try TensorSupport.count(shape, context.nodeName)
        var map = [Int](repeating: 0, count: n)
        for o in 0..<outer {
            for j in 0..<inner {
                let i = idx[o * inner + j]
                if i >= 0 { map[(o * depth + i) * inner + j] = 1 }
            }
        }
        return [.tensor(values.gathered(map, shape: shape))]
    }
}
