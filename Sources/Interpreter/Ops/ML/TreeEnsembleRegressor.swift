import ONNX

/// TreeEnsembleRegressor (ai.onnx.ml 1, 3, and the deprecated 5): sums (or averages,
/// or takes the min/max of) leaf weights per target over the trees, adds base values,
/// applies post_transform (onnxruntime's rules: with one target only PROBIT applies).
/// Output Y is float32 [N, n_targets]; float64 inputs or `*_as_tensor` float64
/// thresholds are evaluated and accumulated in float64.
struct TreeEnsembleRegressor: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "TreeEnsembleRegressor"
    static let sinceVersions: [Int64] = [1, 3, 5]

    let engines: TreeEngines
    let aggregate: TreeAggregate
    let post: MLPostTransform
    let nTargets: Int
    let nTrees: Int
    let base: [Double]

    init(_ c: OpContext) throws {
        aggregate = try TreeAggregate.parse(try c.string("aggregate_function", default: "SUM"), c)
        post = try MLPostTransform.parse(try c.string("post_transform", default: "NONE"), c)
        let values = try c.mlFloatsOrTensor("nodes_values", tensor: "nodes_values_as_tensor")
        let weights = try c.mlFloatsOrTensor("target_weights", tensor: "target_weights_as_tensor")
        let baseValues = try c.mlFloatsOrTensor("base_values", tensor: "base_values_as_tensor")
        let targetIds = try c.ints("target_ids", default: [])
        let n = try c.int("n_targets", default: (targetIds.max() ?? 0) + 1)
        guard n >= 1, n < Int64(Int32.max) else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "n_targets", message: "must be at least 1") }
        nTargets = Int(n)
        let ir = try TreeForestIR.fromLegacy(
            c, treeIds: try c.ints("nodes_treeids", default: []), nodeIds: try c.ints("nodes_nodeids", default: []),
            featureIds: try c.ints("nodes_featureids", default: []), modes: try c.strings("nodes_modes", default: []),
            values: values.values, trueIds: try c.ints("nodes_truenodeids", default: []),
            falseIds: try c.ints("nodes_falsenodeids", default: []), missing: try c.ints("nodes_missing_value_tracks_true", default: []),
            targetTreeIds: try c.ints("target_treeids", default: []), targetNodeIds: try c.ints("target_nodeids", default: []),
            targetIds: targetIds, targetWeights: weights.values, nTargets: nTargets, weightPrefix: "target")
        nTrees = ir.roots.count
        base = baseValues.values
        engines = try TreeEngines(ir, aggregate: aggregate, thresholdsDouble: values.isDouble || weights.isDouble || baseValues.isDouble,
                                  nodeName: c.nodeName)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let (rows, cols) = try engines.rowsAndColumns(x, context)
        func compute<T: BinaryFloatingPoint & Sendable>(_ e: TreeEngine<T>) throws -> [Float] {
            let (s, h) = try TreeInput.with(x, as: T.self) { e.scores($0, rows: rows, cols: cols, tracing: context) }
            return TreeRegressorOutput.finalize(s, h, rows: rows, k: nTargets, aggregate: aggregate, nTrees: nTrees,
                                                base: base.map { T($0) }, post: post).map { Float($0) }
        }
        let y = engines.usesDouble(x) ? try compute(try engines.double.get()) : try compute(try engines.float.get())
        return [.tensor(TensorValue(floats: y, shape: [rows, nTargets]))]
    }
}
