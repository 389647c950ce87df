import ONNX

/// Gemm: alpha * op(A) * op(B) + beta * C, C broadcast to (M, N) (optional from 11).
/// Versions 1 and 6 require `broadcast` for a non-(M, N) C; broadcasting is accepted
/// at every version.
struct Gemm: Operator {
    static let opType = "Gemm"
    static let sinceVersions: [Int64] = [1, 6, 7, 9, 11, 13]
    let transA: Bool, transB: Bool
    let alpha: Float, beta: Float

    init(_ c: OpContext) throws {
        transA = try c.int("transA", default: 0) != 0
        transB = try c.int("transB", default: 0) != 0
        alpha = try c.float("alpha", default: 1)
        beta = try c.float("beta", default: 1)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = try context.tensor(inputs, 0), b = try context.tensor(inputs, 1)
        let cT = try context.optionalTensor(inputs, 2)
        guard a.rank == 2, b.rank == 2 else { throw context.invalid("Gemm needs 2-D A and B, got \(a.shape) and \(b.shape)") }
        guard a.dataType == b.dataType else { throw context.invalid("A and B have different element types") }
        let m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1]
        let kb = transB ? b.shape[1] : b.shape[0], n = transB ? b.shape[0] : b.shape[1]
        guard k == kb else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "Gemm inner dimensions differ: A \(a.shape) B \(b.shape)")
        }
        var cMap: [Int]? = nil
        if let cT {
            guard cT.rank <= 2, let s = Broadcast.shape([cT.shape, [m, n]]), s == [m, n] else {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "C \(cT.shape) does not broadcast to [\(m), \(n)]")
            }
            cMap = Broadcast.indexMap(from: cT.shape, to: [m, n])
        }
        let aRS = transA ? 1 : a.shape[1], aCS = transA ? a.shape[1] : 1
        let bRS = transB ? 1 : b.shape[1], bCS = transB ? b.shape[1] : 1
        switch a.dataType {
        case .float, .float16, .bfloat16:
            let av = try a.floats(), bv = try b.floats()
            var out = [Float](repeating: 0, count: m * n)
            var accumulate = false
            if let cT, let cMap, beta != 0 {
                let cv = try cT.floats()
                for i in 0..<(m * n) { out[i] = beta * cv[cMap[i]] }
                accumulate = true
            }
            if !out.isEmpty {
                av.withUnsafeBufferPointer { ap in
                    bv.withUnsafeBufferPointer { bp in
                        out.withUnsafeMutableBufferPointer { cp in
                            guard let c = cp.baseAddress else { return }
                            let abase = ap.baseAddress ?? UnsafePointer(c), bbase = bp.baseAddress ?? UnsafePointer(c)
                            FloatGemm.multiply(
                                m: m, n: n, k: k,
                                a: .init(base: abase, rowStride: aRS, colStride: aCS),
                                b: .init(base: bbase, rowStride: bRS, colStride: bCS),
                                c: c, ldc: n, alpha: alpha, accumulate: accumulate)
                        }
                    }
                }
            }
            return [.tensor(a.dataType == .float ? TensorValue(floats: out, shape: [m, n]) : try .converting(out, to: a.dataType, shape: [m, n]))]
        case .double:
            let r = try reference(a.doubles(), b.doubles(), cT?.doubles(), cMap, m, n, k, aRS, aCS, bRS, bCS, Double(alpha), Double(beta))
            return [.tensor(TensorValue(doubles: r, shape: [m, n]))]
        case .int32, .int64, .uint32, .uint64:
            let av = try a.int64s(), bv = try b.int64s()
            let cv = try cT?.int64s()
            let al = Int64(alpha), be = Int64(beta)
            var out = [Int64](repeating: 0, count: m * n)
            for i in 0..<m {
                for j in 0..<n {
                    var s: Int64 = 0
                    for q in 0..<k { s = s &+ av[i * aRS + q * aCS] &* bv[q * bRS + j * bCS] }
                    var r = al &* s
                    if let cv, let cMap { r = r &+ be &* cv[cMap[i * n + j]] }
                    out[i * n + j] = r
                }
            }
            return [.tensor(try .converting(out, to: a.dataType, shape: [m, n]))]
        default:
            throw InterpreterError.unsupportedType(a.dataType, context: "Gemm")
        }
    }

    private func reference(
        _ av: [Double], _ bv: [Double], _ cv: [Double]?, _ cMap: [Int]?, _ m: Int, _ n: Int, _ k: Int,
        _ aRS: Int, _ aCS: Int, _ bRS: Int, _ bCS: Int, _ alpha: Double, _ beta: Double
    ) -> [Double] {
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for q in 0..<k {
                let x = av[i * aRS + q * aCS]
                for j in 0..<n { out[i * n + j] += x * bv[q * bRS + j * bCS] }
            }
        }
        for i in 0..<(m * n) {
            out[i] *= alpha
            if let cv, let cMap { out[i] += beta * cv[cMap[i]] }
        }
        return out
    }
}
