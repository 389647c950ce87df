import ConversionKit
import Foundation
import PythonObjects
import TreeEnsembles

/// HistGradientBoostingRegressor/Classifier through the tree IR: the predictors'
/// node records (`value` already scaled, `num_threshold` compared as float64 with `<=`,
/// NaN routed by `missing_go_to_left`, which skl2onnx drops), summed onto
/// `_baseline_prediction`, with the loss's link inverted (identity, exp, sigmoid,
/// softmax). Categorical splits are refused by name (not converted yet).
struct SklearnHistGradientBoosting: SklearnEstimatorConverter {
    static let regressor = "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingRegressor"
    static let classifier = "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier"
    var classNames: [String] { [Self.regressor, Self.classifier] }

    func convert(_ node: PyNode, options: ConversionOptions) throws -> ConversionResult {
        let ir = try Self.model(node)
        let summary = "scikit-learn \(node.className?.split(separator: ".").last ?? ""), \(ir.trees.count) trees, \(ir.featureCount) features"
        return try TreeConversion.result(ir, options: options, summary: summary) { SklearnError.invalid(path: node.path, reason: $0.description) }
    }

    static func model(_ node: PyNode) throws -> TreeEnsembleModel {
        let isClassifier = node.className == classifier
        let featureCount = try node.attribute("n_features_in_").int()
        let loss = try node.attribute("loss").string()
        let baseline = try node.attribute("_baseline_prediction").doubles()
        let iterations = try node.attribute("_predictors").items()
        let perIteration = try node.attribute("n_trees_per_iteration_").int()
        var trees: [Tree] = []
        for (i, iteration) in iterations.enumerated() {
            let predictors = try iteration.items()
            guard predictors.count == perIteration else { throw SklearnError.invalid(path: iteration.path, reason: "\(predictors.count) predictors in iteration \(i), expected \(perIteration)") }
            for (k, p) in predictors.enumerated() {
                let nodes = try p.attribute("nodes").array(rank: 1)
                let path = p.path + ".nodes"
                let value = try nodes.field("value", path: path).doubles()
                let feature = try nodes.field("feature_idx", path: path).int64s()
                let threshold = try nodes.field("num_threshold", path: path).doubles()
                let missingLeft = try nodes.field("missing_go_to_left", path: path).int64s()
                let left = try nodes.field("left", path: path).int64s()
                let right = try nodes.field("right", path: path).int64s()
                let isLeaf = try nodes.field("is_leaf", path: path).int64s()
                let categorical = (try? nodes.field("is_categorical", path: path).int64s()) ?? []
                if categorical.contains(where: { $0 != 0 }) {
                    throw SklearnError.invalid(path: path, reason: "categorical splits of HistGradientBoosting are not converted yet")
                }
                var out: [TreeNode] = []
                for n in 0..<value.count {
                    if isLeaf[n] != 0 { out.append(.leaf([value[n]])); continue }
                    out.append(.split(Split(feature: Int(feature[n]), threshold: .float64(threshold[n]), comparison: .lessOrEqual,
                                            yes: Int(left[n]), no: Int(right[n]), missingGoesToYes: missingLeft[n] != 0)))
                }
                trees.append(Tree(nodes: out, target: k))
            }
        }
        let task: TreeEnsembleModel.Task
        var transform: TreeEnsembleModel.Transform = .identity
        var binary = false
        if isClassifier {
            let labels = try SklearnTreeConverter.labels(try node.attribute("classes_"))
            task = .classification(labels: labels)
            if perIteration == 1 { transform = .logistic(scale: 1); binary = true } else { transform = .softmax }
        } else {
            task = .regression(targets: perIteration)
            switch loss {
            case "squared_error", "absolute_error", "quantile": transform = .identity
            case "poisson", "gamma": transform = .exp
            default: throw SklearnError.invalid(path: node.path + ".loss", reason: "loss '\(loss)' is not converted")
            }
        }
        guard baseline.count == perIteration else { throw SklearnError.invalid(path: node.path + "._baseline_prediction", reason: "\(baseline.count) values for \(perIteration) outputs") }
        return TreeEnsembleModel(trees: trees, featureCount: featureCount, task: task, baseScores: baseline, aggregation: .sum,
                                 transform: transform, binaryFromSingleMargin: binary)
    }
}
