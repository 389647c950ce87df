import ONNX

/// AffineGrid: the sampling grid of an affine transform, for GridSample. theta
/// [N, 2, 3] with size (N, C, H, W) gives [N, H, W, 2]; theta [N, 3, 4] with size
/// (N, C, D, H, W) gives [N, D, H, W, 3]. Each output point is theta @ (x, y[, z], 1)
/// for the normalized base coordinates in [-1, 1]: pixel centers -1 + (2i + 1)/n, or
/// -1 + 2i/(n - 1) with align_corners.
struct AffineGrid: Operator {
    static let opType = "AffineGrid"
    static let sinceVersions: [Int64] = [20]
    let alignCorners: Bool
    init(_ c: OpContext) throws { alignCorners = try c.int("align_corners", default: 0) != 0 }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let theta = try context.tensor(inputs, 0)
        let size = try context.tensor(inputs, 1).ints()
        try MiscSupport.requireReal(theta, "theta", context)
        guard size.count == 4 || size.count == 5 else { throw context.invalid("size must have 4 or 5 values, not \(size)") }
        let k = size.count - 2
        let n = size[0]
        guard theta.shape == [n, k, k + 1] else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "theta \(theta.shape) is not [\(n), \(k), \(k + 1)] for size \(size)")
        }
        // Spatial sizes from the innermost axis out: W, H[, D].
        let spatial = Array(size[2...])
        guard spatial.allSatisfy({ $0 >= 0 }) else { throw context.invalid("size \(size) has a negative dimension") }
        let outShape = [n] + spatial + [k]
        var out = [Double](repeating: 0, count: try MiscSupport.count(outShape, context))
        let th = try theta.doubles()
        func base(_ i: Int, _ len: Int) -> Double {
            if alignCorners { return len > 1 ? -1 + 2 * Double(i) / Double(len - 1) : -1 }
            return -1 + (2 * Double(i) + 1) / Double(len)
        }
        let points = spatial.reduce(1, *)
        var idx = [Int](repeating: 0, count: k)
        var coords = [Double](repeating: 0, count: k + 1)
        for p in 0..<points {
            // Decompose p into the spatial index (row-major over D, H, W).
            var rem = p
            for a in stride(from: k - 1, through: 0, by: -1) { idx[a] = rem % spatial[a]; rem /= spatial[a] }
            // Homogeneous coordinate: x (last axis) first.
            for j in 0..<k { coords[j] = base(idx[k - 1 - j], spatial[k - 1 - j]) }
            coords[k] = 1
            for b in 0..<n {
                let o = (b * points + p) * k
                for r in 0..<k {
                    var s = 0.0
                    for j in 0...k { s += th[(b * k + r) * (k + 1) + j] * coords[j] }
                    out[o + r] = s
                }
            }
        }
        return [.tensor(try MiscSupport.real(out, theta.dataType, shape: outShape))]
    }
}
