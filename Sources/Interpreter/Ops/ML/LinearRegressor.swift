import ONNX

/// LinearRegressor (ai.onnx.ml 1): Y = X * coefficients^T + intercepts (float32,
/// [N, targets]); intercepts apply only when there is one per target (as in
/// onnxruntime). post_transform applies per row for two or more targets; with one
/// target only PROBIT applies.
struct LinearRegressor: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "LinearRegressor"
    static let sinceVersions: [Int64] = [1]

    let coefficients: [Float]
    let intercepts: [Float]
    let targets: Int
    let post: MLPostTransform

    init(_ c: OpContext) throws {
        coefficients = try c.floats("coefficients", default: [])
        let t = try c.int("targets", default: 1)
        guard t >= 1, t < Int64(Int32.max) else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "targets", message: "must be at least 1") }
        targets = Int(t)
        let b = try c.floats("intercepts", default: [])
        intercepts = b.count == targets ? b : []
        post = try MLPostTransform.parse(try c.string("post_transform", default: "NONE"), c)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let xt = try context.tensor(inputs, 0)
        let (n, f) = try mlRowsAndColumns(xt, context)
        guard coefficients.count == targets * f else {
            throw context.invalid("\(coefficients.count) coefficients do not fit \(targets) targets of \(f) features")
        }
        let x = try xt.floats()
        let k = targets
        var y = [Float](repeating: 0, count: n * k)
        y.withUnsafeMutableBufferPointer { yp in
            let yb = yp.baseAddress
            Parallel.forChunks(n, minimumChunk: 256) { range in
                guard let yb else { return }
                var row = [Float](repeating: 0, count: k)
                for r in range {
                    for j in 0..<k {
                        var acc: Float = 0
                        for m in 0..<f { acc += x[r * f + m] * coefficients[j * f + m] }
                        row[j] = acc + (intercepts.isEmpty ? 0 : intercepts[j])
                    }
                    if k > 1 { MLMath.transformRow(&row, post) } else if post == .probit { row[0] = MLMath.probit(row[0]) }
                    for j in 0..<k { yb[r * k + j] = row[j] }
                }
            }
        }
        return [.tensor(TensorValue(floats: y, shape: [n, k]))]
    }
}
