import ConversionKit
import Foundation
import ONNX
import PythonObjects
import TreeEnsembles

/// IsolationForest: `label` is predict (1 for inliers, -1 for outliers) and `scores` is
/// decision_function, as for OneClassSVM; score_samples is `scores + offset_`.
///
/// Through the tree IR: each isolation tree's leaf holds what `_compute_score_samples`
/// adds for a row reaching it, `_decision_path_lengths[leaf] +
/// _average_path_length_per_tree[leaf] - 1` (the leaf's depth plus c(n_node_samples),
/// both fitted attributes), and the trees are summed. After the tree op, as scikit-learn:
/// score_samples = -2^(-sum / (n_estimators · c(max_samples_))) (the quotient is 1 when
/// that product is 0), decision_function = score_samples - offset_, predict = -1 where
/// decision_function < 0. Trees fitted on a feature subset read their features through
/// `estimators_features_`. Splits are rounded as for every scikit-learn tree (the input
/// is read as float32) and NaN follows `missing_go_to_left`.
///
/// The conversion is verified: the tree op's sum, which is no output of the model, is
/// compared with the native evaluator (`SklearnInnerTreeVerifier`); the arithmetic after
/// it is tested against scikit-learn's own outputs.
struct SklearnIsolationForest: SklearnEstimatorConverter, SklearnGraphLowering {
    static let className = "sklearn.ensemble._iforest.IsolationForest"
    var classNames: [String] { [Self.className] }

    /// The trees, and the constants applied after them.
    struct Fitted {
        var ir: TreeEnsembleModel
        /// n_estimators · c(max_samples_).
        var denominator: Double
        var offset: Double
    }

    func convert(_ node: PyNode, options: ConversionOptions) throws -> ConversionResult {
        let fitted = try Self.fitted(node)
        let inputType: TreeEnsembleLowering.InputType
        switch options.floatType {
        case .float: inputType = .float32
        case .double: inputType = .float64
        default: throw SklearnError.invalid(path: node.path, reason: "IsolationForest takes float32 or float64 input, not \(options.floatType)")
        }
        let recorder = SumName()
        let model = try SklearnModelBuilder.model(node, lowering: Recording(recorder: recorder), featureCount: fitted.ir.featureCount, options: options)
        guard let sum = recorder.name else { throw SklearnError.invalid(path: node.path, reason: "the tree lowering gave no sum") }
        let verifier = SklearnInnerTreeVerifier(inner: TreeModelVerifier(model: fitted.ir, prepareFor: options.syntheticVerification ? inputType : nil), value: sum)
        return ConversionResult(model: model, verifier: verifier, warnings: [],
                                summary: "scikit-learn IsolationForest, \(fitted.ir.trees.count) trees, \(fitted.ir.featureCount) features")
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        try Self.addNodes(try Self.fitted(node), node: node, to: b, input: x, width: width, dtype: dtype).outputs
    }

    /// The nodes, and the tree op's per-row sum.
    static func addNodes(_ f: Fitted, node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> (outputs: SklearnOutputs, sum: GraphBuilder.Value) {
        guard width == f.ir.featureCount else { throw SklearnError.invalid(path: node.path + ".n_features_in_", reason: "IsolationForest of \(f.ir.featureCount) features fed \(width)") }
        let out = try TreeEnsembleLowering.addNodes(for: f.ir, to: b, input: x)
        guard let sum = out.predictions else { throw SklearnError.invalid(path: node.path, reason: "the tree lowering gave no sum") }
        let quotient = f.denominator != 0 ? try b.node("Div", [sum, try b.floats([f.denominator], shape: [], dtype: dtype, name: "path_length_denominator")], name: "relative_path_length")
            : try b.node("Add", [try b.node("Mul", [sum, try b.floats([0], shape: [], dtype: dtype, name: "zero")], name: "zero_rows"),
                                 try b.floats([1], shape: [], dtype: dtype, name: "one")], name: "relative_path_length")
        let anomaly = try b.node("Pow", [try b.floats([2], shape: [], dtype: dtype, name: "two"), try b.node("Neg", [quotient], name: "negative_relative_path_length")], name: "anomaly_score")
        let scoreSamples = try b.node("Neg", [anomaly], name: "score_samples")
        let decision = try b.node("Sub", [scoreSamples, try b.floats([f.offset], shape: [], dtype: dtype, name: "offset")], name: "decision")
        let outlier = try b.node("Less", [decision, try b.floats([0], shape: [], dtype: dtype, name: "zero_decision")], name: "outlier")
        let label = try b.node("Where", [outlier, try b.initializer([Int64(-1)], shape: [], name: "minus_one"), try b.initializer([Int64(1)], shape: [], name: "plus_one")], name: "label")
        return (.decision(label: label, scores: decision, columns: 1), sum)
    }

    /// Reads the fitted forest.
    static func fitted(_ node: PyNode) throws -> Fitted {
        let width = try node.attribute("n_features_in_").int()
        let estimators = try node.attribute("estimators_").items()
        guard !estimators.isEmpty else { throw SklearnError.invalid(path: node.path + ".estimators_", reason: "IsolationForest has no fitted trees") }
        let depths = try node.attribute("_decision_path_lengths").items()
        let averages = try node.attribute("_average_path_length_per_tree").items()
        let features = try node.attribute("estimators_features_").items()
        guard depths.count == estimators.count, averages.count == estimators.count, features.count == estimators.count else {
            throw SklearnError.invalid(path: node.path + "._decision_path_lengths", reason: "\(depths.count) path lengths, \(averages.count) average path lengths and \(features.count) feature subsets for \(estimators.count) trees")
        }
        // _compute_chunked_score_samples indexes features only when _max_features differs
        // from the width (the trees were then fitted on X[:, features]).
        let subsample = try node.attribute("_max_features").int() != width
        var trees: [Tree] = []
        for (k, est) in estimators.enumerated() {
            var tree = try SklearnTreeConverter.tree(try est.attribute("tree_"), classifier: false, width: 1)
            let d = try depths[k].doubles(rank: 1), a = try averages[k].doubles(rank: 1)
            let used = try features[k].int64s(rank: 1).map { Int($0) }
            guard d.count == tree.nodes.count, a.count == tree.nodes.count else {
                throw SklearnError.invalid(path: depths[k].path, reason: "\(d.count) path lengths and \(a.count) average path lengths for \(tree.nodes.count) nodes")
            }
            for i in tree.nodes.indices {
                switch tree.nodes[i] {
                case .leaf: tree.nodes[i] = .leaf([d[i] + a[i] - 1.0])
                case .split(var s):
                    if subsample {
                        guard used.indices.contains(s.feature), (0..<width).contains(used[s.feature]) else {
                            throw SklearnError.invalid(path: features[k].path, reason: "tree \(k) splits on feature \(s.feature) of its \(used.count)")
                        }
                        s.feature = used[s.feature]
                    }
                    tree.nodes[i] = .split(s)
                }
            }
            trees.append(tree)
        }
        let maxSamples = try node.attribute("_max_samples").double()
        let c: Double
        if maxSamples <= 1 { c = 0 } else if maxSamples == 2 { c = 1 } else {
            // _average_path_length: 2 (ln(n - 1) + γ) - 2 (n - 1) / n.
            c = 2.0 * (Foundation.log(maxSamples - 1.0) + 0.5772156649015329) - 2.0 * (maxSamples - 1.0) / maxSamples
        }
        let ir = TreeEnsembleModel(trees: trees, featureCount: width, task: .regression(targets: 1), baseScores: [], aggregation: .sum, transform: .identity)
        return Fitted(ir: ir, denominator: Double(estimators.count) * c, offset: try node.attribute("offset_").double())
    }

    /// The graph lowering, noting the name of the tree op's sum.
    final class SumName: @unchecked Sendable { var name: String? }
    struct Recording: SklearnGraphLowering {
        let recorder: SumName
        var classNames: [String] { [SklearnIsolationForest.className] }
        func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
            let (outputs, sum) = try SklearnIsolationForest.addNodes(try SklearnIsolationForest.fitted(node), node: node, to: b, input: x, width: width, dtype: dtype)
            recorder.name = sum.name
            return outputs
        }
    }
}

/// Verifies the trees inside a model whose outputs are computed from them: the value
/// `value` (the tree op's result, no graph output) is exposed as `predictions` in a copy
/// of the model, and that copy is checked against the native evaluator, leaf by leaf.
struct SklearnInnerTreeVerifier: ConversionVerifier {
    let inner: TreeModelVerifier
    let value: String
    var featureCount: Int { inner.featureCount }

    func verify(_ onnx: Model, rows: [[Float]]?) throws -> VerificationReport {
        var copy = onnx
        guard var g = copy.graph else { throw SklearnError.invalid(path: "model", reason: "no graph to verify") }
        let elementType = g.input.first?.type?.tensorElementType ?? .float
        g.node.append(Node(opType: "Identity", input: [value], output: [TreeEnsembleLowering.OutputName.predictions], name: "verified_tree_sum"))
        g.output.append(ValueInfo(name: TreeEnsembleLowering.OutputName.predictions, type: .tensor(elementType, [.symbolic("N")])))
        copy.graph = g
        return try inner.verify(copy, rows: rows)
    }
}
