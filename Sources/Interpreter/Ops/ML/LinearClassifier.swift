import ONNX

/// LinearClassifier (ai.onnx.ml 1): scores = X * coefficients^T + intercepts (float32),
/// labels by the largest score (one class: score > 0 picks the second label, or 1/"1"
/// without two labels). Scores then go through post_transform the way onnxruntime's
/// batched update does: with one class and two labels Z is [1 - s, s] (the transform
/// is not applied); with one class and no second label only PROBIT applies.
struct LinearClassifier: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "LinearClassifier"
    static let sinceVersions: [Int64] = [1]

    let coefficients: [Float]
    let intercepts: [Float]
    let labels: MLLabels
    let post: MLPostTransform

    init(_ c: OpContext) throws {
        coefficients = try c.floats("coefficients")
        intercepts = try c.floats("intercepts", default: [])
        let ints = try c.ints("classlabels_ints", default: [])
        let strings = try c.strings("classlabels_strings", default: [])
        guard ints.isEmpty || strings.isEmpty else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "classlabels_ints", message: "only one of classlabels_ints and classlabels_strings may be given")
        }
        labels = strings.isEmpty ? .ints(ints) : .strings(strings)
        post = try MLPostTransform.parse(try c.string("post_transform", default: "NONE"), c)
        guard !coefficients.isEmpty else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "coefficients", message: "is empty") }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let xt = try context.tensor(inputs, 0)
        let (n, f) = try mlRowsAndColumns(xt, context)
        var x = try xt.floats()
        if x.isEmpty { x = [0] }
        let classes = intercepts.isEmpty ? (f > 0 ? coefficients.count / f : 0) : intercepts.count
        guard classes > 0, coefficients.count == classes * f else {
            throw context.invalid("\(coefficients.count) coefficients do not fit \(classes) classes of \(f) features")
        }
        if classes > 1 && labels.count < classes { throw context.invalid("\(classes) classes but \(labels.count) labels") }
        var scores = [Float](repeating: 0, count: n * classes)
        scores.withUnsafeMutableBufferPointer { sp in
            let sb = sp.baseAddress!
            x.withUnsafeBufferPointer { xp in
                coefficients.withUnsafeBufferPointer { wp in
                    Parallel.forChunks(n, minimumChunk: 256) { range in
                        for r in range {
                            let row = xp.baseAddress! + r * f
                            for j in 0..<classes {
                                let w = wp.baseAddress! + j * f
                                var acc: Float = 0
                                for k in 0..<f { acc += row[k] * w[k] }
                                sb[r * classes + j] = acc + (intercepts.isEmpty ? 0 : intercepts[j])
                            }
                        }
                    }
                }
            }
        }
        // Labels from the raw scores.
        var picks = [Int](repeating: 0, count: n)
        var binaryPositive = [Bool](repeating: false, count: n)
        if classes == 1 {
            for r in 0..<n { binaryPositive[r] = scores[r] > 0 }
        } else {
            for r in 0..<n {
                var best = 0
                var bestScore = scores[r * classes]
                for j in 1..<classes where scores[r * classes + j] > bestScore { best = j; bestScore = scores[r * classes + j] }
                picks[r] = best
            }
        }
        let y: TensorValue
        switch labels {
        case .ints(let a):
            if classes == 1 {
                let (pos, neg): (Int64, Int64) = a.count == 2 ? (a[1], a[0]) : (1, 0)
                y = TensorValue(int64s: binaryPositive.map { $0 ? pos : neg }, shape: [n])
            } else {
                y = TensorValue(int64s: picks.map { a[$0] }, shape: [n])
            }
        case .strings(let a):
            if classes == 1 {
                let (pos, neg) = a.count == 2 ? (a[1], a[0]) : ("1", "0")
                y = TensorValue(strings: binaryPositive.map { $0 ? pos : neg }, shape: [n])
            } else {
                y = TensorValue(strings: picks.map { a[$0] }, shape: [n])
            }
        }
        // Scores.
        let secondClass = classes == 1 && labels.count == 2
        var z: [Float]
        if classes > 1 {
            z = scores
            if post != .none {
                var row = [Float](repeating: 0, count: classes)
                for r in 0..<n {
                    for j in 0..<classes { row[j] = z[r * classes + j] }
                    MLMath.transformRow(&row, post)
                    for j in 0..<classes { z[r * classes + j] = row[j] }
                }
            }
        } else if secondClass {
            z = []
            z.reserveCapacity(2 * n)
            for s in scores { z.append(contentsOf: MLMath.binaryPair(s, post)) }
        } else {
            z = post == .probit ? scores.map(MLMath.probit) : scores
        }
        return [.tensor(y), .tensor(TensorValue(floats: z, shape: [n, secondClass ? 2 : classes]))]
    }
}
