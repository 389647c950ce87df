import ONNX

/// NegativeLogLikelihoodLoss: `-weight[t] * input[n, t, d...]` for the target class t
/// of each position, ignoring positions whose target is `ignore_index`, then reduced
/// (none, sum, or the weighted mean).
struct NegativeLogLikelihoodLoss: Operator {
    static let opType = "NegativeLogLikelihoodLoss"
    static let sinceVersions: [Int64] = [12, 13, 22]
    let loss: MiscLoss
    init(_ c: OpContext) throws { loss = try MiscLoss(c) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), target = try context.tensor(inputs, 1)
        let weight = try context.optionalTensor(inputs, 2)
        try MiscSupport.requireReal(x, "input", context)
        let g = try MiscLoss.geometry(x, target, context)
        let y = try loss.loss(logp: try x.doubles(), target: target, weight: weight, n: g.n, c: g.c, d: g.d,
                              type: x.dataType, context)
        return [.tensor(y)]
    }
}
