import ONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// LinearAttention (version 27): recurrent linear attention over packed [B, T, H*D]
/// query, key and value, with a state S of shape [B, H_kv, d_k, d_v] (past_state, or
/// zeros). Per time step, with g the decay (log space) and β the delta step:
///   linear:      S = S + k ⊗ v
///   gated:       S = exp(g) S + k ⊗ v
///   delta:       S = S + k ⊗ β (v - Sᵀk)
///   gated_delta: S = exp(g) S + k ⊗ β (v - (exp(g) S)ᵀk)
///   o = scale * qᵀ S   (query head h reads KV head h / (H_q / H_kv))
/// decay is [B, T, H_kv * d_k] (per key channel) or [B, T, H_kv] (per head); beta is
/// [B, T, H_kv] or [B, T, 1]. scale 0 means 1 / sqrt(d_k). Computed in float32;
/// output has query's type, present_state past_state's (or query's). chunk_size is a
/// tuning hint with no effect on the result.
struct LinearAttention: Operator {
    static let opType = "LinearAttention"
    static let sinceVersions: [Int64] = [27]
    let qHeads: Int, kvHeads: Int
    let scale: Float
    let gating: Bool, delta: Bool

    init(_ c: OpContext) throws {
        qHeads = Int(try c.int("q_num_heads"))
        kvHeads = Int(try c.int("kv_num_heads"))
        scale = try c.float("scale", default: 0)
        let rule = try c.string("update_rule", default: "gated_delta")
        guard ["linear", "gated", "delta", "gated_delta"].contains(rule) else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "update_rule", message: "unknown rule \"\(rule)\"")
        }
        guard qHeads > 0, kvHeads > 0, qHeads % kvHeads == 0 else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "q_num_heads",
                                                message: "q_num_heads (\(qHeads)) must be a positive multiple of kv_num_heads (\(kvHeads))")
        }
        gating = rule == "gated" || rule == "gated_delta"
        delta = rule == "delta" || rule == "gated_delta"
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let q = try context.tensor(inputs, 0), k = try context.tensor(inputs, 1), v = try context.tensor(inputs, 2)
        let past = try context.optionalTensor(inputs, 3)
        let decay = try context.optionalTensor(inputs, 4), beta = try context.optionalTensor(inputs, 5)
        for (t, n) in [(q, "query"), (k, "key"), (v, "value")] {
            try MiscSupport.requireReal(t, n, context)
            guard t.rank == 3 else { throw InterpreterError.shapeMismatch(node: context.nodeName, message: "\(n) must be [B, T, H*D], got \(t.shape)") }
        }
        if gating != (decay != nil) { throw context.invalid(gating ? "this update_rule needs the decay input" : "this update_rule takes no decay input") }
        if delta != (beta != nil) { throw context.invalid(delta ? "this update_rule needs the beta input" : "this update_rule takes no beta input") }
        let b = q.shape[0], t = q.shape[1]
        guard k.shape[0] == b, v.shape[0] == b, k.shape[1] == t, v.shape[1] == t else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "query \(q.shape), key \(k.shape) and value \(v.shape) differ in batch or time")
        }
        guard q.shape[2] % qHeads == 0, v.shape[2] % kvHeads == 0 else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "query \(q.shape) / value \(v.shape) do not split into \(qHeads) / \(kvHeads) heads")
        }
        let dk = q.shape[2] / qHeads, dv = v.shape[2] / kvHeads
        guard k.shape[2] == kvHeads * dk else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "key \(k.shape) must have \(kvHeads) heads of \(dk)")
        }
        let stateShape = [b, kvHeads, dk, dv]
        var perChannelDecay = false
        if let decay {
            try MiscSupport.requireReal(decay, "decay", context)
            guard decay.rank == 3, decay.shape[0] == b, decay.shape[1] == t,
                  decay.shape[2] == kvHeads || decay.shape[2] == kvHeads * dk else {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "decay \(decay.shape) must be [\(b), \(t), \(kvHeads) or \(kvHeads * dk)]")
            }
            perChannelDecay = decay.shape[2] == kvHeads * dk && !(kvHeads * dk == kvHeads)
        }
        var betaPerHead = false
        if let beta {
            try MiscSupport.requireReal(beta, "beta", context)
            guard beta.rank == 3, beta.shape[0] == b, beta.shape[1] == t, beta.shape[2] == kvHeads || beta.shape[2] == 1 else {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "beta \(beta.shape) must be [\(b), \(t), \(kvHeads) or 1]")
            }
            betaPerHead = beta.shape[2] == kvHeads
        }
        var state: [Float]
        if let past {
            try MiscSupport.requireReal(past, "past_state", context)
            guard past.shape == stateShape else {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "past_state \(past.shape) must be \(stateShape)")
            }
            state = try past.floats()
        } else {
            state = [Float](repeating: 0, count: stateShape.reduce(1, *))
        }
        let qv = try q.floats(), kv = try k.floats(), vv = try v.floats()
        let dec = try decay?.floats(), bet = try beta?.floats()
        let sc: Float = scale == 0 ? 1 / Float(dk).squareRoot() : scale
        let groupSize = qHeads / kvHeads
        var out = [Float](repeating: 0, count: b * t * qHeads * dv)
        var kvec = [Float](repeating: 0, count: dk), vvec = [Float](repeating: 0, count: dv), gate = [Float](repeating: 1, count: dk)
        for bi in 0..<b {
            for h in 0..<kvHeads {
                let so = (bi * kvHeads + h) * dk * dv
                for ti in 0..<t {
                    let row = bi * t + ti
                    for d in 0..<dk { kvec[d] = kv[(row * kvHeads + h) * dk + d] }
                    for m in 0..<dv { vvec[m] = vv[(row * kvHeads + h) * dv + m] }
                    if let dec {
                        if perChannelDecay {
                            for d in 0..<dk { gate[d] = expf(dec[(row * kvHeads + h) * dk + d]) }
                        } else {
                            let e = expf(dec[row * kvHeads + h])
                            for d in 0..<dk { gate[d] = e }
                        }
                        for d in 0..<dk { for m in 0..<dv { state[so + d * dv + m] *= gate[d] } }
                    }
                    if let bet {
                        let bt = bet[betaPerHead ? row * kvHeads + h : row]
                        for m in 0..<dv {
                            var r: Float = 0
                            for d in 0..<dk { r += state[so + d * dv + m] * kvec[d] }
                            vvec[m] = bt * (vvec[m] - r)
                        }
                    }
                    for d in 0..<dk { for m in 0..<dv { state[so + d * dv + m] += kvec[d] * vvec[m] } }
                    for qh in (h * groupSize)..<((h + 1) * groupSize) {
                        let qo = (row * qHeads + qh) * dk, oo = (row * qHeads + qh) * dv
                        for m in 0..<dv {
                            var s: Float = 0
                            for d in 0..<dk { s += qv[qo + d] * state[so + d * dv + m] }
                            out[oo + m] = sc * s
                        }
                    }
                }
            }
        }
        let stateType = past?.dataType ?? q.dataType
        return [
            .tensor(try MiscSupport.real(out, q.dataType, shape: [b, t, qHeads * dv])),
            .tensor(try MiscSupport.real(state, stateType, shape: stateShape)),
        ]
    }
}
