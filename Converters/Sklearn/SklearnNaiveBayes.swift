import Foundation
import ONNX
import PythonObjects

/// GaussianNB: the joint log likelihood per class, `log prior - ½ Σ log(2π var) - ½ Σ
/// (x - θ)² / var`, and predict_proba as its softmax (scikit-learn normalises with
/// logsumexp, which is the same thing). CategoricalNB: each column's integer code picks
/// a row of that feature's `feature_log_prob_`; the picks are summed with the class log
/// prior.
struct SklearnNaiveBayes: SklearnGraphLowering {
    static let gaussian = "sklearn.naive_bayes.GaussianNB"
    static let categorical = "sklearn.naive_bayes.CategoricalNB"
    var classNames: [String] { [Self.gaussian, Self.categorical] }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        if node.className == Self.categorical { return try categorical(node, to: b, input: x, width: width, dtype: dtype) }
        let thetaNode = try node.attribute("theta_")
        let theta = try thetaNode.doubles(rank: 2)
        let variance = try node.attribute("var_").doubles(rank: 2)
        let prior = try node.attribute("class_prior_").doubles(rank: 1)
        let classes = prior.count
        guard theta.count == classes * width, variance.count == classes * width else {
            throw SklearnError.invalid(path: thetaNode.path, reason: "theta_/var_ are not [\(classes), \(width)]")
        }
        let labels = try SklearnClassTable(try node.attribute("classes_"))
        // Constant part per class, in float64 before it becomes a constant.
        var constant = [Double](repeating: 0, count: classes)
        for c in 0..<classes {
            var s = 0.0
            for f in 0..<width { s += Foundation.log(2 * Double.pi * variance[c * width + f]) }
            constant[c] = Foundation.log(prior[c]) - 0.5 * s
        }
        let c64 = Int64(classes), w64 = Int64(width)
        // [N, 1, F] - [C, F] -> [N, C, F]
        let x3 = try b.node("Unsqueeze", [x, try b.initializer([Int64(1)], shape: [1], name: "axis1")], name: "rows")
        let diff = try b.node("Sub", [x3, try b.floats(theta, shape: [c64, w64], dtype: dtype, name: "theta")], name: "deviation")
        let sq = try b.node("Div", [try b.node("Mul", [diff, diff], name: "squared"), try b.floats(variance, shape: [c64, w64], dtype: dtype, name: "variance")], name: "scaled")
        let sum = try b.node("ReduceSum", [sq, try b.initializer([Int64(2)], shape: [1], name: "axis2")], attributes: ["keepdims": .int(0)], name: "distance")
        let jll = try b.node("Sub", [try b.floats(constant, shape: [c64], dtype: dtype, name: "log_prior_norm"),
                                     try b.node("Mul", [sum, try b.floats([0.5], shape: [], dtype: dtype, name: "half")], name: "half_distance")], name: "joint_log_likelihood")
        let probs = try b.node("Softmax", [jll], attributes: ["axis": .int(1)], name: "probabilities")
        let index = try b.node("ArgMax", [jll], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
        let label = try b.node("Gather", [try labels.table(b), index], attributes: ["axis": .int(0)], name: "label")
        return .classifier(label: label, probabilities: probs, classes: classes)
    }
}

extension SklearnNaiveBayes {
    /// CategoricalNB. scikit-learn casts the input to int (truncating toward zero), refuses
    /// negative codes and fails with an IndexError on a code at or past the feature's
    /// `n_categories_` (min_categories is already in the table's width). Here Cast
    /// truncates the same way, and a negative or too large code becomes an index past the
    /// table, so that Gather fails at run time instead of answering for a category the
    /// model never had.
    func categorical(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let tablesNode = try node.attribute("feature_log_prob_")
        let tables = try tablesNode.items()
        let prior = try node.attribute("class_log_prior_").doubles(rank: 1)
        let classes = prior.count
        guard tables.count == width else { throw SklearnError.invalid(path: tablesNode.path, reason: "\(tables.count) tables for \(width) features") }
        let labels = try SklearnClassTable(try node.attribute("classes_"))
        guard labels.count == classes else { throw SklearnError.invalid(path: node.path + ".classes_", reason: "\(labels.count) classes, \(classes) priors") }
        var total: GraphBuilder.Value? = nil
        for (f, t) in tables.enumerated() {
            let a = try t.array(rank: 2)
            guard a.shape[0] == classes, a.shape[1] >= 1 else { throw SklearnError.invalid(path: t.path, reason: "shape \(a.shape), expected [\(classes), categories]") }
            let k = a.shape[1]
            let values = try t.doubles()
            // [K, C]: the row for category c holds every class's log probability.
            var transposed = [Double](repeating: 0, count: k * classes)
            for c in 0..<classes { for j in 0..<k { transposed[j * classes + c] = values[c * k + j] } }
            let column = try b.node("Gather", [x, try b.initializer([Int64(f)], shape: [], name: "feature\(f)")], attributes: ["axis": .int(1)], name: "column\(f)")
            let code = try b.node("Cast", [column], attributes: ["to": .dataType(.int64)], name: "code\(f)")
            let negative = try b.node("Less", [code, try b.initializer([Int64(0)], shape: [], name: "zero_code\(f)")], name: "negative_code\(f)")
            let checked = try b.node("Where", [negative, try b.initializer([Int64(k)], shape: [], name: "past_categories\(f)"), code], name: "checked_code\(f)")
            let picked = try b.node("Gather", [try b.floats(transposed, shape: [Int64(k), Int64(classes)], dtype: dtype, name: "log_probabilities\(f)"), checked],
                                    attributes: ["axis": .int(0)], name: "feature_log_likelihood\(f)")
            total = try total.map { try b.node("Add", [$0, picked], name: "log_likelihood_sum\(f)") } ?? picked
        }
        guard let sum = total else { throw SklearnError.invalid(path: tablesNode.path, reason: "no features") }
        let jll = try b.node("Add", [sum, try b.floats(prior, shape: [Int64(classes)], dtype: dtype, name: "class_log_prior")], name: "joint_log_likelihood")
        let probs = try b.node("Softmax", [jll], attributes: ["axis": .int(1)], name: "probabilities")
        let index = try b.node("ArgMax", [jll], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
        let label = try b.node("Gather", [try labels.table(b), index], attributes: ["axis": .int(0)], name: "label")
        return .classifier(label: label, probabilities: probs, classes: classes)
    }
}
