/// The one tree-ensemble IR every tree frontend (XGBoost, LightGBM, scikit-learn)
/// produces. Frontends fill it in their source's own number types; the native
/// evaluator (`TreeEnsembleEvaluator`) and the ONNX lowering (`TreeEnsembleLowering`)
/// read it. Nothing here knows about any source format.
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
        case integers([Int64])
        case strings([String])
        public var count: Int {
            switch self {
            case .integers(let a): return a.count
            case .strings(let a): return a.count
            }
        }
    }

    /// The function applied to the aggregated margin(s).
    public enum Transform: Sendable, Equatable {
        case identity
        /// 1 / (1 + exp(-scale * x)); LightGBM's `sigmoid:` parameter is the scale.
        case logistic(scale: Double)
        case softmax
        case exp
        /// Per-class logistic (LightGBM multiclassova).
        case perClassLogistic(scale: Double)
    }

    /// How tree outputs combine.
    public enum Aggregation: Sendable, Equatable { case sum, average }

    public var trees: [Tree]
    public var featureCount: Int
    public var featureNames: [String]?
    public var task: Task
    /// Added to the aggregated margin of each target (one per target or class column),
    /// in margin space.
    public var baseScores: [Double]
    public var aggregation: Aggregation
    public var transform: Transform
    /// For binary classifiers whose trees give one margin: the probabilities column 1
    /// is the transformed margin and column 0 its complement.
    public var binaryFromSingleMargin: Bool

    public init(trees: [Tree], featureCount: Int, task: Task, baseScores: [Double], aggregation: Aggregation = .sum,
                transform: Transform = .identity, binaryFromSingleMargin: Bool = false, featureNames: [String]? = nil) {
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

/// One tree: nodes indexed from 0 (the root).
public struct Tree: Sendable, Equatable {
    public var nodes: [TreeNode]
    /// Which output column (target or class) this tree adds to.
    public var target: Int
    public init(nodes: [TreeNode], target: Int = 0) {
        self.nodes = nodes
        self.target = target
    }
}

/// A split or a leaf.
public enum TreeNode: Sendable, Equatable {
    case split(Split)
    /// The leaf's value(s): one per target, or a vector for vector leaves.
    case leaf([Double])
}

/// A split: go to `yes` when the comparison holds, else to `no`; NaN goes to
/// `missingGoesToYes ? yes : no`.
public struct Split: Sendable, Equatable {
    /// The threshold, kept in the source's own number type.
    public enum Threshold: Sendable, Equatable {
        /// XGBoost: float32, compared with `<`.
        case float32(Float)
        /// LightGBM and scikit-learn: float64, compared with `<=`.
        case float64(Double)
    }
    public enum Comparison: Sendable, Equatable { case lessThan, lessOrEqual }

    public var feature: Int
    public var threshold: Threshold
    public var comparison: Comparison
    /// When set, the split is categorical: `yes` when the (truncated) value is in the set.
    public var categories: [Int]?
    public var yes: Int
    public var no: Int
    public var missingGoesToYes: Bool

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
