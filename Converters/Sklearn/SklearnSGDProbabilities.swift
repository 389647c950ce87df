import ONNX
import PythonObjects

/// SGDClassifier's predict_proba, for the two losses that have one, from the decision
/// scores [N] (binary) or [N, K]:
/// - `log_loss`: the logistic of each score; binary [1 - p, p]; several classes (one
///   vs rest) normalised by the row's sum.
/// - `modified_huber`: (clip(score, -1, 1) + 1) / 2; binary [1 - p, p]; several classes
///   normalised by the row's sum, and uniform (1 / K) where that sum is 0, as
///   scikit-learn does.
/// The label stays the decision function's, as predict's is.
enum SklearnSGDProbabilities {
    static let className = "sklearn.linear_model._stochastic_gradient.SGDClassifier"

    /// The loss, when it has predict_proba.
    static func loss(_ node: PyNode) -> String? {
        guard node.className == className, case .string(let l)? = node.optionalAttribute("loss")?.value,
              l == "log_loss" || l == "modified_huber" else { return nil }
        return l
    }

    /// Probabilities [N, classes] from `scores` ([N] when binary, else [N, classes]).
    static func probabilities(loss: String, scores: GraphBuilder.Value, classes: Int, to b: GraphBuilder, dtype: DataType) throws -> GraphBuilder.Value {
        func positive(_ s: GraphBuilder.Value) throws -> GraphBuilder.Value {
            if loss == "log_loss" { return try b.node("Sigmoid", [s], name: "sgd_sigmoid") }
            let clipped = try b.node("Clip", [s, try b.floats([-1], shape: [], dtype: dtype, name: "minus_one"), try b.floats([1], shape: [], dtype: dtype, name: "plus_one")],
                                     name: "sgd_clip")
            return try b.node("Div", [try b.node("Add", [clipped, try b.floats([1], shape: [], dtype: dtype, name: "one_shift")], name: "sgd_shift"),
                                      try b.floats([2], shape: [], dtype: dtype, name: "two")], name: "sgd_huber")
        }
        if classes == 2 {
            let p = try b.node("Unsqueeze", [try positive(scores), try b.initializer([Int64(1)], shape: [1], name: "sgd_axis")], name: "sgd_p1")
            let one = try b.floats([1], shape: [1, 1], dtype: dtype, name: "sgd_one")
            return try b.node("Concat", [try b.node("Sub", [one, p], name: "sgd_p0"), p], attributes: ["axis": .int(1)], name: "probabilities")
        }
        let p = try positive(scores)
        let sum = try b.node("ReduceSum", [p, try b.initializer([Int64(1)], shape: [1], name: "sgd_sum_axis")], attributes: ["keepdims": .int(1)], name: "sgd_sum")
        if loss == "log_loss" { return try b.node("Div", [p, sum], name: "probabilities") }
        // Rows whose clipped scores are all -1 sum to 0: uniform.
        let zero = try b.node("Equal", [sum, try b.floats([0], shape: [], dtype: dtype, name: "sgd_zero")], name: "sgd_all_zero")
        let uniform = try b.floats([1 / Double(classes)], shape: [], dtype: dtype, name: "sgd_uniform")
        let safe = try b.node("Where", [zero, try b.floats([1], shape: [], dtype: dtype, name: "sgd_one_sum"), sum], name: "sgd_safe_sum")
        return try b.node("Where", [zero, uniform, try b.node("Div", [p, safe], name: "sgd_normalised")], name: "probabilities")
    }
}
