import Foundation

/// The one tree-ensemble IR every tree frontend (XGBoost, LightGBM, scikit-learn)
/// produces. Frontends fill it in their source's own number types; the native
/// evaluator (`TreeEnsembleEvaluator`) and the ONNX lowering (`TreeEnsembleLowering`)
/// read it. Nothing here knows about any source format.
///
/// The model computes `marginCount` margin columns per row (see `marginCount`): every
/// tree adds the leaf it reaches, a scalar leaf to its tree's `target` column, a vector
/// leaf (one value per column) to every column; `.average` divides each column by the
/// number of trees that add to it; then `baseScores` are added and `transform` applied.
/// docs/tree-ir.md describes the semantics in full. `validate()` checks a model.
public struct TreeEnsembleModel: Sendable, Equatable {
    /// What the ensemble predicts, which decides the graph's outputs.
    public enum Task: Sendable, Equatable {
        /// `predictions` [N] (or [N, T] for several targets).
        case regression(targets: Int)
        /// `label` [N] and `probabilities` [N, C].
        case classification(labels: ClassLabels)
        /// Raw margins or ranking scores: `scores` [N] or [N, T].
        case scores(targets: Int)
    }

    /// Class labels of a classifier, in output column order.
    public enum ClassLabels: Sendable, Equatable {
        /// Integer class labels (label output int64).
        case integers([Int64])
        /// String class labels (label output string).
        case strings([String])
        /// The number of classes.
        public var count: Int {
            switch self {
            case .integers(let a): return a.count
            case .strings(let a): return a.count
            }
        }
    }

    /// The function applied to the aggregated margin(s).
    public enum Transform: Sendable, Equatable {
        /// The margins themselves.
        case identity
        /// 1 / (1 + exp(-scale * x)), per column; LightGBM's `sigmoid:` parameter is the scale.
        case logistic(scale: Double)
        /// exp(x_j) / sum_k exp(x_k) over the columns of a row.
        case softmax
        /// exp(x), per column (Poisson, gamma, Tweedie, Cox).
        case exp
        /// Per-class logistic (LightGBM multiclassova).
        case perClassLogistic(scale: Double)
        /// 1 when x > 0, else 0, per column (XGBoost binary:hinge).
        case step
        /// log(1 + exp(x)), per column (LightGBM cross_entropy_lambda).
        case softplus
        /// sign(x) * x^2, per column (LightGBM regression with reg_sqrt).
        case signedSquare
    }

    /// How categorical splits read values between -1 and 0 (exclusive).
    public enum NegativeCategoryRule: Sendable, Equatable {
        /// Truncate toward zero first, so -0.5 is category 0 (LightGBM's int cast).
        case truncateTowardZero
        /// Every value below zero is no category and goes `no` (XGBoost); -0.0 is 0.
        case noCategory
    }

    /// A rewrite of one input column before the trees read it: how a source's
    /// missing-value convention is made exact with ONNX tree ops, which only send NaN
    /// a missing direction.
    public enum InputRewrite: Sendable, Equatable {
        /// Values with |x| <= `threshold` are read as 0 (LightGBM drops them from dense
        /// rows), and with `nan` NaN is read as 0 too (LightGBM's missing type None).
        case toZero(threshold: Double, nan: Bool)
        /// Values with |x| <= `threshold` are missing: they become NaN and follow each
        /// split's missing direction, as NaN does (LightGBM's missing type Zero).
        case zeroToMissing(threshold: Double)
        /// Values that are not whole numbers become NaN and follow each split's missing
        /// direction (scikit-learn's HistGradientBoosting reads a categorical value it did
        /// not see in fit, 2.5 for one, as missing, where truncation would read 2).
        case nonIntegerToMissing
    }

    /// How tree outputs combine.
    public enum Aggregation: Sendable, Equatable {
        /// Leaf values are added (boosting).
        case sum
        /// Each column's sum is divided by the number of trees adding to that column
        /// (random forests).
        case average
    }

    /// The trees, in the order their outputs are added.
    public var trees: [Tree] { didSet { structureMemo = StructureMemo() } }
    /// How many features (input columns) a row has; splits read features below it.
    public var featureCount: Int { didSet { structureMemo = StructureMemo() } }
    /// Names of the features, when the source has them (documentation only).
    public var featureNames: [String]? { didSet { structureMemo = StructureMemo() } }
    /// What the model predicts.
    public var task: Task { didSet { structureMemo = StructureMemo() } }
    /// Added to the aggregated margin of each target (one per target or class column),
    /// in margin space, after averaging. Empty means all zero.
    public var baseScores: [Double] { didSet { structureMemo = StructureMemo() } }
    /// Whether tree outputs are summed or averaged.
    public var aggregation: Aggregation { didSet { structureMemo = StructureMemo() } }
    /// Applied to the margins (after the base scores) to give predictions, scores or
    /// probabilities.
    public var transform: Transform { didSet { structureMemo = StructureMemo() } }
    /// For binary classifiers whose trees give one margin: the probabilities column 1
    /// is the transformed margin and column 0 its complement.
    public var binaryFromSingleMargin: Bool { didSet { structureMemo = StructureMemo() } }
    /// How categorical splits read values in (-1, 0); other values are the same under
    /// both rules.
    public var negativeCategoryRule: NegativeCategoryRule { didSet { structureMemo = StructureMemo() } }
    /// Column rewrites applied to every row before the trees, by feature (empty: none).
    public var inputRewrites: [Int: InputRewrite] = [:] { didSet { structureMemo = StructureMemo() } }

    /// The checked tree structures of this value, computed once and shared by its
    /// copies until one of them changes (every property above starts a fresh memo):
    /// the lowering, the probe rows and the evaluator all need them.
    var structureMemo = StructureMemo()

    /// A model; see the properties for the meaning of each argument.
    public init(trees: [Tree], featureCount: Int, task: Task, baseScores: [Double], aggregation: Aggregation = .sum,
                transform: Transform = .identity, binaryFromSingleMargin: Bool = false, featureNames: [String]? = nil,
                negativeCategoryRule: NegativeCategoryRule = .truncateTowardZero) {
        self.negativeCategoryRule = negativeCategoryRule
        self.trees = trees
        self.featureCount = featureCount
        self.task = task
        self.baseScores = baseScores
        self.aggregation = aggregation
        self.transform = transform
        self.binaryFromSingleMargin = binaryFromSingleMargin
        self.featureNames = featureNames
    }
}

/// One tree: nodes indexed from 0 (the root). Nodes not reachable from the root are
/// ignored (XGBoost keeps deleted nodes in place).
public struct Tree: Sendable, Equatable {
    /// The nodes; `nodes[0]` is the root.
    public var nodes: [TreeNode]
    /// Which output column (target or class) this tree's scalar leaves add to.
    public var target: Int
    /// A tree adding to column `target`.
    public init(nodes: [TreeNode], target: Int = 0) {
        self.nodes = nodes
        self.target = target
    }
}

/// A split or a leaf.
public enum TreeNode: Sendable, Equatable {
    /// An interior node.
    case split(Split)
    /// The leaf's value(s): one value (added to the tree's target column), or one per
    /// margin column (a vector leaf). All leaves of a tree have the same width.
    case leaf([Double])
}

/// A split: go to `yes` when the comparison holds, else to `no`; NaN goes to
/// `missingGoesToYes ? yes : no`.
///
/// Numeric splits compare `x < t` or `x <= t` in the threshold's own type: a float32
/// threshold against the feature rounded to float32, a float64 threshold against the
/// feature as float64. Categorical splits (`categories` set) ignore `threshold` and
/// `comparison`: the feature is truncated toward zero (2.9 → 2, -0.5 → 0) and the split
/// goes `yes` when the result is in the set; values that truncate to a negative number,
/// or to 2^31 or more, go `no` (and with `NegativeCategoryRule.noCategory`, every value
/// below zero); NaN follows `missingGoesToYes` (LightGBM sends NaN `no`: its frontend
/// sets `missingGoesToYes` false).
public struct Split: Sendable, Equatable {
    /// The threshold, kept in the source's own number type.
    public enum Threshold: Sendable, Equatable {
        /// XGBoost: float32, compared with `<`.
        case float32(Float)
        /// LightGBM and scikit-learn: float64, compared with `<=`.
        case float64(Double)
    }
    /// The comparison that sends a row `yes`.
    public enum Comparison: Sendable, Equatable {
        /// `x < threshold`.
        case lessThan
        /// `x <= threshold`.
        case lessOrEqual
    }

    /// The feature (input column) the split reads.
    public var feature: Int
    /// The threshold of a numeric split (ignored by categorical splits).
    public var threshold: Threshold
    /// The comparison of a numeric split (ignored by categorical splits).
    public var comparison: Comparison
    /// When set, the split is categorical: `yes` when the (truncated) value is in the set.
    public var categories: [Int]?
    /// The node a row goes to when the split holds.
    public var yes: Int
    /// The node a row goes to otherwise.
    public var no: Int
    /// Where NaN goes.
    public var missingGoesToYes: Bool

    /// A split; `categories` makes it categorical.
    public init(feature: Int, threshold: Threshold, comparison: Comparison, yes: Int, no: Int,
                missingGoesToYes: Bool, categories: [Int]? = nil) {
        self.feature = feature
        self.threshold = threshold
        self.comparison = comparison
        self.yes = yes
        self.no = no
        self.missingGoesToYes = missingGoesToYes
        self.categories = categories
    }
}

/// validatedStructures' result for one model value. Never part of the model's equality.
final class StructureMemo: @unchecked Sendable, Equatable {
    private let lock = NSLock()
    private var stored: [TreeStructure]?

    var value: [TreeStructure]? {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }

    static func == (a: StructureMemo, b: StructureMemo) -> Bool { true }
}
