import ONNX

/// What NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss share: the attributes,
/// the shape checks, and the weighted, ignore-aware gather and reduction of
/// `-logp[n, target[n, d...], d...]`.
struct MiscLoss {
    enum Reduction: String { case none, sum, mean }

    let reduction: Reduction
    let ignoreIndex: Int64?

    init(_ c: OpContext) throws {
        let r = try c.string("reduction", default: "mean")
        guard let red = Reduction(rawValue: r) else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "reduction", message: "'\(r)' is not none, sum or mean")
        }
        reduction = red
        ignoreIndex = c.value("ignore_index") == nil ? nil : try c.int("ignore_index")
    }

    /// Scores of shape [N, C, d1, ...] and targets of shape [N, d1, ...]: N, C and the
    /// product D of the trailing dims.
    static func geometry(_ x: TensorValue, _ target: TensorValue, _ context: RunContext) throws -> (n: Int, c: Int, d: Int) {
        guard x.rank >= 2 else { throw context.invalid("input must have rank 2 or more (shape \(x.shape))") }
        let expected = [x.shape[0]] + x.shape.dropFirst(2)
        guard target.shape == expected else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "target shape \(target.shape) does not match input \(x.shape) (expected \(expected))")
        }
        guard target.dataType == .int32 || target.dataType == .int64 else {
            throw context.invalid("target must be int32 or int64, not \(target.dataType)")
        }
        return (x.shape[0], x.shape[1], x.shape.dropFirst(2).reduce(1, *))
    }

    /// The loss from log-probabilities `logp` ([N, C, D] row-major), in `type`.
    func loss(logp: [Double], target: TensorValue, weight: TensorValue?, n: Int, c: Int, d: Int,
              type: DataType, _ context: RunContext) throws -> TensorValue {
        let t = try target.int64s()
        var w: [Double]?
        if let weight {
            guard weight.shape == [c] else {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "weight shape \(weight.shape) is not [\(c)]")
            }
            w = try weight.doubles()
        }
        var losses = [Double](repeating: 0, count: n * d)
        var weightSum = 0.0
        for i in 0..<n {
            for j in 0..<d {
                let k = i * d + j
                let label = t[k]
                if let ii = ignoreIndex, label == ii { continue }
                guard label >= 0, label < Int64(c) else {
                    throw context.invalid("target \(label) at \(k) is outside [0, \(c))")
                }
                let cls = Int(label)
                let wt = w?[cls] ?? 1
                losses[k] = -wt * logp[(i * c + cls) * d + j]
                weightSum += wt
            }
        }
        switch reduction {
        case .none:
            return try MiscSupport.real(losses, type, shape: target.shape)
        case .sum:
            return try MiscSupport.real([losses.reduce(0, +)], type, shape: [])
        case .mean:
            return try MiscSupport.real([losses.reduce(0, +) / weightSum], type, shape: [])
        }
    }
}
