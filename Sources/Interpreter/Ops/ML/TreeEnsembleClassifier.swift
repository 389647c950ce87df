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
        let values = try c.mlFloatsOrTensor("nodes_values", tensor: "nodes_values_as_tensor")
        let weights = try c.mlFloatsOrTensor("class_weights", tensor: "class_weights_as_tensor")
        let baseValues = try c.mlFloatsOrTensor("base_values", tensor: "base_values_as_tensor")
        let classIds = try c.ints("class_ids", default: [])
        let ir = try TreeForestIR.fromLegacy(
            c, treeIds: try c.ints("nodes_treeids", default: []), nodeIds: try c.ints("nodes_nodeids", default: []),
            featureIds: try c.ints("nodes_featureids", default: []), modes: try c.strings("nodes_modes", default: []),
            values: values.values, trueIds: try c.ints("nodes_truenodeids", default: []),
            falseIds: try c.ints("nodes_falsenodeids", default: []), missing: try c.ints("nodes_missing_value_tracks_true", default: []),
            targetTreeIds: try c.ints("class_treeids", default: []), targetNodeIds: try c.ints("class_nodeids", default: []),
            targetIds: classIds, targetWeights: weights.values, nTargets: labels.count, weightPrefix: "class")
        output = TreeClassifierOutput(classes: labels.count, binaryCase: labels.count == 2 && Set(classIds).count == 1,
                                      weightsAllPositive: weights.values.allSatisfy { $0 >= 0 }, post: post)
        base = baseValues.values
        engines = try TreeEngines(ir, aggregate: .sum, thresholdsDouble: values.isDouble || weights.isDouble || baseValues.isDouble,
                                  nodeName: c.nodeName)
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
