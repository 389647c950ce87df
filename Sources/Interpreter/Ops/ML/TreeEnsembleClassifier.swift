import ONNX

/// TreeEnsembleClassifier (ai.onnx.ml 1, 3, and the deprecated 5): sums leaf weights
/// per class, adds base values and picks the label as onnxruntime does, including its
/// binary case (two labels, weights for one class only) where the second score is
/// derived from the first (1 - p, -s, or logistic(-s)). Outputs Y (labels) and Z
/// (float32 scores [N, classes]).
struct TreeEnsembleClassifier: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "TreeEnsembleClassifier"
    static let sinceVersions: [Int64] = [1, 3, 5]

    let engines: TreeEngines
    let labels: MLLabels
    let output: TreeClassifierOutput
    let base: [Double]

    init(_ c: OpContext) throws {
        let ints = try c.ints("classlabels_int64s", default: [])
        let strings = try c.strings("classlabels_strings", default: [])
        guard ints.isEmpty != strings.isEmpty else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "classlabels_int64s", message: "exactly one of classlabels_int64s and classlabels_strings must be given")
        }
        labels = ints.isEmpty ? .strings(strings) : .ints(ints)
        let post = try MLPostTransform.parse(try c.string("post_transform", default: "NONE"), c)
        let baseValues = try c.mlFloatsOrTensor("base_values", tensor: "base_values_as_tensor")
        let (ir, weights, thresholdsDouble) = try Self.forest(c, classes: labels.count)
        let classIds = try c.ints("class_ids", default: [])
        output = TreeClassifierOutput(classes: labels.count, binaryCase: labels.count == 2 && Set(classIds).count == 1,
                                      weightsAllPositive: weights.allSatisfy { $0 >= 0 }, post: post)
        base = baseValues.values
        let source = c.detached(), classes = labels.count
        engines = try TreeEngines(consume ir, rebuild: { try Self.forest(source, classes: classes).ir }, aggregate: .sum,
                                  thresholdsDouble: thresholdsDouble || baseValues.isDouble, nodeName: c.nodeName)
    }

    /// The trees, the class weights, and whether thresholds or weights are float64.
    static func forest(_ c: OpContext, classes: Int) throws -> (ir: TreeForestIR, weights: [Double], double: Bool) {
        let weights = try c.mlFloatsOrTensor("class_weights", tensor: "class_weights_as_tensor")
        let (values, valuesDouble) = try c.mlFloatsOrTensor("nodes_values", tensor: "nodes_values_as_tensor")
        let ir = try TreeForestIR.fromLegacy(c, prefix: "class", values: consume values, weights: weights.values, nTargets: classes)
        return (ir, weights.values, valuesDouble || weights.isDouble)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let (rows, cols) = try engines.rowsAndColumns(x, context)
        let c = labels.count
        func compute<T: BinaryFloatingPoint & Sendable>(_ e: TreeEngine<T>) throws -> ([TreeLabelChoice], [Float]) {
            let (s, h) = try TreeInput.with(x, as: T.self) { e.scores($0, rows: rows, cols: cols, tracing: context) }
            let b = base.map { T($0) }
            var choices: [TreeLabelChoice] = []
            choices.reserveCapacity(rows)
            var z = [Float]()
            z.reserveCapacity(rows * c)
            for r in 0..<rows {
                let (label, row) = output.finalizeRow(s[(r * c)..<((r + 1) * c)], h[(r * c)..<((r + 1) * c)], base: b)
                choices.append(label)
                for v in row { z.append(Float(v)) }
            }
            return (choices, z)
        }
        let (choices, z) = engines.usesDouble(x) ? try compute(try engines.double.get()) : try compute(try engines.float.get())
        let y: TensorValue
        switch labels {
        case .ints(let a):
            y = TensorValue(int64s: choices.map {
                switch $0 {
                case .index(let i): return i < a.count ? a[i] : 0
                case .binary(let p): return p ? 1 : 0
                }
            }, shape: [rows])
        case .strings(let a):
            y = TensorValue(strings: choices.map {
                let i: Int
                switch $0 {
                case .index(let j): i = j
                case .binary(let p): i = p ? 1 : 0
                }
                return i < a.count ? a[i] : a[0]
            }, shape: [rows])
        }
        return [.tensor(y), .tensor(TensorValue(floats: z, shape: [rows, c]))]
    }
}
