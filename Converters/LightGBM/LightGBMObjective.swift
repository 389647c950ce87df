import Foundation
import TreeEnsembles

/// What a LightGBM objective means for `Booster.predict`: the transform of the raw
/// score and the kind of output (measured on lightgbm's own predictions in
/// Fixtures/lightgbm/README.md). LightGBM has no separate base score: the initial
/// score is folded into the first trees' leaves.
public struct LightGBMObjective: Sendable, Equatable {
    /// What predict gives.
    public enum Output: Sendable, Equatable { case regression, binary, multiclass, scores }

    /// The objective's name (the first word of the `objective=` line).
    public var name: String
    /// The transform of the raw score.
    public var transform: TreeEnsembleModel.Transform
    /// The kind of output.
    public var output: Output

    /// The names this converter knows.
    public static let knownNames = ["binary", "cross_entropy", "cross_entropy_lambda", "fair", "gamma", "huber", "lambdarank",
                                    "mape", "multiclass", "multiclassova", "poisson", "quantile", "rank_xendcg", "regression",
                                    "regression_l1", "tweedie"]

    /// The objective of an `objective=` line such as `binary sigmoid:0.7` or
    /// `multiclassova num_class:3 sigmoid:1`.
    /// - Throws: `LightGBMError.unsupportedObjective` for unknown names.
    public static func parse(_ line: String) throws -> LightGBMObjective {
        let words = line.split(separator: " ").map(String.init)
        guard let name = words.first else { throw LightGBMError.unsupportedObjective(name: line, reason: "empty objective") }
        var params: [String: String] = [:]
        var flags = Set<String>()
        for w in words.dropFirst() {
            if let c = w.firstIndex(of: ":") { params[String(w[..<c])] = String(w[w.index(after: c)...]) } else { flags.insert(w) }
        }
        func sigmoid() throws -> Double {
            guard let text = params["sigmoid"] else { return 1 }
            guard let s = Double(text), s.isFinite, s > 0 else {
                throw LightGBMError.unsupportedObjective(name: line, reason: "sigmoid:\(text) is not a positive number")
            }
            return s
        }
        switch name {
        case "regression", "regression_l2", "l2", "mean_squared_error", "mse", "regression_l1", "l1", "mean_absolute_error", "mae",
             "huber", "fair", "quantile", "mape", "mean_absolute_percentage_error":
            return LightGBMObjective(name: name, transform: flags.contains("sqrt") ? .signedSquare : .identity, output: .regression)
        case "poisson", "gamma", "tweedie":
            return LightGBMObjective(name: name, transform: .exp, output: .regression)
        case "binary":
            return LightGBMObjective(name: name, transform: .logistic(scale: try sigmoid()), output: .binary)
        case "cross_entropy", "xentropy":
            return LightGBMObjective(name: name, transform: .logistic(scale: 1), output: .regression)
        case "cross_entropy_lambda", "xentlambda":
            return LightGBMObjective(name: name, transform: .softplus, output: .regression)
        case "multiclass", "softmax":
            return LightGBMObjective(name: name, transform: .softmax, output: .multiclass)
        case "multiclassova", "multiclass_ova", "ova", "ovr":
            return LightGBMObjective(name: name, transform: .perClassLogistic(scale: try sigmoid()), output: .multiclass)
        case "lambdarank", "rank_xendcg", "xendcg", "xe_ndcg", "xe_ndcg_mart", "xendcg_mart":
            return LightGBMObjective(name: name, transform: .identity, output: .scores)
        default:
            throw LightGBMError.unsupportedObjective(name: name, reason: "not supported (known: \(knownNames.joined(separator: ", ")))")
        }
    }
}
