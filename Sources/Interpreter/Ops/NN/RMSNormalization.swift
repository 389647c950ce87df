import ONNX

/// RMSNormalization: x / sqrt(mean(x^2) + epsilon) * scale over the axes from `axis`
/// to the last (scale broadcast to the normalized shape).
struct RMSNormalization: Operator {
    static let opType = "RMSNormalization"
    static let sinceVersions: [Int64] = [23]
    let axis: Int64
    let epsilon: Double

    init(_ c: OpContext) throws {
        axis = try c.int("axis", default: -1)
        epsilon = Double(try c.float("epsilon", default: 1e-5))
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), scale = try context.tensor(inputs, 1)
        guard NN.isReal(x.dataType) else { throw InterpreterError.unsupportedType(x.dataType, context: "RMSNormalization") }
        guard x.rank >= 1 else { throw context.invalid("X must have rank >= 1") }
        let a = try NN.axis(axis, rank: x.rank, context)
        let norm = Array(x.shape[a...])
        let groups = NN.product(x.shape[..<a]), size = NN.product(norm[...])
        guard let s = Broadcast.shape([scale.shape, norm]), s == norm else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "scale \(scale.shape) does not broadcast to \(norm)")
        }
        let sm = Broadcast.indexMap(from: scale.shape, to: norm), sv = try scale.doubles()
        let xv = try x.doubles()
        var y = [Double](repeating: 0, count: xv.count)
        for g in 0..<groups {
            let o = g * size
            var q = 0.0
            for i in 0..<size { q += xv[o + i] * xv[o + i] }
            let r = 1 / (q / Double(max(1, size)) + epsilon).squareRoot()
            for i in 0..<size { y[o + i] = xv[o + i] * r * sv[sm[i]] }
        }
        return [.tensor(try .converting(y, to: x.dataType, shape: x.shape))]
    }
}
