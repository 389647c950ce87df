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
        let baseValues = try c.mlFloatsOrTensor("base_values", tensor: "base_values_as_tensor")
        let maxTarget = try c.ints("target_ids", default: []) { $0 }.max() ?? 0
        let n = try c.int("n_targets", default: maxTarget + 1)
        guard n >= 1, n < Int64(Int32.max) else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "n_targets", message: "must be at least 1") }
        nTargets = Int(n)
        base = baseValues.values
        let (ir, thresholdsDouble) = try Self.forest(c, nTargets: nTargets)
        nTrees = ir.roots.count
        let source = c.detached()
        engines = try TreeEngines(consume ir, rebuild: { [nTargets] in try Self.forest(source, nTargets: nTargets).ir }, aggregate: aggregate,
                                  thresholdsDouble: thresholdsDouble || baseValues.isDouble, nodeName: c.nodeName)
    }

    /// The trees, and whether thresholds or weights are float64.
    static func forest(_ c: OpContext, nTargets: Int) throws -> (ir: TreeForestIR, double: Bool) {
        let weights = try c.mlFloatsOrTensor("target_weights", tensor: "target_weights_as_tensor")
        let (values, valuesDouble) = try c.mlFloatsOrTensor("nodes_values", tensor: "nodes_values_as_tensor")
        let ir = try TreeForestIR.fromLegacy(c, prefix: "target", values: consume values, weights: weights.values, nTargets: nTargets)
        return (ir, valuesDouble || weights.isDouble)
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
