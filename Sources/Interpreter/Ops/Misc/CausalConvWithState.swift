import ONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CausalConvWithState: a causal depthwise 1-D convolution. Each channel of the input
/// (B, C, L) is left-padded with past_state (B, C, K-1) (zeros when omitted) and
/// convolved with its own kernel weight[c, 0, :] (K taps, no padding, stride 1), plus
/// bias[c]; `activation` silu/swish applies y * sigmoid(y). present_state is the last
/// K-1 positions of the padded input.
struct CausalConvWithState: Operator {
    static let opType = "CausalConvWithState"
    static let sinceVersions: [Int64] = [27]
    let silu: Bool
    init(_ c: OpContext) throws {
        let a = try c.string("activation", default: "none").lowercased()
        switch a {
        case "none": silu = false
        case "silu", "swish": silu = true
        default:
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "activation", message: "'\(a)' is not none, silu or swish")
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), w = try context.tensor(inputs, 1)
        let bias = try context.optionalTensor(inputs, 2), past = try context.optionalTensor(inputs, 3)
        try MiscSupport.requireReal(x, "input", context)
        guard x.rank == 3 else { throw context.invalid("input must be (batch, channels, length), not \(x.shape)") }
        let (b, ch, len) = (x.shape[0], x.shape[1], x.shape[2])
        guard w.rank == 3, w.shape[0] == ch, w.shape[1] == 1, w.shape[2] >= 1 else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "weight \(w.shape) is not (\(ch), 1, k)")
        }
        let k = w.shape[2]
        let state = k - 1
        if let bias, bias.shape != [ch] {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "bias \(bias.shape) is not (\(ch))")
        }
        if let past, past.shape != [b, ch, state] {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "past_state \(past.shape) is not (\(b), \(ch), \(state))")
        }
        for t in [w, bias, past].compactMap({ $0 }) where t.dataType != x.dataType {
            throw context.invalid("inputs have different element types (\(x.dataType) and \(t.dataType))")
        }
        let xv = try x.doubles(), wv = try w.doubles()
        let bv = try bias?.doubles(), pv = try past?.doubles()
        let padLen = len + state
        let roundsToInput = x.dataType != .double
        var out = [Double](repeating: 0, count: b * ch * len)
        var present = [Double](repeating: 0, count: b * ch * state)
        var padded = [Double](repeating: 0, count: padLen)
        for n in 0..<b {
            for c in 0..<ch {
                let row = n * ch + c
                for j in 0..<state { padded[j] = pv?[row * state + j] ?? 0 }
                for j in 0..<len { padded[state + j] = xv[row * len + j] }
                let kern = c * k
                let b0 = bv?[c] ?? 0
                for t in 0..<len {
                    var acc: Double = b0
                    for j in 0..<k { acc += wv[kern + j] * padded[t + j] }
                    if roundsToInput { acc = Self.round(acc, x.dataType) }
                    if silu { acc = acc / (1 + exp(-acc)) }
                    out[row * len + t] = acc
                }
                for j in 0..<state { present[row * state + j] = padded[len + j] }
            }
        }
        return [.tensor(try MiscSupport.real(out, x.dataType, shape: x.shape)),
                .tensor(try MiscSupport.real(present, x.dataType, shape: [b, ch, state]))]
    }

    /// `v` rounded to a narrower float type (the convolution result is held in the
    /// input's type before the activation).
    static func round(_ v: Double, _ t: DataType) -> Double {
        switch t {
        case .float16: return Double(Float16(Float(v)))
        case .bfloat16: return Double(BFloat16(Float(v)).float)
        default: return Double(Float(v))
        }
    }
}
