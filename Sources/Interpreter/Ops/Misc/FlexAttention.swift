import Foundation
import ONNX

/// FlexAttention (ai.onnx.preview, version 1): scaled dot-product attention over
/// rank-4 Q [B, Hq, L, E], K [B, Hkv, S, E], V [B, Hkv, S, Ev] with optional subgraphs
/// that rewrite the whole score tensor (score_mod: scores [B, Hq, L, S] -> same) and the
/// whole probability tensor (prob_mod). Query head h reads K/V head h / (Hq / Hkv).
/// Follows the function body: sqrt(scale) (scale defaults to 1 / sqrt(E), computed in
/// float32) multiplies Q and K in their type, the scores are cast to the softmax
/// precision (`softmax_precision`, default float32, or double for double inputs), then
/// score_mod, softmax over the last axis and prob_mod run in that precision, and the
/// product with V is computed there and cast back to Q's type.
struct FlexAttention: Operator {
    static let domain = "ai.onnx.preview"
    static let opType = "FlexAttention"
    static let sinceVersions: [Int64] = [1]
    let scale: Float?
    let softmaxPrecision: DataType?
    let scoreMod: PreparedGraph?
    let probMod: PreparedGraph?

    init(_ c: OpContext) throws {
        scale = c.has("scale") ? try c.float("scale") : nil
        softmaxPrecision = c.has("softmax_precision") ? try MiscSupport.dataType(try c.int("softmax_precision"), "softmax_precision", c) : nil
        if let p = softmaxPrecision, !MiscSupport.isReal(p) {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "softmax_precision", message: "must be a floating-point type, not \(p)")
        }
        scoreMod = c.has("score_mod") ? try c.graph("score_mod") : nil
        probMod = c.has("prob_mod") ? try c.graph("prob_mod") : nil
    }

    /// Values rounded to the precision of `type` (identity for double).
    private static func rounded(_ v: [Double], _ type: DataType) throws -> [Double] {
        if type == .double { return v }
        if type == .float { return v.map { Double(Float($0)) } }
        return try TensorValue.converting(v, to: type, shape: [v.count]).doubles()
    }

    /// Runs a modifier subgraph on a tensor and checks that it keeps the shape.
    private func modify(_ g: PreparedGraph, _ v: [Double], _ type: DataType, _ shape: [Int], _ what: String, _ context: RunContext) throws -> [Double] {
        let input = try MiscSupport.real(v, type, shape: shape)
        let out = try context.run(g, inputs: [.tensor(input)])
        guard let first = out.first, case .tensor(let t) = first else { throw context.invalid("\(what) produced no tensor") }
        guard t.shape == shape else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "\(what) returned shape \(t.shape) for \(shape)")
        }
        return try Self.rounded(try t.doubles(), type)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let q = try context.tensor(inputs, 0), k = try context.tensor(inputs, 1), v = try context.tensor(inputs, 2)
        for (t, n) in [(q, "Q"), (k, "K"), (v, "V")] {
            try MiscSupport.requireReal(t, n, context)
            guard t.rank == 4 else { throw InterpreterError.shapeMismatch(node: context.nodeName, message: "\(n) must be rank 4, got \(t.shape)") }
        }
        let (b, hq, l, e) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let (hkv, s, ev) = (k.shape[1], k.shape[2], v.shape[3])
        guard k.shape[0] == b, v.shape[0] == b, v.shape[1] == hkv, v.shape[2] == s, k.shape[3] == e else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "Q \(q.shape), K \(k.shape) and V \(v.shape) do not fit together")
        }
        guard hkv > 0, hq % hkv == 0 else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "\(hq) query heads do not divide into \(hkv) K/V heads")
        }
        let t = q.dataType
        let p = softmaxPrecision ?? (t == .double ? .double : .float)
        let sc: Float = scale ?? 1 / Float(e).squareRoot()
        let root = try Self.rounded([Double(sc.squareRoot())], t)[0]
        let qs = try Self.rounded(try q.doubles().map { $0 * root }, t)
        let ks = try Self.rounded(try k.doubles().map { $0 * root }, t)
        let vv = try v.doubles()
        let group = hq / hkv
        // Scores [B, Hq, L, S] = Qs Ks^T, rounded to T, then held in the softmax precision.
        var scores = [Double](repeating: 0, count: b * hq * l * s)
        for bi in 0..<b {
            for h in 0..<hq {
                let kh = h / group
                for i in 0..<l {
                    let qo = ((bi * hq + h) * l + i) * e
                    for j in 0..<s {
                        let ko = ((bi * hkv + kh) * s + j) * e
                        var acc = 0.0
                        for d in 0..<e { acc += qs[qo + d] * ks[ko + d] }
                        scores[((bi * hq + h) * l + i) * s + j] = acc
                    }
                }
            }
        }
        scores = try Self.rounded(try Self.rounded(scores, t), p)
        let scoreShape = [b, hq, l, s]
        if let scoreMod { scores = try modify(scoreMod, scores, p, scoreShape, "score_mod", context) }
        // Softmax over the last axis.
        for r in 0..<(b * hq * l) {
            let o = r * s
            var m = -Double.infinity
            for j in 0..<s { m = max(m, scores[o + j]) }
            var sum = 0.0
            for j in 0..<s { let x = exp(scores[o + j] - m); scores[o + j] = x; sum += x }
            for j in 0..<s { scores[o + j] /= sum }
        }
        scores = try Self.rounded(scores, p)
        if let probMod { scores = try modify(probMod, scores, p, scoreShape, "prob_mod", context) }
        let vp = p == t ? vv : try Self.rounded(vv, p)
        var y = [Double](repeating: 0, count: b * hq * l * ev)
        for bi in 0..<b {
            for h in 0..<hq {
                let kh = h / group
                for i in 0..<l {
                    let po = ((bi * hq + h) * l + i) * s, yo = ((bi * hq + h) * l + i) * ev
                    for j in 0..<s {
                        let w = scores[po + j]
                        let vo = ((bi * hkv + kh) * s + j) * ev
                        for d in 0..<ev { y[yo + d] += w * vp[vo + d] }
                    }
                }
            }
        }
        return [.tensor(try MiscSupport.real(try Self.rounded(y, p), t, shape: [b, hq, l, ev]))]
    }
}
