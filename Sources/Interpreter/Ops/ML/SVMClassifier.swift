import ONNX

/// SVMClassifier (ai.onnx.ml 1), following onnxruntime: with support vectors (libsvm
/// mode) each pair of classes i < j gets a score from the kernel values and rho, and a
/// vote; the label is the class with most votes. Without prob_a/prob_b, Z holds the
/// pairwise scores (two classes: [-s, s], or [1 - s, s] when a transform is set);
/// with them, Platt probabilities 1 - logistic(A s + B) are coupled into class
/// probabilities (libsvm's multiclass_probability). Without support vectors (liblinear
/// mode) Z = x.coefficients_c + rho[0] and the label is the best score. post_transform
/// then applies to rows of two or more scores.
struct SVMClassifier: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "SVMClassifier"
    static let sinceVersions: [Int64] = [1]

    let kernel: SVMKernel
    let coefficients: [Float]
    let supportVectors: [Float]
    let rho: [Float]
    let probA: [Float]
    let probB: [Float]
    let vectorsPerClass: [Int]
    let startingVector: [Int]
    let vectorCount: Int
    let featureCount: Int
    let classCount: Int
    let labels: MLLabels
    let weightsAllPositive: Bool
    let post: MLPostTransform

    init(_ c: OpContext) throws {
        func bad(_ a: String, _ m: String) -> InterpreterError { .badAttribute(node: c.nodeName, attribute: a, message: m) }
        var k = try SVMKernel(c)
        coefficients = try c.floats("coefficients")
        supportVectors = try c.floats("support_vectors", default: []) + [0]
        rho = try c.floats("rho")
        probA = try c.floats("prob_a", default: [])
        probB = try c.floats("prob_b", default: [])
        guard probA.count == probB.count else { throw bad("prob_b", "prob_a and prob_b must have the same length") }
        let ints = try c.ints("classlabels_ints", default: [])
        let strings = try c.strings("classlabels_strings", default: [])
        guard !(ints.isEmpty && strings.isEmpty) else { throw bad("classlabels_ints", "classlabels_ints or classlabels_strings is required") }
        labels = strings.isEmpty ? .ints(ints) : .strings(strings)
        classCount = labels.count
        post = try MLPostTransform.parse(try c.string("post_transform", default: "NONE"), c)
        var starts: [Int] = []
        var total = 0
        var perClass: [Int] = []
        for v in try c.ints("vectors_per_class", default: []) {
            guard v >= 0, v < Int64(Int32.max) else { throw bad("vectors_per_class", "\(v) is out of range") }
            starts.append(total)
            perClass.append(Int(v))
            total += Int(v)
        }
        vectorsPerClass = perClass
        startingVector = starts
        vectorCount = total
        guard !coefficients.isEmpty else { throw bad("coefficients", "is empty") }
        if total > 0 {
            guard perClass.count == classCount else { throw bad("vectors_per_class", "has \(perClass.count) entries for \(classCount) classes") }
            guard (supportVectors.count - 1) % total == 0 else { throw bad("support_vectors", "\(supportVectors.count - 1) values do not fit \(total) vectors") }
            featureCount = (supportVectors.count - 1) / total
            guard coefficients.count == (classCount - 1) * total else {
                throw bad("coefficients", "has \(coefficients.count) values; \(classCount - 1) x \(total) are needed")
            }
            let pairs = classCount * (classCount - 1) / 2
            guard rho.count >= pairs else { throw bad("rho", "has \(rho.count) values; \(pairs) are needed") }
            guard probA.isEmpty || probA.count >= pairs else { throw bad("prob_a", "has \(probA.count) values; \(pairs) are needed") }
        } else {
            k.kind = .linear
            guard coefficients.count % classCount == 0 else { throw bad("coefficients", "\(coefficients.count) values do not fit \(classCount) classes") }
            featureCount = coefficients.count / classCount
            guard !rho.isEmpty else { throw bad("rho", "is empty") }
        }
        kernel = k
        weightsAllPositive = coefficients.allSatisfy { $0 >= 0 }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let xt = try context.tensor(inputs, 0)
        let (n, f) = try mlRowsAndColumns(xt, context)
        guard f == featureCount else { throw context.invalid("the input has \(f) features; the model expects \(featureCount)") }
        var x = try xt.floats()
        if x.isEmpty { x = [0] }
        let c = classCount
        let pairs = c * (c - 1) / 2
        let svc = vectorCount > 0
        let haveProba = !probA.isEmpty
        let width = svc && !haveProba ? (c > 2 ? pairs : 2) : c
        var z = [Float](repeating: 0, count: n * width)
        var picks = [Int](repeating: 0, count: n)
        var kernels = [Float](repeating: 0, count: max(vectorCount, c, 1))
        var votes = [Int](repeating: 0, count: c)
        x.withUnsafeBufferPointer { xp in
        supportVectors.withUnsafeBufferPointer { svp in
        coefficients.withUnsafeBufferPointer { cp in
        kernels.withUnsafeMutableBufferPointer { kp in
            for r in 0..<n {
                let row = xp.baseAddress! + r * f
                var scores: [Float]
                var maxClass = 0
                var maxWeight: Float = 0
                if !svc {
                    kernel.apply(row, cp.baseAddress!, count: c, f: f, linearOffset: rho[0], into: kp.baseAddress!)
                    scores = Array(kp.prefix(c))
                    for j in 1..<max(c, 1) where scores[j] > scores[maxClass] { maxClass = j }
                    maxWeight = scores.isEmpty ? 0 : scores[maxClass]
                } else {
                    kernel.apply(row, svp.baseAddress!, count: vectorCount, f: f, into: kp.baseAddress!)
                    for j in 0..<c { votes[j] = 0 }
                    scores = []
                    scores.reserveCapacity(pairs)
                    var idx = 0
                    for i in 0..<(c - 1) {
                        let si = startingVector[i], ni = vectorsPerClass[i]
                        for j in (i + 1)..<c {
                            let sj = startingVector[j], nj = vectorsPerClass[j]
                            var sum: Double = 0
                            for m in 0..<ni { sum += Double(cp[vectorCount * (j - 1) + si + m] * kp[si + m]) }
                            for m in 0..<nj { sum += Double(cp[vectorCount * i + sj + m] * kp[sj + m]) }
                            sum += Double(rho[idx])
                            idx += 1
                            scores.append(Float(sum))
                            votes[sum > 0 ? i : j] += 1
                        }
                    }
                    for j in 1..<c where votes[j] > votes[maxClass] { maxClass = j }
                    if haveProba {
                        var pr = [Float](repeating: 0, count: c * c)
                        var index = 0
                        for i in 0..<(c - 1) {
                            for j in (i + 1)..<c {
                                let v1 = 1 - MLMath.logistic(scores[index] * probA[index] + probB[index])
                                let v2 = min(max(v1, 1.0e-7), 1 - 1.0e-7)
                                pr[i * c + j] = v2
                                pr[j * c + i] = 1 - v2
                                index += 1
                            }
                        }
                        scores = SVMClassifier.multiclassProbability(c, pr)
                    }
                }
                // The label.
                if pairs == 1 && labels.count == 2 && !haveProba {
                    if (weightsAllPositive && maxWeight >= 0.5) || (maxWeight > 0 && !weightsAllPositive) { picks[r] = 1 } else { picks[r] = maxClass }
                } else {
                    picks[r] = maxClass
                }
                // The scores.
                var out: [Float]
                if svc && !haveProba && c <= 2 {
                    let s = scores.first ?? 0
                    out = post == .none ? [-s, s] : MLMath.binaryPair(s, post)
                } else if scores.count >= 2 {
                    out = scores
                    MLMath.transformRow(&out, post)
                } else {
                    out = post == .probit ? scores.map(MLMath.probit) : scores
                }
                for j in 0..<min(width, out.count) { z[r * width + j] = out[j] }
            }
        }
        }
        }
        }
        let y: TensorValue
        switch labels {
        case .ints(let a): y = TensorValue(int64s: picks.map { a[$0] }, shape: [n])
        case .strings(let a): y = TensorValue(strings: picks.map { a[$0] }, shape: [n])
        }
        return [.tensor(y), .tensor(TensorValue(floats: z, shape: [n, width]))]
    }

    /// libsvm's pairwise coupling (onnxruntime's float32 version): r[i*k + j] is the
    /// probability that class i beats class j.
    static func multiclassProbability(_ k: Int, _ r: [Float]) -> [Float] {
        var q = [Float](repeating: 0, count: k * k)
        var qp = [Float](repeating: 0, count: k)
        var p = [Float](repeating: 1 / Float(k), count: k)
        let eps = 0.005 / Float(k)
        for i in 0..<k {
            for j in 0..<i {
                q[i * k + i] += r[j * k + i] * r[j * k + i]
                q[i * k + j] = q[j * k + i]
            }
            for j in (i + 1)..<max(k, i + 1) {
                q[i * k + i] += r[j * k + i] * r[j * k + i]
                q[i * k + j] = -r[j * k + i] * r[i * k + j]
            }
        }
        for _ in 0..<100 {
            var pqp: Float = 0
            for i in 0..<k {
                qp[i] = 0
                for j in 0..<k { qp[i] += q[i * k + j] * p[j] }
                pqp += p[i] * qp[i]
            }
            var maxError: Float = 0
            for i in 0..<k { let e = abs(qp[i] - pqp); if e > maxError { maxError = e } }
            if maxError < eps { break }
            for i in 0..<k {
                let diff = (-qp[i] + pqp) / q[i * k + i]
                p[i] += diff
                pqp = (pqp + diff * (diff * q[i * k + i] + 2 * qp[i])) / (1 + diff) / (1 + diff)
                for j in 0..<k {
                    qp[j] = (qp[j] + diff * q[i * k + j]) / (1 + diff)
                    p[j] /= (1 + diff)
                }
            }
        }
        return p
    }
}
