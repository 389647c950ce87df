import Foundation
import ConversionKit
import PythonObjects
import TreeEnsembles

/// GradientBoostingRegressor and GradientBoostingClassifier through the tree IR: the raw
/// score is the init estimator's raw prediction plus learning_rate times the sum of the
/// trees (`estimators_[i, k]`, regression trees, one per iteration and class); the loss
/// gives the transform (log_loss: sigmoid or softmax; exponential: sigmoid of 2x).
struct SklearnGradientBoosting: SklearnTreeModelFamily {
    static let regressor = "sklearn.ensemble._gb.GradientBoostingRegressor"
    static let classifier = "sklearn.ensemble._gb.GradientBoostingClassifier"
    var classNames: [String] { [Self.regressor, Self.classifier] }

    static func model(_ node: PyNode) throws -> TreeEnsembleModel {
        let isClassifier = node.className == classifier
        let featureCount = try node.attribute("n_features_in_").int()
        let lr = try node.attribute("learning_rate").double()
        let loss = try node.attribute("loss").string()
        let estimators = try node.attribute("estimators_")
        let grid = try estimators.array(rank: 2)
        let iterations = grid.shape[0], perIteration = grid.shape[1]
        var labels: TreeEnsembleModel.ClassLabels = .integers([])
        if isClassifier { labels = try SklearnTreeConverter.labels(try node.attribute("classes_")) }
        let columns = isClassifier && labels.count > 2 ? labels.count : 1
        guard perIteration == columns else { throw SklearnError.invalid(path: estimators.path, reason: "\(perIteration) trees per iteration for \(columns) outputs") }

        var trees: [Tree] = []
        for i in 0..<iterations {
            for k in 0..<perIteration {
                let est = try estimators.item(i * perIteration + k)
                var t = try SklearnTreeConverter.tree(try est.attribute("tree_"), classifier: false, width: 1)
                t.nodes = t.nodes.map { if case .leaf(let v) = $0 { return .leaf(v.map { $0 * lr }) } else { return $0 } }
                t.target = k
                trees.append(t)
            }
        }

        // The init estimator's raw prediction, in the loss's link space.
        var base = [Double](repeating: 0, count: columns)
        let initNode = try node.attribute("init_")
        if case .string("zero") = initNode.value {
        } else if let constant = initNode.optionalAttribute("constant_") {
            let c = try constant.doubles()
            guard c.count == 1 else { throw SklearnError.invalid(path: constant.path, reason: "\(c.count) init constants") }
            base = [c[0]]
        } else if let prior = initNode.optionalAttribute("class_prior_") {
            let p = try prior.doubles()
            if columns == 1 {
                guard p.count == 2, p[1] > 0, p[1] < 1 else { throw SklearnError.invalid(path: prior.path, reason: "binary priors \(p)") }
                let logit = Foundation.log(p[1] / (1 - p[1]))
                base = [loss == "exponential" ? logit / 2 : logit]
            } else {
                base = p.map { Foundation.log(max($0, .leastNormalMagnitude)) }
            }
        } else {
            throw SklearnError.invalid(path: initNode.path, reason: "init estimator \(initNode.className ?? initNode.value.kindName) is not converted (DummyRegressor, DummyClassifier(prior) or 'zero' are)")
        }

        let task: TreeEnsembleModel.Task
        var transform: TreeEnsembleModel.Transform = .identity
        var binary = false
        if isClassifier {
            task = .classification(labels: labels)
            switch (loss, columns) {
            case ("log_loss", 1), ("deviance", 1): transform = .logistic(scale: 1); binary = true
            case ("exponential", 1): transform = .logistic(scale: 2); binary = true
            case ("log_loss", _), ("deviance", _): transform = .softmax
            default: throw SklearnError.invalid(path: node.path + ".loss", reason: "loss '\(loss)' is not converted for \(columns) classes")
            }
        } else {
            guard ["squared_error", "absolute_error", "huber", "quantile", "ls", "lad"].contains(loss) else {
                throw SklearnError.invalid(path: node.path + ".loss", reason: "loss '\(loss)' is not converted")
            }
            task = .regression(targets: 1)
        }
        return TreeEnsembleModel(trees: trees, featureCount: featureCount, task: task, baseScores: base, aggregation: .sum,
                                 transform: transform, binaryFromSingleMargin: binary)
    }
}
