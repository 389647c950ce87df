import Foundation
import TreeEnsembles

/// What an XGBoost objective means for prediction: the space `base_score` is stored in,
/// the transform `Booster.predict` applies to the margin, and the kind of output.
///
/// The base-score spaces were measured on xgboost 3.2 (Fixtures/xgboost/README.md): the
/// margin of a booster without trees (`predict(output_margin=True)` minus the leaves)
/// equals `logit(base_score)` for binary:logistic and reg:logistic, `log(base_score)`
/// for count:poisson, reg:gamma, reg:tweedie and survival:cox, and `base_score` itself
/// for every other objective here, binary:logitraw included.
public struct XGBoostObjective: Sendable, Equatable {
    /// How a stored base_score becomes a margin.
    public enum BaseScoreSpace: Sendable, Equatable {
        /// The margin itself.
        case margin
        /// A probability: margin = log(p / (1 - p)).
        case probability
        /// A mean of a log-link model: margin = log(mean).
        case logMean
    }

    /// What `predict` gives.
    public enum Output: Sendable, Equatable {
        /// Regression predictions (one per target).
        case regression
        /// A binary classifier from one margin.
        case binary
        /// A classifier with one margin per class.
        case multiclass
        /// Margins or ranking scores.
        case scores
    }

    /// The objective's name.
    public var name: String
    /// The space base_score is stored in.
    public var baseScoreSpace: BaseScoreSpace
    /// The transform applied to the margin.
    public var transform: TreeEnsembleModel.Transform
    /// The kind of output.
    public var output: Output

    /// Every objective this converter knows, by name.
    public static let known: [String: XGBoostObjective] = {
        var table: [String: XGBoostObjective] = [:]
        func add(_ names: [String], _ space: BaseScoreSpace, _ t: TreeEnsembleModel.Transform, _ o: Output) {
            for n in names { table[n] = XGBoostObjective(name: n, baseScoreSpace: space, transform: t, output: o) }
        }
        add(["reg:squarederror", "reg:linear", "reg:squaredlogerror", "reg:pseudohubererror", "reg:absoluteerror", "reg:quantileerror"],
            .margin, .identity, .regression)
        add(["reg:logistic"], .probability, .logistic(scale: 1), .regression)
        add(["binary:logistic"], .probability, .logistic(scale: 1), .binary)
        add(["binary:logitraw"], .margin, .identity, .scores)
        add(["binary:hinge"], .margin, .step, .binary)
        add(["count:poisson", "reg:gamma", "reg:tweedie", "survival:cox"], .logMean, .exp, .regression)
        add(["multi:softmax", "multi:softprob"], .margin, .softmax, .multiclass)
        add(["rank:pairwise", "rank:ndcg", "rank:map"], .margin, .identity, .scores)
        return table
    }()

    /// The names of the known objectives, sorted, for error messages and `--help`.
    public static var knownNames: [String] { known.keys.sorted() }

    /// The objective called `name`.
    /// - Throws: `XGBoostError.unknownObjective` listing the known ones.
    public static func named(_ name: String) throws -> XGBoostObjective {
        guard let o = known[name] else { throw XGBoostError.unknownObjective(name: name, known: knownNames) }
        return o
    }

    /// The margin a stored base_score stands for, computed in float32 as XGBoost does
    /// (`-log(1/p - 1)`, `log(mean)`).
    /// - Throws: `XGBoostError.invalidParameter` when the value is outside the space
    ///   (a probability not in (0, 1), a mean not above 0).
    public func margin(ofBaseScore s: Float) throws -> Double {
        let v = Double(s)
        switch baseScoreSpace {
        case .margin:
            guard v.isFinite else { throw XGBoostError.invalidParameter(name: "base_score", reason: "\(s) is not finite") }
            return v
        case .probability:
            guard v > 0, v < 1 else { throw XGBoostError.invalidParameter(name: "base_score", reason: "\(name) stores base_score as a probability, which must be in (0, 1), not \(s)") }
            return Double(-Foundation.log(1 / s - 1))
        case .logMean:
            guard v > 0, v.isFinite else { throw XGBoostError.invalidParameter(name: "base_score", reason: "\(name) stores base_score as a mean, which must be above 0, not \(s)") }
            return Double(Foundation.log(s))
        }
    }
}
