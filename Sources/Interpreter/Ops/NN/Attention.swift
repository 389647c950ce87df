import ONNX
#if canImport(Glibc)
import Glibc
#endif

/// Attention (23, 24, 25): softmax(scale * Q K^T (softcapped) + bias) V, with 3-D inputs
/// split into q_num_heads / kv_num_heads heads, grouped-query attention (each KV head
/// serves q_heads / kv_heads query heads), a past KV cache concatenated along the
/// sequence, a float or bool mask (padded with -inf / false up to the KV length),
/// bottom-right causal masking, nonpad_kv_seqlen padding (24+) and sliding windows
/// (25). Rows whose bias is entirely -inf give zeros. qk_matmul_output follows
/// onnx's reference: modes 0 and 1 the (softcapped) scores, 2 with the bias added,
/// 3 the probabilities.
struct Attention: Operator {
    static let opType = "Attention"
    static let sinceVersions: [Int64] = [23, 24, 25]
    let isCausal: Bool
    let qHeads: Int?, kvHeads: Int?
    let mode: Int
    let scale: Double?
    let softcap: Double
    let leftWindow: Int, rightWindow: Int
    let softmaxPrecision: DataType?

    init(_ c: OpContext) throws {
        isCausal = try c.int("is_causal", default: 0) != 0
        qHeads = c.has("q_num_heads") ? Int(try c.int("q_num_heads")) : nil
        kvHeads = c.has("kv_num_heads") ? Int(try c.int("kv_num_heads")) : nil
        mode = Int(try c.int("qk_matmul_output_mode", default: 0))
        scale = c.has("scale") ? Double(try c.float("scale")) : nil
        softcap = Double(try c.float("softcap", default: 0))
        leftWindow = c.sinceVersion >= 25 ? Int(try c.int("left_window_size", default: -1)) : -1
        rightWindow = c.sinceVersion >= 25 ? Int(try c.int("right_window_size", default: -1)) : -1
        softmaxPrecision = c.has("softmax_precision") ? DataType(rawValue: Int32(try c.int("softmax_precision"))) : nil
    }

    /// Rounding to an element type, to reproduce the reference's step-by-step rounding
    /// for float16 and bfloat16 (whose precision is below the tests' tolerance).
    static func rounding(_ t: DataType) -> (Double) -> Double {
        switch t {
        case .float: return { Double(Float($0)) }
        case .float16: return { Double(Float(Float16(Float($0)))) }
        case .bfloat16: return { Double(BFloat16(Float($0)).float) }
        default: return { $0 }
        }
    }

    /// A tensor as [batch, heads, seq, size] values (3-D inputs are split into heads).
    private func heads(_ t: TensorValue, _ n: Int?, _ name: String, _ context: RunContext) throws -> (v: [Double], shape: [Int]) {
        let v = try t.doubles()
        if t.rank == 4 { return (v, t.shape) }
        guard t.rank == 3, let n, n > 0, t.shape[2] % n == 0 else {
            throw context.invalid("\(name) \(t.shape) needs rank 4, or rank 3 with a head count dividing its last axis")
        }
        let (b, s, hidden) = (t.shape[0], t.shape[1], t.shape[2]), hs = hidden / n
        var o = [Double](repeating: 0, count: v.count)
        for bi in 0..<b { for si in 0..<s { for h in 0..<n { for k in 0..<hs {
            o[((bi * n + h) * s + si) * hs + k] = v[(bi * s + si) * hidden + h * hs + k]
        } } } }
        return (o, [b, n, s, hs])
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let qt = try context.tensor(inputs, 0), kt = try context.tensor(inputs, 1), vt = try context.tensor(inputs, 2)
        guard NN.isReal(qt.dataType) else { throw InterpreterError.unsupportedType(qt.dataType, context: "Attention") }
        guard qt.rank == kt.rank, kt.rank == vt.rank else { throw context.invalid("Q, K and V must have the same rank") }
        let (q, qs) = try heads(qt, qHeads, "Q", context)
        var (k, ks) = try heads(kt, kvHeads, "K", context)
        var (v, vs) = try heads(vt, kvHeads, "V", context)
        let (batch, hq, sq, hsize) = (qs[0], qs[1], qs[2], qs[3])
        guard ks[0] == batch, vs[0] == batch, ks[1] == vs[1], ks[3] == hsize, ks[2] == vs[2] else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "Q \(qs), K \(ks), V \(vs) do not fit")
        }
        let hkv = ks[1]
        guard hkv > 0, hq % hkv == 0 else { throw context.invalid("\(hq) query heads are not a multiple of \(hkv) KV heads") }
        let pastK = try context.optionalTensor(inputs, 4), pastV = try context.optionalTensor(inputs, 5)
        var pastLen = 0
        if let pastK, let pastV {
            guard pastK.rank == 4, pastV.rank == 4, pastK.shape[0] == batch, pastK.shape[1] == hkv, pastK.shape[3] == hsize,
                  pastV.shape[0] == batch, pastV.shape[1] == hkv, pastV.shape[3] == vs[3], pastK.shape[2] == pastV.shape[2] else {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "past_key \(pastK.shape) / past_value \(pastV.shape) do not fit")
            }
            pastLen = pastK.shape[2]
            func concat(_ past: [Double], _ cur: [Double], _ s: [Int]) -> [Double] {
                let (p, c, d) = (pastLen, s[2], s[3])
                var o = [Double](repeating: 0, count: batch * hkv * (p + c) * d)
                for bh in 0..<(batch * hkv) {
                    for i in 0..<(p * d) { o[bh * (p + c) * d + i] = past[bh * p * d + i] }
                    for i in 0..<(c * d) { o[bh * (p + c) * d + p * d + i] = cur[bh * c * d + i] }
                }
                return o
            }
            k = concat(try pastK.doubles(), k, ks); ks[2] += pastLen
            v = concat(try pastV.doubles(), v, vs); vs[2] += pastLen
        } else if pastK != nil || pastV != nil {
            throw context.invalid("past_key and past_value must be given together")
        }
        let skv = ks[2], hv = vs[3]
        var nonpad: [Int]? = nil
        if let t = try context.optionalTensor(inputs, 6) {
            let l = try t.ints()
            guard l.count == batch else { throw context.invalid("nonpad_kv_seqlen has \(l.count) values for batch \(batch)") }
            nonpad = l
        }
        // The mask, right-aligned to [batch, hq, sq, skv]; the last axis may be shorter.
        let maskT = try context.optionalTensor(inputs, 3)
        var maskVals: [Double] = [], maskStrides = [0, 0, 0, 0], maskLast = 0
        let maskBool = maskT?.dataType == .bool
        if let m = maskT {
            guard m.rank >= 1, m.rank <= 4 else { throw context.invalid("attn_mask must have rank 1 to 4, got \(m.shape)") }
            maskVals = maskBool ? try m.bools().map { $0 ? 0 : -.infinity } : try m.doubles()
            let full = [batch, hq, sq, skv]
            let st = m.strides
            for (i, d) in m.shape.enumerated() {
                let j = 4 - m.rank + i
                if j == 3 { maskLast = d; guard d <= skv else { throw context.invalid("attn_mask's last axis \(d) exceeds the KV length \(skv)") }; maskStrides[3] = st[i]; continue }
                guard d == full[j] || d == 1 else { throw InterpreterError.shapeMismatch(node: context.nodeName, message: "attn_mask \(m.shape) does not broadcast to \(full)") }
                maskStrides[j] = d == 1 ? 0 : st[i]
            }
        }
        let type = qt.dataType
        let rnd = Attention.rounding(type)
        let srnd = Attention.rounding(softmaxPrecision ?? type)
        // bfloat16 sums round after every addition (ml_dtypes); other types accumulate wider.
        let sequentialSum = (softmaxPrecision ?? type) == .bfloat16
        // The reference scales Q and K by sqrt(scale) each, rounded to the input type.
        let scaleRoot = rnd((scale ?? 1 / Double(hsize).squareRoot()).squareRoot())
        let qsc = q.map { rnd($0 * scaleRoot) }
        let ksc = k.map { rnd($0 * scaleRoot) }
        let group = hq / hkv
        var y = [Double](repeating: 0, count: batch * hq * sq * hv)
        var qk = [Double](repeating: 0, count: batch * hq * sq * skv)
        var row = [Double](repeating: 0, count: skv), bias = row
        for b in 0..<batch {
            // Causal and window frontiers: query i sits at absolute position i + offset.
            let offset = pastK != nil ? pastLen : (nonpad.map { $0[b] - sq } ?? 0)
            for h in 0..<hq {
                let kh = h / group
                for i in 0..<sq {
                    let qo = ((b * hq + h) * sq + i) * hsize
                    var maxBias = -Double.infinity
                    for j in 0..<skv {
                        var bsum = 0.0
                        if maskT != nil {
                            if j < maskLast {
                                bsum += rnd(maskVals[b * maskStrides[0] + h * maskStrides[1] + i * maskStrides[2] + j * maskStrides[3]])
                            } else { bsum = -.infinity }
                        }
                        if isCausal && j > i + offset { bsum = -.infinity }
                        let diff = i + offset - j
                        if leftWindow >= 0 && diff > leftWindow { bsum = -.infinity }
                        if rightWindow >= 0 && -diff > rightWindow { bsum = -.infinity }
                        if let nonpad, j >= nonpad[b] { bsum = -.infinity }
                        bias[j] = bsum
                        maxBias = max(maxBias, bsum)
                        let ko = ((b * hkv + kh) * skv + j) * hsize
                        var acc: Float = 0
                        var s = 0.0
                        if type == .double {
                            for d in 0..<hsize { s += qsc[qo + d] * ksc[ko + d] }
                        } else {
                            for d in 0..<hsize { acc += Float(qsc[qo + d]) * Float(ksc[ko + d]) }
                            s = rnd(Double(acc))
                        }
                        if softcap > 0 { s = rnd(Double(softcap) * rnd(Glibc.tanh(rnd(s / softcap)))) }
                        row[j] = s
                    }
                    let qkRow = ((b * hq + h) * sq + i) * skv
                    if mode <= 1 { for j in 0..<skv { qk[qkRow + j] = row[j] } }
                    for j in 0..<skv { row[j] = rnd(row[j] + bias[j]) }
                    if mode == 2 { for j in 0..<skv { qk[qkRow + j] = row[j] } }
                    // Softmax; a fully masked row is all zeros.
                    if maxBias == -.infinity {
                        for j in 0..<skv { row[j] = 0 }
                    } else {
                        for j in 0..<skv { row[j] = srnd(row[j]) }
                        var m = -Double.infinity
                        for j in 0..<skv where row[j] > m || row[j].isNaN { m = row[j] }
                        if m == -.infinity { m = 0 }
                        var s = 0.0
                        for j in 0..<skv {
                            row[j] = srnd(Glibc.exp(srnd(row[j] - m)))
                            s = sequentialSum ? srnd(s + row[j]) : s + row[j]
                        }
                        s = srnd(s)
                        if s == 0 { s = 1 }
                        for j in 0..<skv { row[j] = rnd(srnd(row[j] / s)) }
                    }
                    if mode == 3 { for j in 0..<skv { qk[qkRow + j] = row[j] } }
                    let yo = ((b * hq + h) * sq + i) * hv
                    if type == .double {
                        for j in 0..<skv where row[j] != 0 {
                            let vo = ((b * hkv + kh) * skv + j) * hv
                            for d in 0..<hv { y[yo + d] += row[j] * v[vo + d] }
                        }
                    } else {
                        for d in 0..<hv {
                            var acc: Float = 0
                            for j in 0..<skv { acc += Float(row[j]) * Float(v[((b * hkv + kh) * skv + j) * hv + d]) }
                            y[yo + d] = Double(acc)
                        }
                    }
                }
            }
        }
        var yShape = [batch, hq, sq, hv]
        if qt.rank == 3 {
            var t = [Double](repeating: 0, count: y.count)
            for b in 0..<batch { for h in 0..<hq { for i in 0..<sq { for d in 0..<hv {
                t[(b * sq + i) * hq * hv + h * hv + d] = y[((b * hq + h) * sq + i) * hv + d]
            } } } }
            y = t
            yShape = [batch, sq, hq * hv]
        }
        return [.tensor(try .converting(y, to: type, shape: yShape)),
                .tensor(try .converting(k, to: kt.dataType, shape: [batch, hkv, skv, hsize])),
                .tensor(try .converting(v, to: vt.dataType, shape: [batch, hkv, skv, hv])),
                .tensor(try .converting(qk, to: type, shape: [batch, hq, sq, skv]))]
    }
}
