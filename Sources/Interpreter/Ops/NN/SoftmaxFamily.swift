import ONNX

/// Shared by Softmax, LogSoftmax and Hardmax: versions 1 and 11 flatten the input to
/// 2-D at `axis` (default 1) and normalize each row; version 13 normalizes along
/// `axis` alone (default -1).
struct SoftmaxLayout {
    let axis: Int64
    let flatten: Bool

    init(_ c: OpContext) throws {
        flatten = c.sinceVersion < 13
        axis = try c.int("axis", default: flatten ? 1 : -1)
    }

    /// (outer, n, inner): the normalized groups are n elements `inner` apart.
    func split(_ shape: [Int], _ context: RunContext) throws -> (Int, Int, Int) {
        if shape.isEmpty { return (1, 1, 1) }
        let a = try NN.axis(axis, rank: shape.count, context)
        let outer = NN.product(shape[..<a])
        if flatten { return (outer, NN.product(shape[a...]), 1) }
        return (outer, shape[a], NN.product(shape[(a + 1)...]))
    }

    enum Kind { case softmax, logSoftmax, hardmax }

    /// `round` rounds each intermediate to the input's type (identity for float and
    /// double): onnx's reference computes float16 and bfloat16 step by step, and their
    /// precision is below the tests' tolerance. bfloat16 sums round after each addition.
    func apply<R: NNReal>(_ x: [R], _ shape: [Int], _ kind: Kind, _ context: RunContext,
                          round: ((R) -> R)? = nil, roundEachAdd: Bool = false) throws -> [R] {
        let (outer, n, inner) = try split(shape, context)
        var y = [R](repeating: 0, count: x.count)
        if x.isEmpty || n == 0 { return y }
        var buf = [R](repeating: 0, count: n)
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                var m = -R.infinity
                var at = 0
                for j in 0..<n {
                    let v = x[base + j * inner]
                    buf[j] = v
                    if v > m || (v.isNaN && !m.isNaN) { m = v; at = j }
                }
                switch kind {
                case .hardmax:
                    y[base + at * inner] = 1
                case .softmax, .logSoftmax:
                    if let round {
                        var s: R = 0
                        for j in 0..<n {
                            let e = round(R.exp(round(buf[j] - m)))
                            buf[j] = e
                            s = roundEachAdd ? round(s + e) : s + e
                        }
                        s = round(s)
                        for j in 0..<n {
                            let p = round(buf[j] / s)
                            y[base + j * inner] = kind == .softmax ? p : round(R.log(p))
                        }
                    } else if kind == .softmax {
                        var s: R = 0
                        for j in 0..<n { let e = R.exp(buf[j] - m); buf[j] = e; s += e }
                        for j in 0..<n { y[base + j * inner] = buf[j] / s }
                    } else {
                        var s: R = 0
                        for j in 0..<n { s += R.exp(buf[j] - m) }
                        let l = R.log(s)
                        for j in 0..<n { y[base + j * inner] = buf[j] - m - l }
                    }
                }
            }
        }
        return y
    }

    func run(_ inputs: [Value?], _ kind: Kind, _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        var round: ((Float) -> Float)? = nil
        if x.dataType == .float16 { round = { Float(Float16($0)) } }
        if x.dataType == .bfloat16 { round = { BFloat16($0).float } }
        return [.tensor(try NN.real(x.dataType, shape: x.shape, context,
            float: { try apply(try x.floats(), x.shape, kind, context, round: round, roundEachAdd: x.dataType == .bfloat16) },
            double: { try apply(try x.doubles(), x.shape, kind, context) }))]
    }
}
