import ONNX

/// LayerNormalization: normalizes over the axes from `axis` to the last, then applies
/// Scale and B (broadcast to the normalized shape); optional Mean and InvStdDev outputs
/// have the reduced axes kept as 1. Statistics are computed in double.
struct LayerNormalization: Operator {
    static let opType = "LayerNormalization"
    static let sinceVersions: [Int64] = [17]
    let axis: Int64
    let epsilon: Double

    init(_ c: OpContext) throws {
        axis = try c.int("axis", default: -1)
        epsilon = Double(try c.float("epsilon", default: 1e-5))
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), scale = try context.tensor(inputs, 1)
        let bias = try context.optionalTensor(inputs, 2)
        guard NN.isReal(x.dataType) else { throw InterpreterError.unsupportedType(x.dataType, context: "LayerNormalization") }
        guard x.rank >= 1 else { throw context.invalid("X must have rank >= 1") }
        let a = try NN.axis(axis, rank: x.rank, context)
        let norm = Array(x.shape[a...])
        let groups = NN.product(x.shape[..<a]), size = NN.product(norm[...])
        func map(_ t: TensorValue) throws -> [Int] {
            guard let s = Broadcast.shape([t.shape, norm]), s == norm else {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "\(t.shape) does not broadcast to the normalized shape \(norm)")
            }
            return Broadcast.indexMap(from: t.shape, to: norm)
        }
        let sv = try scale.doubles(), sm = try map(scale)
        let bv = try bias?.doubles(), bm = try bias.map(map)
        let xv = try x.doubles()
        var y = [Double](repeating: 0, count: xv.count)
        var means = [Double](repeating: 0, count: groups), inv = means
        for g in 0..<groups {
            let o = g * size
            var s = 0.0
            for i in 0..<size { s += xv[o + i] }
            let mean = size > 0 ? s / Double(size) : 0
            var q = 0.0
            for i in 0..<size { let d = xv[o + i] - mean; q += d * d }
            let r = 1 / (q / Double(max(1, size)) + epsilon).squareRoot()
            means[g] = mean; inv[g] = r
            for i in 0..<size {
                var v = (xv[o + i] - mean) * r * sv[sm[i]]
                if let bv, let bm { v += bv[bm[i]] }
                y[o + i] = v
            }
        }
        let statShape = Array(x.shape[..<a]) + [Int](repeating: 1, count: x.rank - a)
        return [.tensor(try .converting(y, to: x.dataType, shape: x.shape)),
                .tensor(try .converting(means, to: .float, shape: statShape)),
                .tensor(try .converting(inv, to: .float, shape: statShape))]
    }
}
