import ONNX

/// LpNormalization: x / ||x||_p along `axis`, with p = 1 (sum of |x|) or 2 (Euclidean).
/// A zero norm leaves the (all-zero) slice as it is, as onnx's tests expect.
struct LpNormalization: Operator {
    static let opType = "LpNormalization"
    static let sinceVersions: [Int64] = [1, 22]
    let axis: Int64
    let p: Int64

    init(_ c: OpContext) throws {
        axis = try c.int("axis", default: -1)
        p = try c.int("p", default: 2)
        guard p == 1 || p == 2 else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "p", message: "must be 1 or 2, got \(p)")
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        try MiscSupport.requireReal(x, "input", context)
        let ax = try MiscSupport.axis(axis, rank: max(1, x.rank), context)
        let shape = x.shape.isEmpty ? [1] : x.shape
        let n = shape[ax]
        let inner = shape[(ax + 1)...].reduce(1, *)
        let outer = shape[..<ax].reduce(1, *)
        let l1 = p == 1
        if x.dataType == .double {
            var v = try x.doubles()
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * n * inner + i
                    var s = 0.0
                    for k in 0..<n { let e = v[base + k * inner]; s += l1 ? abs(e) : e * e }
                    let norm = s == 0 ? 1 : (l1 ? s : s.squareRoot())
                    for k in 0..<n { v[base + k * inner] /= norm }
                }
            }
            return [.tensor(TensorValue(doubles: v, shape: x.shape))]
        }
        var v = try x.floats()
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                var s: Float = 0
                for k in 0..<n { let e = v[base + k * inner]; s += l1 ? abs(e) : e * e }
                let norm = s == 0 ? 1 : (l1 ? s : s.squareRoot())
                for k in 0..<n { v[base + k * inner] /= norm }
            }
        }
        return [.tensor(try MiscSupport.real(v, x.dataType, shape: x.shape))]
    }
}
