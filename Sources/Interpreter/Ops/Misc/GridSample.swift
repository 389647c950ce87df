import ONNX

/// GridSample: samples X [N, C, D1, ..., Dk] at the normalized locations of
/// grid [N, O1, ..., Ok, k] (the last axis lists coordinates from the innermost
/// spatial axis out: x, y, z), giving [N, C, O1, ..., Ok]. -1 and 1 are the centers
/// (align_corners) or outer edges of the border pixels. Interpolation: nearest (half
/// to even), (bi/tri)linear or cubic (Keys, a = -0.75). Padding: zeros, border (clamp)
/// or reflection. Opset 16 names the modes bilinear/bicubic and is 2-D only; opset 20+
/// names them linear/cubic and takes any number of spatial axes; both names are
/// accepted at every version.
struct GridSample: Operator {
    static let opType = "GridSample"
    static let sinceVersions: [Int64] = [16, 20, 22]
    enum Mode { case nearest, linear, cubic }
    enum Padding { case zeros, border, reflection }
    let mode: Mode
    let padding: Padding
    let alignCorners: Bool
    let only2D: Bool

    init(_ c: OpContext) throws {
        let m = try c.string("mode", default: c.sinceVersion >= 20 ? "linear" : "bilinear")
        switch m {
        case "nearest": mode = .nearest
        case "linear", "bilinear": mode = .linear
        case "cubic", "bicubic": mode = .cubic
        default: throw InterpreterError.badAttribute(node: c.nodeName, attribute: "mode", message: "'\(m)' is not nearest, linear or cubic")
        }
        let p = try c.string("padding_mode", default: "zeros")
        switch p {
        case "zeros": padding = .zeros
        case "border": padding = .border
        case "reflection": padding = .reflection
        default: throw InterpreterError.badAttribute(node: c.nodeName, attribute: "padding_mode", message: "'\(p)' is not zeros, border or reflection")
        }
        alignCorners = try c.int("align_corners", default: 0) != 0
        only2D = c.sinceVersion < 20
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), grid = try context.tensor(inputs, 1)
        try MiscSupport.requireReal(grid, "grid", context)
        guard x.rank >= 3 else { throw context.invalid("X must be [N, C, D1, ...] (shape \(x.shape))") }
        let k = x.rank - 2
        if only2D && k != 2 { throw context.invalid("GridSample-16 takes 4-D input (shape \(x.shape))") }
        guard grid.rank == x.rank, grid.shape[0] == x.shape[0], grid.shape[x.rank - 1] == k else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "grid \(grid.shape) does not fit X \(x.shape) (expected [N, O1..O\(k), \(k)])")
        }
        let (n, channels) = (x.shape[0], x.shape[1])
        let dims = Array(x.shape[2...])
        let outSpatial = Array(grid.shape[1..<(x.rank - 1)])
        let positions = outSpatial.reduce(1, *)
        let plane = dims.reduce(1, *)
        let outShape = [n, channels] + outSpatial
        let total = try MiscSupport.count(outShape, context)
        guard total > 0 else { return [.tensor(try TensorValue.zeros(x.dataType, shape: outShape))] }
        let xv = try x.doubles()
        let gFloat: [Float]? = grid.dataType == .double ? nil : try grid.floats()
        let gDouble: [Double]? = grid.dataType == .double ? try grid.doubles() : nil
        let strides = TensorValue.strides(for: dims)
        var out = [Double](repeating: 0, count: total)

        // Per-axis taps (flat offset along that axis, weight): at most 4 per axis, in
        // buffers reused for every position; their tensor product likewise.
        var tapOffset = [Int](repeating: 0, count: 4 * k), tapWeight = [Double](repeating: 0, count: 4 * k)
        var tapCount = [Int](repeating: 0, count: k)
        let maxCorners = (0..<k).reduce(1) { acc, _ in acc * 4 }
        var offsets = [Int](repeating: 0, count: maxCorners), weights = [Double](repeating: 0, count: maxCorners)
        for b in 0..<n {
            for p in 0..<positions {
                var valid = true
                for j in 0..<k {
                    // Grid entry j addresses spatial axis k-1-j.
                    let axis = k - 1 - j
                    let gi = (b * positions + p) * k + j
                    let coord = gFloat.map { coordinate(Double($0[gi]), size: dims[axis], float32: true) }
                        ?? coordinate(gDouble?[gi] ?? 0, size: dims[axis], float32: false)
                    tapCount[axis] = axisTaps(coord, size: dims[axis], stride: strides[axis], into: &tapOffset, &tapWeight, at: 4 * axis)
                    if tapCount[axis] == 0 { valid = false; break }
                }
                guard valid else { continue }
                var corners = 1
                offsets[0] = 0
                weights[0] = 1
                for axis in 0..<k {
                    // Expand in place from the back so that earlier entries are read first.
                    let t = tapCount[axis]
                    for c in stride(from: corners - 1, through: 0, by: -1) {
                        let o = offsets[c], w = weights[c]
                        for q in 0..<t {
                            offsets[c * t + q] = o + tapOffset[4 * axis + q]
                            weights[c * t + q] = w * tapWeight[4 * axis + q]
                        }
                    }
                    corners *= t
                }
                for c in 0..<channels {
                    let base = (b * channels + c) * plane
                    var acc = 0.0
                    for q in 0..<corners { acc += weights[q] * xv[base + offsets[q]] }
                    out[(b * channels + c) * positions + p] = acc
                }
            }
        }
        return [.tensor(try MiscSupport.real(out, x.dataType, shape: outShape))]
    }

    /// The unnormalized coordinate of `g` on an axis of `size`, after rounding
    /// (nearest) and border/reflection handling. float32 grids compute in float32, as
    /// the reference does.
    private func coordinate(_ g: Double, size: Int, float32: Bool) -> Double {
        let d = Double(size)
        var v: Double
        if float32 {
            let gf = Float(g), df = Float(size)
            v = Double(alignCorners ? (gf + 1) / 2 * (df - 1) : ((gf + 1) * df - 1) / 2)
        } else {
            v = alignCorners ? (g + 1) / 2 * (d - 1) : ((g + 1) * d - 1) / 2
        }
        if mode == .nearest { v = v.rounded(.toNearestOrEven) }
        let (lo, hi) = bounds(size)
        if v < lo || v > hi {
            switch padding {
            case .zeros: break
            case .border: v = min(max(v, 0), d - 1)
            case .reflection: v = reflect(v, lo, hi)
            }
            if float32 { v = Double(Float(v)) }
        }
        return v
    }

    private func bounds(_ size: Int) -> (Double, Double) {
        alignCorners ? (0, Double(size) - 1) : (-0.5, Double(size) - 0.5)
    }

    /// Reflects `v` off the borders until it lies within [lo, hi].
    private func reflect(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
        let range = hi - lo
        guard range > 0, v.isFinite else { return v.isFinite ? lo : v }
        if v < lo {
            let dx = lo - v
            let flips = (dx / range).rounded(.towardZero)
            let r = dx - flips * range
            return flips.truncatingRemainder(dividingBy: 2) == 0 ? lo + r : hi - r
        }
        if v > hi {
            let dx = v - hi
            let flips = (dx / range).rounded(.towardZero)
            let r = dx - flips * range
            return flips.truncatingRemainder(dividingBy: 2) == 0 ? hi - r : lo + r
        }
        return v
    }

    /// The pixel an integer index reads under the padding mode, nil for zero padding.
    private func pixel(_ i: Int, size: Int) -> Int? {
        if i >= 0 && i < size { return i }
        switch padding {
        case .zeros: return nil
        case .border: return min(max(i, 0), size - 1)
        case .reflection:
            let (lo, hi) = bounds(size)
            let r = Int(reflect(Double(i), lo, hi).rounded(.towardZero))
            return min(max(r, 0), size - 1)
        }
    }

    /// Writes the taps (offset along the axis, weight) of coordinate `v` at
    /// `offset[at...]` and returns how many there are: 0 when the sample is all padding
    /// zeros (or the coordinate is not a number).
    private func axisTaps(_ v: Double, size: Int, stride: Int, into offset: inout [Int], _ weight: inout [Double], at: Int) -> Int {
        guard v.isFinite, abs(v) < 1e9, size > 0 else { return 0 }
        var count = 0
        func add(_ i: Int, _ w: Double) {
            if let p = pixel(i, size: size) {
                offset[at + count] = p * stride
                weight[at + count] = w
                count += 1
            }
        }
        switch mode {
        case .nearest:
            add(Int(v.rounded(.towardZero)), 1)
        case .linear:
            let f = v.rounded(.down)
            let i0 = Int(f), t = v - f
            add(i0, 1 - t)
            add(i0 + 1, t)
        case .cubic:
            let f = v.rounded(.down)
            let i0 = Int(f), t = v - f
            let a = -0.75
            func near(_ s: Double) -> Double { ((a + 2) * s - (a + 3)) * s * s + 1 }
            func far(_ s: Double) -> Double { ((a * s - 5 * a) * s + 8 * a) * s - 4 * a }
            add(i0 - 1, far(t + 1))
            add(i0, near(t))
            add(i0 + 1, near(1 - t))
            add(i0 + 2, far(2 - t))
        }
        return count
    }
}
