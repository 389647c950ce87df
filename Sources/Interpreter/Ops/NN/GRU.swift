import ONNX

/// GRU: gates z, r, h (in that order in W, R and B); linear_before_reset applies R_h
/// (and its bias) before the reset gate. Activations f, g per direction (default
/// Sigmoid, Tanh). Outputs Y, Y_h.
struct GRU: Operator {
    static let opType = "GRU"
    static let sinceVersions: [Int64] = [1, 3, 7, 14, 22]
    let core: RecurrentCore
    let linearBeforeReset: Bool

    init(_ c: OpContext) throws {
        core = try RecurrentCore(c, gates: 3, defaults: ["Sigmoid", "Tanh"])
        linearBeforeReset = c.sinceVersion >= 3 ? try c.int("linear_before_reset", default: 0) != 0 : false
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let p = try core.problem(inputs, context)
        let h0 = try core.state(inputs, 5, p, context)
        let H = p.hidden
        var rh = [Double](repeating: 0, count: 3 * H)
        var gated = [Double](repeating: 0, count: H)
        let (y, finals) = core.loop(p, initial: [h0]) { d, _, xw, state in
            let f = core.activation(d, 0), g = core.activation(d, 1)
            let x0 = xw.startIndex
            core.recurrent(p, d, state[0][...], into: &rh)
            var z = [Double](repeating: 0, count: H), r = z
            for j in 0..<H {
                z[j] = f(core.clipped(xw[x0 + j] + rh[j]))
                r[j] = f(core.clipped(xw[x0 + H + j] + rh[H + j]))
            }
            var hh = [Double](repeating: 0, count: H)
            if linearBeforeReset {
                for j in 0..<H { hh[j] = g(core.clipped(xw[x0 + 2 * H + j] + r[j] * rh[2 * H + j])) }
            } else {
                // (r * h) R_h^T + Rb_h
                for k in 0..<H { gated[k] = r[k] * state[0][k] }
                let ro = d * 3 * H * H + 2 * H * H, bo = d * 6 * H + 3 * H + 2 * H
                for j in 0..<H {
                    var s = p.b[bo + j]
                    for k in 0..<H { s += gated[k] * p.r[ro + j * H + k] }
                    hh[j] = g(core.clipped(xw[x0 + 2 * H + j] + s))
                }
            }
            for j in 0..<H { state[0][j] = (1 - z[j]) * hh[j] + z[j] * state[0][j] }
        }
        return try core.outputs(y, finals, p)
    }
}
