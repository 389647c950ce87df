import ONNX

/// GroupNormalization: normalizes each group of channels (and all spatial positions)
/// of each sample; scale and bias are per group at version 18, per channel from 21.
struct GroupNormalization: Operator {
    static let opType = "GroupNormalization"
    static let sinceVersions: [Int64] = [18, 21]
    let groups: Int
    let epsilon: Double
    let perChannel: Bool

    init(_ c: OpContext) throws {
        groups = Int(try c.int("num_groups"))
        epsilon = Double(try c.float("epsilon", default: 1e-5))
        perChannel = c.sinceVersion >= 21
        guard groups >= 1 else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "num_groups", message: "must be >= 1") }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let sv = try context.tensor(inputs, 1).doubles(), bv = try context.tensor(inputs, 2).doubles()
        guard NN.isReal(x.dataType) else { throw InterpreterError.unsupportedType(x.dataType, context: "GroupNormalization") }
        guard x.rank >= 2 else { throw context.invalid("X must have rank >= 2") }
        let (n, c) = (x.shape[0], x.shape[1])
        guard c % groups == 0 else { throw context.invalid("\(c) channels do not split into \(groups) groups") }
        let want = perChannel ? c : groups
        guard sv.count == want, bv.count == want else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "scale and bias need \(want) elements")
        }
        let spatial = x.count / max(1, n * c), cg = c / groups, size = cg * spatial
        let xv = try x.doubles()
        var y = [Double](repeating: 0, count: xv.count)
        for s in 0..<n {
            for g in 0..<groups {
                let o = (s * c + g * cg) * spatial
                var sum = 0.0
                for i in 0..<size { sum += xv[o + i] }
                let mean = size > 0 ? sum / Double(size) : 0
                var q = 0.0
                for i in 0..<size { let d = xv[o + i] - mean; q += d * d }
                let r = 1 / (q / Double(max(1, size)) + epsilon).squareRoot()
                for i in 0..<size {
                    let k = perChannel ? g * cg + i / max(1, spatial) : g
                    y[o + i] = (xv[o + i] - mean) * r * sv[k] + bv[k]
                }
            }
        }
        return [.tensor(try .converting(y, to: x.dataType, shape: x.shape))]
    }
}
