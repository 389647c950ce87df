import ONNX

/// InstanceNormalization: normalizes each (sample, channel) plane, then scale and B per
/// channel.
struct InstanceNormalization: Operator {
    static let opType = "InstanceNormalization"
    static let sinceVersions: [Int64] = [1, 6, 22]
    let epsilon: Double

    init(_ c: OpContext) throws { epsilon = Double(try c.float("epsilon", default: 1e-5)) }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let sv = try context.tensor(inputs, 1).doubles(), bv = try context.tensor(inputs, 2).doubles()
        guard NN.isReal(x.dataType) else { throw InterpreterError.unsupportedType(x.dataType, context: "InstanceNormalization") }
        guard x.rank >= 2 else { throw context.invalid("X must have rank >= 2") }
        let (n, c) = (x.shape[0], x.shape[1])
        guard sv.count == c, bv.count == c else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "scale and B need \(c) elements")
        }
        let size = x.count / max(1, n * c)
        let xv = try x.doubles()
        var y = [Double](repeating: 0, count: xv.count)
        for p in 0..<(n * c) {
            let o = p * size, ch = p % c
            var sum = 0.0
            for i in 0..<size { sum += xv[o + i] }
            let mean = size > 0 ? sum / Double(size) : 0
            var q = 0.0
            for i in 0..<size { let d = xv[o + i] - mean; q += d * d }
            let r = 1 / (q / Double(max(1, size)) + epsilon).squareRoot()
            for i in 0..<size { y[o + i] = (xv[o + i] - mean) * r * sv[ch] + bv[ch] }
        }
        return [.tensor(try .converting(y, to: x.dataType, shape: x.shape))]
    }
}
