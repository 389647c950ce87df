import Foundation
import ONNX

/// Adam (ai.onnx.preview.training): one step for each of n tensors X with gradient G,
/// first moment V and second moment H: G' = norm_coefficient * X + G,
/// V' = alpha * V + (1 - alpha) * G', H' = beta * H + (1 - beta) * G'^2,
/// r = R * sqrt(1 - beta^T) / (1 - alpha^T) when T > 0 (else R),
/// X' = (1 - norm_coefficient_post) * (X - r * V' / (sqrt(H') + epsilon)).
/// Outputs X'..., V'..., H'... . Computed in double, stored in each input's type.
struct Adam: Operator {
    static let domain = "ai.onnx.preview.training"
    static let opType = "Adam"
    static let sinceVersions: [Int64] = [1]
    let alpha: Double, beta: Double, epsilon: Double, normCoefficient: Double, normCoefficientPost: Double

    init(_ c: OpContext) throws {
        alpha = Double(try c.float("alpha", default: 0.9))
        beta = Double(try c.float("beta", default: 0.999))
        epsilon = Double(try c.float("epsilon", default: 1e-6))
        normCoefficient = Double(try c.float("norm_coefficient", default: 0))
        normCoefficientPost = Double(try c.float("norm_coefficient_post", default: 0))
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (r, t, g) = try TrainingSupport.unpack(inputs, groups: 4, context)
        let rate = t > 0 ? r * (1 - pow(beta, Double(t))).squareRoot() / (1 - pow(alpha, Double(t))) : r
        var xs: [Value] = [], vs: [Value] = [], hs: [Value] = []
        for i in g[0].indices {
            let x = try g[0][i].doubles(), grad = try g[1][i].doubles(), v = try g[2][i].doubles(), h = try g[3][i].doubles()
            var xn = x, vn = v, hn = h
            for j in x.indices {
                let gr = normCoefficient * x[j] + grad[j]
                vn[j] = alpha * v[j] + (1 - alpha) * gr
                hn[j] = beta * h[j] + (1 - beta) * gr * gr
                xn[j] = (1 - normCoefficientPost) * (x[j] - rate * vn[j] / (hn[j].squareRoot() + epsilon))
            }
            xs.append(try TrainingSupport.result(xn, like: g[0][i]))
            vs.append(try TrainingSupport.result(vn, like: g[2][i]))
            hs.append(try TrainingSupport.result(hn, like: g[3][i]))
        }
        return xs + vs + hs
    }
}
