/// An XGBoost tree booster as its files describe it, in XGBoost's own terms and number
/// types (float32 thresholds and leaves), before it becomes the shared tree IR
/// (`XGBoostTreeModelBuilder`). Each reader fills what its format carries: a text or JSON
/// dump only the trees, a saved model (JSON/UBJSON) everything.
public struct XGBoostBooster: Sendable, Equatable {
    /// The trees in the order XGBoost adds them.
    public var trees: [XGBoostTree]
    /// The output group (class, or target) of each tree (`tree_info`); nil when the
    /// format does not say (dumps), and the groups then follow from the tree order.
    public var treeGroups: [Int]?
    /// The objective's name, e.g. `binary:logistic`.
    public var objective: String?
    /// Objective parameters that change predictions (e.g. `quantile_alpha`), as written.
    public var objectiveParameters: [String: String]
    /// `base_score` exactly as XGBoost stores it (one value, or one per output for the
    /// vector form of XGBoost 3), in the objective's own space (see `XGBoostObjective`).
    public var baseScore: [Float]?
    /// `num_class` (0 or 1 for non-multiclass objectives).
    public var numClass: Int?
    /// `num_feature`.
    public var numFeature: Int?
    /// `num_target` (several for multi-output regression).
    public var numTarget: Int?
    /// Trees per output group and iteration (random forests: `num_parallel_tree`).
    public var numParallelTree: Int?
    /// `gbtree_model_param.num_trees` of a configuration: how many trees the model has
    /// (checked against a dump converted with that configuration).
    public var numTrees: Int?
    /// Feature names, when the model was trained with them.
    public var featureNames: [String]?
    /// Feature types (`q`, `c`, `int`, `i`, `float`), when recorded.
    public var featureTypes: [String]?
    /// Per-tree weights of a DART booster (`weight_drop`); nil for gbtree.
    public var treeWeights: [Float]?
    /// The XGBoost version that wrote the file, when recorded.
    public var version: [Int]?

    /// A booster; every property but `trees` may be filled in later.
    public init(trees: [XGBoostTree], treeGroups: [Int]? = nil, objective: String? = nil, objectiveParameters: [String: String] = [:],
                baseScore: [Float]? = nil, numClass: Int? = nil, numFeature: Int? = nil, numTarget: Int? = nil,
                numParallelTree: Int? = nil, featureNames: [String]? = nil, featureTypes: [String]? = nil,
                treeWeights: [Float]? = nil, version: [Int]? = nil) {
        self.trees = trees
        self.treeGroups = treeGroups
        self.objective = objective
        self.objectiveParameters = objectiveParameters
        self.baseScore = baseScore
        self.numClass = numClass
        self.numFeature = numFeature
        self.numTarget = numTarget
        self.numParallelTree = numParallelTree
        self.featureNames = featureNames
        self.featureTypes = featureTypes
        self.treeWeights = treeWeights
        self.version = version
    }
}

/// One XGBoost tree: nodes by id, node 0 the root. Ids not used by the tree (XGBoost
/// keeps deleted nodes) hold `nil`.
public struct XGBoostTree: Sendable, Equatable {
    /// Nodes indexed by their XGBoost node id.
    public var nodes: [XGBoostNode?]
    /// A tree.
    public init(nodes: [XGBoostNode?]) { self.nodes = nodes }

    /// The most node slots (highest node id + 1, summed over the trees) a dump of
    /// `dumpBytes` bytes may ask for: one per byte, and at least 65,536. A dump's node ids
    /// index the trees' node arrays, with gaps where pruning deleted nodes; a real dump has
    /// far fewer gaps than bytes, and an id the file did not earn would otherwise be an
    /// allocation of that size (found by fuzzing).
    static func nodeSlotBudget(dumpBytes: Int) -> Int { max(1 << 16, dumpBytes) }
}

/// A node of an XGBoost tree.
public enum XGBoostNode: Sendable, Equatable {
    /// A numeric split: `x < threshold` (in float32) goes `yes` (XGBoost's left child),
    /// otherwise `no`; a missing value goes `missing`.
    case numeric(feature: Int, threshold: Float, yes: Int, no: Int, missing: Int)
    /// A categorical split: a category in `categories` goes `inSet` (XGBoost's right
    /// child), any other value (and invalid codes: negative, too large) goes `notInSet`;
    /// a missing value goes `missing`.
    case categorical(feature: Int, categories: [Int], inSet: Int, notInSet: Int, missing: Int)
    /// A leaf: one value, or one per target for multi-output trees.
    case leaf([Float])
}
