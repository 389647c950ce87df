import ONNX

/// Adagrad (ai.onnx.preview.training): one step for each of n tensors X with gradient G
/// and accumulated squared gradient H: r = R / (1 + T * decay_factor),
/// G' = norm_coefficient * X + G, H' = H + G'^2, X' = X - r * G' / (sqrt(H') + epsilon).
/// Outputs X'..., H'... . Computed in double, stored in each input's type.
struct Adagrad: Operator {
    static let domain = "ai.onnx.preview.training"
    static let opType = "Adagrad"
    static let sinceVersions: [Int64] = [1]
    let decayFactor: Double, epsilon: Double, normCoefficient: Double

    init(_ c: OpContext) throws {
        decayFactor = Double(try c.float("decay_factor", default: 0))
        epsilon = Double(try c.float("epsilon", default: 1e-6))
        normCoefficient = Double(try c.float("norm_coefficient", default: 0))
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (r, t, g) = try TrainingSupport.unpack(inputs, groups: 3, context)
        let rate = r / (1 + Double(t) * decayFactor)
        var xs: [Value] = [], hs: [Value] = []
        for i in g[0].indices {
            let x = try g[0][i].doubles(), grad = try g[1][i].doubles(), h = try g[2][i].doubles()
            var xn = x, hn = h
            for j in x.indices {
                let gr = normCoefficient * x[j] + grad[j]
                hn[j] = h[j] + gr * gr
                xn[j] = x[j] - rate * gr / (hn[j].squareRoot() + epsilon)
            }
            xs.append(try TrainingSupport.result(xn, like: g[0][i]))
            hs.append(try TrainingSupport.result(hn, like: g[2][i]))
        }
        return xs + hs
    }
}
