import ONNX
#if canImport(Glibc)
import Glibc
#endif

/// An activation function of the recurrent ops, with its alpha and beta.
enum RecurrentActivation {
    case relu, tanh, sigmoid, affine(Double, Double), leakyRelu(Double), thresholdedRelu(Double)
    case scaledTanh(Double, Double), hardSigmoid(Double, Double), elu(Double), softsign, softplus

    func callAsFunction(_ x: Double) -> Double {
        switch self {
        case .relu: return max(0, x)
        case .tanh: return Glibc.tanh(x)
        case .sigmoid: return 1 / (1 + Glibc.exp(-x))
        case .affine(let a, let b): return a * x + b
        case .leakyRelu(let a): return x >= 0 ? x : a * x
        case .thresholdedRelu(let a): return x > a ? x : 0
        case .scaledTanh(let a, let b): return a * Glibc.tanh(b * x)
        case .hardSigmoid(let a, let b): return max(0, min(1, a * x + b))
        case .elu(let a): return x >= 0 ? x : a * (Glibc.exp(x) - 1)
        case .softsign: return x / (1 + abs(x))
        case .softplus: return Glibc.log(1 + Glibc.exp(x))
        }
    }

    /// Parses names, taking alpha and beta values in order for the functions that use them.
    static func parse(_ names: [String], alphas: [Float], betas: [Float], node: String) throws -> [RecurrentActivation] {
        var ai = 0, bi = 0
        func alpha(_ d: Double) -> Double { defer { ai += 1 }; return ai < alphas.count ? Double(alphas[ai]) : d }
        func beta(_ d: Double) -> Double { defer { bi += 1 }; return bi < betas.count ? Double(betas[bi]) : d }
        return try names.map { name in
            switch name.lowercased() {
            case "relu": return .relu
            case "tanh": return .tanh
            case "sigmoid": return .sigmoid
            case "affine": let a = alpha(1); return .affine(a, beta(0))
            case "leakyrelu": return .leakyRelu(alpha(0.01))
            case "thresholdedrelu": return .thresholdedRelu(alpha(1))
            case "scaledtanh": let a = alpha(1); return .scaledTanh(a, beta(1))
            case "hardsigmoid": let a = alpha(0.2); return .hardSigmoid(a, beta(0.5))
            case "elu": return .elu(alpha(1))
            case "softsign": return .softsign
            case "softplus": return .softplus
            default: throw InterpreterError.badAttribute(node: node, attribute: "activations", message: "unknown activation '\(name)'")
            }
        }
    }
}

/// What LSTM, GRU and RNN share: attributes, input layouts and the time loop over
/// directions. `gates` is the number of stacked gate blocks in W and R (4, 3, 1);
/// `perDirection` the number of activations each direction uses.
struct RecurrentCore {
    let hiddenSize: Int?
    let directions: [Bool]  // false: forward, true: reverse, one per direction
    let batchFirst: Bool
    let clip: Double?
    let activations: [RecurrentActivation]
    let gates: Int
    let perDirection: Int

    init(_ c: OpContext, gates: Int, defaults: [String]) throws {
        self.gates = gates
        perDirection = defaults.count
        hiddenSize = c.has("hidden_size") ? Int(try c.int("hidden_size")) : nil
        let dir = try c.string("direction", default: "forward")
        switch dir {
        case "forward", "foward": directions = [false]
        case "reverse": directions = [true]
        case "bidirectional": directions = [false, true]
        default: throw InterpreterError.badAttribute(node: c.nodeName, attribute: "direction", message: "unknown direction '\(dir)'")
        }
        batchFirst = c.sinceVersion >= 14 ? try c.int("layout", default: 0) != 0 : false
        clip = c.has("clip") ? Double(try c.float("clip")) : nil
        // The schema default (RNN: Tanh, Tanh) assumes two directions: use ours instead.
        var names = c.has("activations") ? try c.strings("activations") : []
        if names.isEmpty {
            for _ in directions { names += defaults }
        } else if names.count == defaults.count && directions.count == 2 {
            names += names
        }
        guard names.count == defaults.count * directions.count else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "activations", message: "expected \(defaults.count * directions.count) names, got \(names.count)")
        }
        activations = try RecurrentActivation.parse(names, alphas: try c.floats("activation_alpha", default: []),
                                                    betas: try c.floats("activation_beta", default: []), node: c.nodeName)
    }

    func activation(_ d: Int, _ k: Int) -> RecurrentActivation { activations[d * perDirection + k] }

    func clipped(_ x: Double) -> Double {
        guard let clip else { return x }
        return min(max(x, -clip), clip)
    }

    struct Problem {
        let seq: Int, batch: Int, input: Int, hidden: Int
        /// X as [seq][batch][input].
        let x: [Double]
        let w: [Double], r: [Double]
        /// [dirs][2 * gates * hidden] or zeros.
        let b: [Double]
        let lengths: [Int]
        let type: DataType
    }

    func problem(_ inputs: [Value?], _ context: RunContext) throws -> Problem {
        let xt = try context.tensor(inputs, 0), wt = try context.tensor(inputs, 1), rt = try context.tensor(inputs, 2)
        guard NN.isReal(xt.dataType) else { throw InterpreterError.unsupportedType(xt.dataType, context: context.nodeName) }
        guard xt.rank == 3, wt.rank == 3, rt.rank == 3 else { throw context.invalid("X, W and R must be 3-D") }
        let seq = batchFirst ? xt.shape[1] : xt.shape[0], batch = batchFirst ? xt.shape[0] : xt.shape[1], input = xt.shape[2]
        let dirs = directions.count
        let hidden = hiddenSize ?? rt.shape[2]
        guard wt.shape == [dirs, gates * hidden, input], rt.shape == [dirs, gates * hidden, hidden] else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "W \(wt.shape) / R \(rt.shape) do not fit \(dirs) directions, hidden \(hidden), input \(input)")
        }
        var x = try xt.doubles()
        if batchFirst {
            var t = [Double](repeating: 0, count: x.count)
            for b in 0..<batch { for s in 0..<seq { for i in 0..<input { t[(s * batch + b) * input + i] = x[(b * seq + s) * input + i] } } }
            x = t
        }
        var bias = [Double](repeating: 0, count: dirs * 2 * gates * hidden)
        if let bt = try context.optionalTensor(inputs, 3) {
            guard bt.count == bias.count else { throw InterpreterError.shapeMismatch(node: context.nodeName, message: "B has \(bt.count) elements, expected \(bias.count)") }
            bias = try bt.doubles()
        }
        var lengths = [Int](repeating: seq, count: batch)
        if let lt = try context.optionalTensor(inputs, 4) {
            let l = try lt.ints()
            guard l.count == batch, l.allSatisfy({ $0 >= 0 && $0 <= seq }) else {
                throw context.invalid("sequence_lens \(l) does not fit batch \(batch) and sequence length \(seq)")
            }
            lengths = l
        }
        return Problem(seq: seq, batch: batch, input: input, hidden: hidden, x: x, w: try wt.doubles(), r: try rt.doubles(),
                       b: bias, lengths: lengths, type: xt.dataType)
    }

    /// An initial state input ([dirs, batch, hidden], or [batch, dirs, hidden] with
    /// layout 1) as [dirs][batch][hidden]; zeros when omitted.
    func state(_ inputs: [Value?], _ i: Int, _ p: Problem, _ context: RunContext) throws -> [Double] {
        let dirs = directions.count
        guard let t = try context.optionalTensor(inputs, i) else { return [Double](repeating: 0, count: dirs * p.batch * p.hidden) }
        guard t.count == dirs * p.batch * p.hidden else { throw InterpreterError.shapeMismatch(node: context.nodeName, message: "initial state \(t.shape) does not fit") }
        let v = try t.doubles()
        if !batchFirst { return v }
        var o = [Double](repeating: 0, count: v.count)
        for b in 0..<p.batch { for d in 0..<dirs { for h in 0..<p.hidden { o[(d * p.batch + b) * p.hidden + h] = v[(b * dirs + d) * p.hidden + h] } } }
        return o
    }

    /// x * W^T for every time step of direction d: [seq * batch][gates * hidden], plus Wb.
    func inputProjection(_ p: Problem, _ d: Int) -> [Double] {
        let g = gates * p.hidden
        var out = [Double](repeating: 0, count: p.seq * p.batch * g)
        let wo = d * g * p.input, bo = d * 2 * g
        for row in 0..<(p.seq * p.batch) {
            for j in 0..<g {
                var s = p.b[bo + j]
                for i in 0..<p.input { s += p.x[row * p.input + i] * p.w[wo + j * p.input + i] }
                out[row * g + j] = s
            }
        }
        return out
    }

    /// h * R^T for direction d (one batch row): gates * hidden values, plus Rb.
    func recurrent(_ p: Problem, _ d: Int, _ h: ArraySlice<Double>, into out: inout [Double]) {
        let g = gates * p.hidden
        let ro = d * g * p.hidden, bo = d * 2 * g + g
        let hs = h.startIndex
        for j in 0..<g {
            var s = p.b[bo + j]
            for k in 0..<p.hidden { s += h[hs + k] * p.r[ro + j * p.hidden + k] }
            out[j] = s
        }
    }

    /// The outputs Y ([seq, dirs, batch, hidden] or [batch, seq, dirs, hidden]) and the
    /// final states ([dirs, batch, hidden] or [batch, dirs, hidden]).
    func outputs(_ y: [Double], _ finals: [[Double]], _ p: Problem) throws -> [Value] {
        let dirs = directions.count
        var result: [Value] = []
        if batchFirst {
            var t = [Double](repeating: 0, count: y.count)
            for s in 0..<p.seq { for d in 0..<dirs { for b in 0..<p.batch { for h in 0..<p.hidden {
                t[((b * p.seq + s) * dirs + d) * p.hidden + h] = y[((s * dirs + d) * p.batch + b) * p.hidden + h]
            } } } }
            result.append(.tensor(try .converting(t, to: p.type, shape: [p.batch, p.seq, dirs, p.hidden])))
        } else {
            result.append(.tensor(try .converting(y, to: p.type, shape: [p.seq, dirs, p.batch, p.hidden])))
        }
        for f in finals {
            if batchFirst {
                var t = [Double](repeating: 0, count: f.count)
                for d in 0..<dirs { for b in 0..<p.batch { for h in 0..<p.hidden { t[(b * dirs + d) * p.hidden + h] = f[(d * p.batch + b) * p.hidden + h] } } }
                result.append(.tensor(try .converting(t, to: p.type, shape: [p.batch, dirs, p.hidden])))
            } else {
                result.append(.tensor(try .converting(f, to: p.type, shape: [dirs, p.batch, p.hidden])))
            }
        }
        return result
    }

    /// Runs the time loop: `step(d, b, gatesFromX, state)` updates one batch row's state
    /// (`stateCount` vectors of hidden values; the first is the output h).
    func loop(_ p: Problem, initial: [[Double]], step: (Int, Int, ArraySlice<Double>, inout [[Double]]) -> Void) -> ([Double], [[Double]]) {
        let dirs = directions.count, H = p.hidden, g = gates * H
        var y = [Double](repeating: 0, count: p.seq * dirs * p.batch * H)
        var finals = initial
        for (d, reverse) in directions.enumerated() {
            let xw = inputProjection(p, d)
            for b in 0..<p.batch {
                var state = initial.map { Array($0[((d * p.batch + b) * H)..<((d * p.batch + b + 1) * H)]) }
                let len = p.lengths[b]
                for t in 0..<len {
                    let s = reverse ? len - 1 - t : t
                    let row = (s * p.batch + b) * g
                    step(d, b, xw[row..<(row + g)], &state)
                    for h in 0..<H { y[((s * dirs + d) * p.batch + b) * H + h] = state[0][h] }
                }
                for k in 0..<state.count {
                    for h in 0..<H { finals[k][(d * p.batch + b) * H + h] = state[k][h] }
                }
            }
        }
        return (y, finals)
    }
}
