/// Slice: numpy-style slicing with clamping and negative steps. Opset 1 takes starts,
/// ends and axes as attributes; opset 10 on takes them (and steps) as inputs.
struct SliceOp: Operator {
    static let opType = "Slice"
    static let sinceVersions: [Int64] = [1, 10, 11, 13]
    let attributes: (starts: [Int64], ends: [Int64], axes: [Int64]?)?
    init(_ c: OpContext) throws {
        attributes = c.sinceVersion < 10 ? (try c.ints("starts"), try c.ints("ends"), try c.intsIfPresent("axes")) : nil
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let starts: [Int64], ends: [Int64], axes: [Int64]?, steps: [Int64]?
        if let attributes {
            (starts, ends, axes, steps) = (attributes.starts, attributes.ends, attributes.axes, nil)
        } else {
            starts = try context.tensor(inputs, 1).int64s()
            ends = try context.tensor(inputs, 2).int64s()
            axes = try context.optionalTensor(inputs, 3)?.int64s()
            steps = try context.optionalTensor(inputs, 4)?.int64s()
        }
        guard starts.count == ends.count else { throw context.invalid("starts and ends have different lengths") }
        let ax = try TensorSupport.axes(axes ?? (0..<Int64(starts.count)).map { $0 }, rank: x.rank, context.nodeName)
        guard ax.count == starts.count else { throw context.invalid("axes and starts have different lengths") }
        let st = steps ?? [Int64](repeating: 1, count: starts.count)
        guard st.count == starts.count else { throw context.invalid("steps and starts have different lengths") }
        var begin = [Int](repeating: 0, count: x.rank)
        var step = [Int](repeating: 1, count: x.rank)
        var shape = x.shape
        for (i, a) in ax.enumerated() {
            let d = Int64(x.shape[a])
            let s = st[i]
            guard s != 0 else { throw context.invalid("slice step is 0") }
            var b = starts[i], e = ends[i]
            if b < 0 { b = b &+ d }
            if e < 0 { e = e &+ d }
            let n: Int64
            if s > 0 {
                b = min(max(b, 0), d)
                e = min(max(e, 0), d)
                n = e > b ? (e - b - 1) / s + 1 : 0
            } else {
                b = min(max(b, 0), d - 1)
                e = min(max(e, -1), d - 1)
                let m = s == Int64.min ? Int64.max : -s
                n = b > e ? (b - e - 1) / m + 1 : 0
            }
            begin[a] = Int(b)
            step[a] = n <= 1 ? 1 : Int(s)
            shape[a] = Int(n)
        }
        return [.tensor(x.gathered(SliceOp.map(x.shape, begin: begin, step: step, outShape: shape), shape: shape))]
    }

    /// Flat source indices of a strided box.
    static func map(_ inShape: [Int], begin: [Int], step: [Int], outShape: [Int]) -> [Int] {
        let n = outShape.reduce(1, *)
        if n == 0 { return [] }
        let strides = TensorValue.strides(for: inShape)
        let rank = inShape.count
        var out = [Int](repeating: 0, count: n)
        if rank == 0 { return out }
        let s = (0..<rank).map { strides[$0] * step[$0] }
        var idx = [Int](repeating: 0, count: rank)
        var src = (0..<rank).reduce(0) { $0 + begin[$1] * strides[$1] }
        let last = rank - 1
        var k = 0
        while k < n {
            var p = src
            for _ in 0..<outShape[last] { out[k] = p; p += s[last]; k += 1 }
            var d = last - 1
            while d >= 0 {
                idx[d] += 1
                src += s[d]
                if idx[d] < outShape[d] { break }
                src -= s[d] * idx[d]
                idx[d] = 0
                d -= 1
            }
            if d < 0 { break }
        }
        return out
    }
}
