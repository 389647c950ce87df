import ONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SoftmaxCrossEntropyLoss: the negative log-likelihood loss of log_softmax(scores)
/// over axis 1; the optional second output is that log-probability tensor.
struct SoftmaxCrossEntropyLoss: Operator {
    static let opType = "SoftmaxCrossEntropyLoss"
    static let sinceVersions: [Int64] = [12, 13]
    let loss: MiscLoss
    let wantsLogProb: Bool
    init(_ c: OpContext) throws {
        loss = try MiscLoss(c)
        wantsLogProb = c.node.output.count > 1 && !c.node.output[1].isEmpty
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), target = try context.tensor(inputs, 1)
        let weight = try context.optionalTensor(inputs, 2)
        try MiscSupport.requireReal(x, "scores", context)
        let g = try MiscLoss.geometry(x, target, context)
        // log_softmax over the class axis, for every (n, d).
        var lp = try x.doubles()
        let (c, d) = (g.c, g.d)
        if c > 0 {
            for i in 0..<g.n {
                let base = i * c * d
                for j in 0..<d {
                    var m = -Double.infinity
                    for k in 0..<c { m = max(m, lp[base + k * d + j]) }
                    var s = 0.0
                    for k in 0..<c { s += exp(lp[base + k * d + j] - m) }
                    let logZ = m + log(s)
                    for k in 0..<c { lp[base + k * d + j] -= logZ }
                }
            }
        }
        let y = try loss.loss(logp: lp, target: target, weight: weight, n: g.n, c: c, d: d, type: x.dataType, context)
        guard wantsLogProb else { return [.tensor(y)] }
        return [.tensor(y), .tensor(try MiscSupport.real(lp, x.dataType, shape: x.shape))]
    }
}
