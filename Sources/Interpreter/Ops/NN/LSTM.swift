import ONNX

/// LSTM: gates i, o, f, c (in that order in W, R and B), optional peepholes P (i, o, f),
/// input_forget coupling f = 1 - i, activations f, g, h per direction (default
/// Sigmoid, Tanh, Tanh). Outputs Y, Y_h, Y_c.
struct LSTM: Operator {
    static let opType = "LSTM"
    static let sinceVersions: [Int64] = [1, 7, 14, 22]
    let core: RecurrentCore
    let inputForget: Bool

    init(_ c: OpContext) throws {
        core = try RecurrentCore(c, gates: 4, defaults: ["Sigmoid", "Tanh", "Tanh"])
        inputForget = try c.int("input_forget", default: 0) != 0
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let p = try core.problem(inputs, context)
        let h0 = try core.state(inputs, 5, p, context), c0 = try core.state(inputs, 6, p, context)
        let H = p.hidden, dirs = core.directions.count
        var peep = [Double](repeating: 0, count: dirs * 3 * H)
        if let pt = try context.optionalTensor(inputs, 7) {
            guard pt.count == peep.count else { throw InterpreterError.shapeMismatch(node: context.nodeName, message: "P has \(pt.count) elements, expected \(peep.count)") }
            peep = try pt.doubles()
        }
        var rh = [Double](repeating: 0, count: 4 * H)
        let (y, finals) = core.loop(p, initial: [h0, c0]) { d, _, xw, state in
            core.recurrent(p, d, state[0][...], into: &rh)
            let f = core.activation(d, 0), g = core.activation(d, 1), hAct = core.activation(d, 2)
            let x0 = xw.startIndex, po = d * 3 * H
            for j in 0..<H {
                let cPrev = state[1][j]
                let iPre = xw[x0 + j] + rh[j] + peep[po + j] * cPrev
                let fPre = xw[x0 + 2 * H + j] + rh[2 * H + j] + peep[po + 2 * H + j] * cPrev
                let cPre = xw[x0 + 3 * H + j] + rh[3 * H + j]
                let i = f(core.clipped(iPre))
                let fg = inputForget ? 1 - i : f(core.clipped(fPre))
                let cNew = fg * cPrev + i * g(core.clipped(cPre))
                let oPre = xw[x0 + H + j] + rh[H + j] + peep[po + H + j] * cNew
                let o = f(core.clipped(oPre))
                state[1][j] = cNew
                state[0][j] = o * hAct(cNew)
            }
        }
        return try core.outputs(y, finals, p)
    }
}
