import ONNX

/// SVMRegressor (ai.onnx.ml 1): with support vectors, Y = sum_i coef_i K(x, sv_i) +
/// rho[0]; without (liblinear mode), Y = x.coefficients + rho[0]. one_class maps the
/// score to +1 / -1. Y is float32 [N, 1]; post_transform is not applied (as in
/// onnxruntime).
struct SVMRegressor: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "SVMRegressor"
    static let sinceVersions: [Int64] = [1]

    let kernel: SVMKernel
    let coefficients: [Float]
    let supportVectors: [Float]
    let rho: Float
    let vectorCount: Int
    let oneClass: Bool

    init(_ c: OpContext) throws {
        var k = try SVMKernel(c)
        coefficients = try c.floats("coefficients")
        // A trailing 0 keeps the buffer non-empty; it is never read as a vector.
        supportVectors = try c.floats("support_vectors", default: []) + [0]
        rho = try c.floats("rho", default: [0]).first ?? 0
        let n = try c.int("n_supports", default: 0)
        guard n >= 0, n < Int64(Int32.max) else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "n_supports", message: "is negative") }
        vectorCount = Int(n)
        oneClass = try c.int("one_class", default: 0) != 0
        guard !coefficients.isEmpty else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "coefficients", message: "is empty") }
        if vectorCount == 0 { k.kind = .linear }
        else if coefficients.count != vectorCount || (supportVectors.count - 1) % vectorCount != 0 {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "support_vectors", message: "\(supportVectors.count - 1) values and \(coefficients.count) coefficients do not fit \(vectorCount) support vectors")
        }
        kernel = k
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let xt = try context.tensor(inputs, 0)
        let (n, f) = try mlRowsAndColumns(xt, context)
        let svc = vectorCount > 0
        let expected = svc ? (supportVectors.count - 1) / vectorCount : coefficients.count
        guard f == expected else { throw context.invalid("the input has \(f) features; the model expects \(expected)") }
        var x = try xt.floats()
        if x.isEmpty { x = [0] }
        var y = [Float](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xp in
            supportVectors.withUnsafeBufferPointer { svp in
                coefficients.withUnsafeBufferPointer { cp in
                    var k = [Float](repeating: 0, count: max(vectorCount, 1))
                    k.withUnsafeMutableBufferPointer { kp in
                        for r in 0..<n {
                            let row = xp.baseAddress! + r * f
                            var v: Float
                            if svc {
                                kernel.apply(row, svp.baseAddress!, count: vectorCount, f: f, into: kp.baseAddress!)
                                var acc: Float = 0
                                for i in 0..<vectorCount { acc += kp[i] * cp[i] }
                                v = acc + rho
                            } else {
                                kernel.apply(row, cp.baseAddress!, count: 1, f: f, linearOffset: rho, into: kp.baseAddress!)
                                v = kp[0]
                            }
                            if oneClass { v = v > 0 ? 1 : -1 }
                            y[r] = v
                        }
                    }
                }
            }
        }
        return [.tensor(TensorValue(floats: y, shape: [n, 1]))]
    }
}
