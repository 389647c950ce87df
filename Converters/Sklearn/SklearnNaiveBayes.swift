import Foundation
import ONNX
import PythonObjects

/// GaussianNB: the joint log likelihood per class, `log prior - ½ Σ log(2π var) - ½ Σ
/// (x - θ)² / var`, and predict_proba as its softmax (scikit-learn normalises with
/// logsumexp, which is the same thing).
struct SklearnNaiveBayes: SklearnGraphLowering {
    var classNames: [String] { ["sklearn.naive_bayes.GaussianNB"] }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
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
