import ONNX

/// Momentum (ai.onnx.preview.training): one step for each of n tensors X with gradient G
/// and momentum V: G' = norm_coefficient * X + G, b = beta when T > 0 (else 1),
/// V' = alpha * V + b * G'; mode "standard": X' = X - R * V', mode "nesterov":
/// X' = X - R * (G' + alpha * V'). Outputs X'..., V'... . Computed in double, stored in
/// each input's type.
struct Momentum: Operator {
    static let domain = "ai.onnx.preview.training"
    static let opType = "Momentum"
    static let sinceVersions: [Int64] = [1]
    let alpha: Double, beta: Double, normCoefficient: Double
    let nesterov: Bool

    init(_ c: OpContext) throws {
        alpha = Double(try c.float("alpha"))
        beta = Double(try c.float("beta"))
        normCoefficient = Double(try c.float("norm_coefficient"))
        let mode = try c.string("mode")
        guard mode == "standard" || mode == "nesterov" else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "mode", message: "must be \"standard\" or \"nesterov\", got \"\(mode)\"")
        }
        nesterov = mode == "nesterov"
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (r, t, g) = try TrainingSupport.unpack(inputs, groups: 3, context)
        let b = t > 0 ? beta : 1
        var xs: [Value] = [], vs: [Value] = []
        for i in g[0].indices {
            let x = try g[0][i].doubles(), grad = try g[1][i].doubles(), v = try g[2][i].doubles()
            var xn = x, vn = v
            for j in x.indices {
                let gr = normCoefficient * x[j] + grad[j]
                vn[j] = alpha * v[j] + b * gr
                xn[j] = nesterov ? x[j] - r * (gr + alpha * vn[j]) : x[j] - r * vn[j]
            }
            xs.append(try TrainingSupport.result(xn, like: g[0][i]))
            vs.append(try TrainingSupport.result(vn, like: g[2][i]))
        }
        return xs + vs
    }
}
