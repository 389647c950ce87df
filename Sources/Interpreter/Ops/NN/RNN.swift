import ONNX

/// RNN: H = f(x W^T + h R^T + Wb + Rb), f per direction (default Tanh). Outputs Y, Y_h.
struct RNN: Operator {
    static let opType = "RNN"
    static let sinceVersions: [Int64] = [1, 7, 14, 22]
    let core: RecurrentCore

    init(_ c: OpContext) throws { core = try RecurrentCore(c, gates: 1, defaults: ["Tanh"]) }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let p = try core.problem(inputs, context)
        let h0 = try core.state(inputs, 5, p, context)
        var rh = [Double](repeating: 0, count: p.hidden)
        let (y, finals) = core.loop(p, initial: [h0]) { d, _, xw, state in
            let f = core.activation(d, 0)
            core.recurrent(p, d, state[0][...], into: &rh)
            let x0 = xw.startIndex
            for j in 0..<p.hidden { state[0][j] = f(core.clipped(xw[x0 + j] + rh[j])) }
        }
        return try core.outputs(y, finals, p)
    }
}
