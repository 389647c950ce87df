import ONNX

/// nn.LSTM / nn.GRU / nn.RNN(input_size, hidden_size, num_layers=1, bias=True,
/// batch_first=False, dropout=0, bidirectional=False; RNN: nonlinearity='tanh'):
/// one ONNX LSTM/GRU/RNN node per layer with torch's gate blocks reordered (LSTM
/// i,f,g,o -> i,o,f,c; GRU r,z,n -> z,r,h with linear_before_reset, which is torch's
/// GRU). The output is torch's first tuple element: every step's hidden state,
/// [seq, batch, directions * hidden] (batch first with batch_first). Initial states
/// are zero, as when torch is called without them.
struct Recurrent: LayerLowering {
    var typeNames: [String] { ["LSTM", "GRU", "RNN"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        let kind = c.args.type
        let inputSize = try c.args.int("input_size", atLeast: 1), hidden = try c.args.int("hidden_size", atLeast: 1)
        let layers = try c.args.int("num_layers", default: 1, atLeast: 1)
        let bias = try c.args.bool("bias", default: true)
        let batchFirst = try c.args.bool("batch_first", default: false)
        _ = try c.args.double("dropout", default: 0)   // between layers, training only
        let directions = try c.args.bool("bidirectional", default: false) ? 2 : 1
        var activation = "Tanh"
        if kind == "RNN" {
            let n = try c.args.string("nonlinearity", default: "tanh")
            guard n == "tanh" || n == "relu" else { throw c.args.unsupported("nonlinearity", "'\(n)' is not tanh or relu") }
            activation = n == "tanh" ? "Tanh" : "Relu"
        }
        if kind == "LSTM", try c.args.int("proj_size", default: 0) != 0 { throw c.args.unsupported("proj_size", "projected LSTMs are not converted") }
        guard layers >= 1, hidden >= 1 else { throw c.args.unsupported("num_layers", "needs at least one layer of at least one unit") }
        guard x.rank == 3 else { throw c.shapeError("expects [seq, batch, features] (or batch first), got rank \(x.rank)") }
        guard try c.fixed(x.shape[2], "the feature dimension") == inputSize else {
            throw c.shapeError("input_size is \(inputSize) but the input has \(x.shape[2]) features")
        }
        let gates = ["LSTM": 4, "GRU": 3, "RNN": 1][kind]!
        // ONNX block order, as indices of torch's blocks.
        let order = ["LSTM": [0, 3, 1, 2], "GRU": [1, 0, 2], "RNN": [0]][kind]!
        func reordered(_ w: [Double], cols: Int) -> [Double] {
            var out: [Double] = []
            out.reserveCapacity(w.count)
            for g in order { out += w[(g * hidden * cols)..<((g + 1) * hidden * cols)] }
            return out
        }
        var seq = batchFirst ? try c.node("Transpose", [x.value], ["perm": .ints([1, 0, 2])]) : x.value
        var features = inputSize
        for layer in 0..<layers {
            var w: [Double] = [], r: [Double] = [], b: [Double] = []
            for d in 0..<directions {
                let s = "_l\(layer)" + (d == 1 ? "_reverse" : "")
                w += reordered(try c.weightValues("weight_ih" + s, shape: [gates * hidden, features]), cols: features)
                r += reordered(try c.weightValues("weight_hh" + s, shape: [gates * hidden, hidden]), cols: hidden)
                if bias {
                    b += reordered(try c.weightValues("bias_ih" + s, shape: [gates * hidden]), cols: 1)
                    b += reordered(try c.weightValues("bias_hh" + s, shape: [gates * hidden]), cols: 1)
                } else {
                    b += [Double](repeating: 0, count: 2 * gates * hidden)
                }
            }
            var attributes: [String: AttributeValue] = [
                "hidden_size": .int(Int64(hidden)), "direction": .string(directions == 2 ? "bidirectional" : "forward"),
            ]
            if kind == "GRU" { attributes["linear_before_reset"] = .int(1) }
            if kind == "RNN" { attributes["activations"] = .strings([String](repeating: activation, count: directions)) }
            let y = try c.node(kind, [seq, try c.constant(w, shape: [directions, gates * hidden, features], name: "W\(layer)"),
                                      try c.constant(r, shape: [directions, gates * hidden, hidden], name: "R\(layer)"),
                                      try c.constant(b, shape: [directions, 2 * gates * hidden], name: "B\(layer)")], attributes)
            // [seq, dirs, batch, hidden] -> [seq, batch, dirs * hidden]
            let t = try c.node("Transpose", [y], ["perm": .ints([0, 2, 1, 3])])
            seq = try c.node("Reshape", [t, try c.int64s([0, 0, -1], name: "merge_directions\(layer)")])
            features = directions * hidden
        }
        let out = try batchFirst ? c.node("Transpose", [seq], ["perm": .ints([1, 0, 2])]) : seq
        return LayerValue(out, [x.shape[0], x.shape[1], .fixed(Int64(features))])
    }
}
