import ONNX

/// BatchNormalization: scale * (x - mean) / sqrt(var + epsilon) + B per channel.
/// Training mode (training_mode = 1 from 14; before, is_test = 0 with the extra outputs
/// requested) normalizes with the batch's own mean and population variance and returns
/// the running statistics updated with momentum. Versions before 9 with spatial = 0
/// take per-element (C x D1 x ...) parameters.
struct BatchNormalization: Operator {
    static let opType = "BatchNormalization"
    static let sinceVersions: [Int64] = [1, 6, 7, 9, 14, 15]
    let epsilon: Double
    let momentum: Double
    let training: Bool
    let legacyOutputs: Bool

    init(_ c: OpContext) throws {
        epsilon = Double(try c.float("epsilon", default: 1e-5))
        momentum = Double(try c.float("momentum", default: 0.9))
        let outputs = c.node.output.filter { !$0.isEmpty }.count
        if c.sinceVersion >= 14 {
            training = try c.int("training_mode", default: 0) != 0
            legacyOutputs = false
        } else {
            let isTest = c.sinceVersion < 7 ? try c.int("is_test", default: 0) != 0 : false
            training = !isTest && outputs > 1
            legacyOutputs = true
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.rank >= 2 else { throw context.invalid("X must have rank >= 2, got \(x.shape)") }
        guard NN.isReal(x.dataType) else { throw InterpreterError.unsupportedType(x.dataType, context: "BatchNormalization") }
        let params = try (1...4).map { try context.tensor(inputs, $0) }
        let (n, c) = (x.shape[0], x.shape[1])
        let perSample = x.count / max(1, n)
        let inner = perSample / max(1, c)
        let p = try params.map { try $0.doubles() }
        let pc = p[0].count
        guard p.allSatisfy({ $0.count == pc }), pc == c || pc == perSample else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "scale, B, mean and var must have \(c) elements")
        }
        let xv = try x.doubles()
        var y = [Double](repeating: 0, count: xv.count)
        // Index of the parameter for element i of a sample.
        let param: (Int) -> Int = pc == c ? { $0 / max(1, inner) } : { $0 }
        var mean = p[2], variance = p[3]
        var runMean = p[2], runVar = p[3]
        if training {
            let groups = pc
            var sum = [Double](repeating: 0, count: groups), sq = sum
            var counts = [Double](repeating: 0, count: groups)
            for s in 0..<n { for i in 0..<perSample { let k = param(i); let v = xv[s * perSample + i]; sum[k] += v; counts[k] += 1 } }
            for k in 0..<groups { mean[k] = counts[k] > 0 ? sum[k] / counts[k] : 0 }
            for s in 0..<n { for i in 0..<perSample { let k = param(i); let d = xv[s * perSample + i] - mean[k]; sq[k] += d * d } }
            for k in 0..<groups { variance[k] = counts[k] > 0 ? sq[k] / counts[k] : 0 }
            for k in 0..<groups {
                runMean[k] = p[2][k] * momentum + mean[k] * (1 - momentum)
                runVar[k] = p[3][k] * momentum + variance[k] * (1 - momentum)
            }
        }
        let scale = (0..<pc).map { p[0][$0] / (variance[$0] + epsilon).squareRoot() }
        for s in 0..<n {
            for i in 0..<perSample {
                let k = param(i), j = s * perSample + i
                y[j] = (xv[j] - mean[k]) * scale[k] + p[1][k]
            }
        }
        var out: [Value] = [.tensor(try .converting(y, to: x.dataType, shape: x.shape))]
        if training {
            let pshape = params[2].shape
            out.append(.tensor(try .converting(runMean, to: params[2].dataType, shape: pshape)))
            out.append(.tensor(try .converting(runVar, to: params[3].dataType, shape: pshape)))
            if legacyOutputs {
                out.append(.tensor(try .converting(mean, to: params[2].dataType, shape: pshape)))
                out.append(.tensor(try .converting(variance, to: params[3].dataType, shape: pshape)))
            }
        }
        return out
    }
}
