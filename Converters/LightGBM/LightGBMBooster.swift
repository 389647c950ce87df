/// A LightGBM booster as `model.txt` or `dump_model()` describes it, in LightGBM's own
/// terms (float64 thresholds, `<=`, per-split missing types), before it becomes the
/// shared tree IR (`LightGBMTreeModelBuilder`).
public struct LightGBMBooster: Sendable, Equatable {
    /// The `objective=` line without its key, e.g. `binary sigmoid:1`.
    public var objective: String
    /// `num_class`.
    public var numClass: Int
    /// Trees per boosting iteration (classes for multiclass models).
    public var numTreePerIteration: Int
    /// The highest feature index; the model reads `maxFeatureIndex + 1` features.
    public var maxFeatureIndex: Int
    /// Whether predictions average the trees (`boosting=rf`).
    public var averageOutput: Bool
    /// Feature names, when recorded.
    public var featureNames: [String]?
    /// The trees in order.
    public var trees: [LightGBMTree]

    /// A booster.
    public init(objective: String, numClass: Int, numTreePerIteration: Int, maxFeatureIndex: Int, averageOutput: Bool,
                featureNames: [String]?, trees: [LightGBMTree]) {
        self.objective = objective
        self.numClass = numClass
        self.numTreePerIteration = numTreePerIteration
        self.maxFeatureIndex = maxFeatureIndex
        self.averageOutput = averageOutput
        self.featureNames = featureNames
        self.trees = trees
    }
}

/// One LightGBM tree: `nodes[0 ..< splits]` are its splits (LightGBM's node order),
/// `nodes[splits...]` its leaves (leaf k at `splits + k`); a tree of one leaf has no
/// splits.
public struct LightGBMTree: Sendable, Equatable {
    /// Splits, then leaves.
    public var nodes: [LightGBMNode]
    /// A tree.
    public init(nodes: [LightGBMNode]) { self.nodes = nodes }
}

/// LightGBM's missing-value handling of a numeric split (decision_type bits 2-3).
public enum LightGBMMissingType: Int, Sendable, Equatable {
    /// NaN is read as 0.
    case none = 0
    /// Zero (|x| <= 1e-35) and NaN take the default direction.
    case zero = 1
    /// NaN takes the default direction.
    case nan = 2
}

/// A node of a LightGBM tree; children index `LightGBMTree.nodes`.
public enum LightGBMNode: Sendable, Equatable {
    /// `x <= threshold` goes left; missing values as `missingType` says, to the left
    /// when `defaultLeft`.
    case numeric(feature: Int, threshold: Double, missingType: LightGBMMissingType, defaultLeft: Bool, left: Int, right: Int)
    /// The value truncated toward zero goes left when it is one of `categories`;
    /// negative values, NaN and other codes go right.
    case categorical(feature: Int, categories: [Int], left: Int, right: Int)
    /// A leaf's value.
    case leaf(Double)
}
