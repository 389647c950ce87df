/// What is wrong with a tree ensemble, a row given to its evaluator, or a lowering
/// request. Every case names the tree and node (indices into `TreeEnsembleModel.trees`
/// and `Tree.nodes`) or the field it is about, and `description` says what to fix.
public enum TreeEnsembleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `featureCount` is below 1, or above `Int32.max` (the evaluator's feature index).
    case invalidFeatureCount(Int)
    /// `featureNames` has `count` names for `featureCount` features.
    case featureNameCount(count: Int, featureCount: Int)
    /// The task itself is inconsistent (no targets, no classes, duplicate labels, ...).
    case invalidTask(reason: String)
    /// The transform does not fit the task or has a bad parameter.
    case invalidTransform(reason: String)
    /// `baseScores` has `count` values; the model has `expected` margin columns (an empty
    /// array means all zero).
    case baseScoreCount(count: Int, expected: Int)
    /// A base score is NaN or infinite.
    case invalidBaseScore(index: Int, value: Double)
    /// A tree has no nodes.
    case emptyTree(tree: Int)
    /// A tree adds to a column the model does not have.
    case targetOutOfRange(tree: Int, target: Int, columns: Int)
    /// A split's `yes` or `no` (`field`) points outside the tree's node list.
    case childOutOfRange(tree: Int, node: Int, field: String, child: Int, nodeCount: Int)
    /// Following the children from the root comes back to `node`, an ancestor of itself.
    case cycle(tree: Int, node: Int)
    /// `node` is reached from two parents; the IR holds trees, not graphs.
    case sharedNode(tree: Int, node: Int)
    /// A split reads a feature the model does not have.
    case featureOutOfRange(tree: Int, node: Int, feature: Int, featureCount: Int)
    /// A numeric split's threshold is NaN (it could never be met).
    case invalidThreshold(tree: Int, node: Int, threshold: Double)
    /// A categorical split lists a category outside 0 ..< 2^31.
    case invalidCategory(tree: Int, node: Int, category: Int)
    /// A leaf holds `width` values; the model takes 1 (for the tree's target column) or
    /// `columns` (one per column).
    case leafWidth(tree: Int, node: Int, width: Int, columns: Int)
    /// A tree mixes scalar and vector leaves.
    case mixedLeafWidths(tree: Int, node: Int)
    /// A leaf value is NaN or infinite.
    case invalidLeafValue(tree: Int, node: Int, value: Double)
    /// A row given to the evaluator has the wrong number of features.
    case rowWidth(row: Int, count: Int, featureCount: Int)
    /// The lowering cannot produce what was asked (`option` names the option).
    case unsupportedLowering(option: String, reason: String)

    /// One line saying what is wrong and where.
    public var description: String {
        switch self {
        case .invalidFeatureCount(let n):
            return n < 1 ? "the model must read at least one feature, not \(n) (featureCount)"
                : "the model says it reads \(n) features (featureCount), more than 2^31 - 1"
        case .featureNameCount(let c, let n):
            return "featureNames has \(c) names for \(n) features (featureNames)"
        case .invalidTask(let r):
            return "invalid task: \(r) (task)"
        case .invalidTransform(let r):
            return "invalid transform: \(r) (transform)"
        case .baseScoreCount(let c, let e):
            return "baseScores has \(c) values; the model has \(e) margin column\(e == 1 ? "" : "s") (give \(e), or none for zeros) (baseScores)"
        case .invalidBaseScore(let i, let v):
            return "base score \(i) is \(v); base scores must be finite (baseScores[\(i)])"
        case .emptyTree(let t):
            return "tree \(t) has no nodes (trees[\(t)])"
        case .targetOutOfRange(let t, let target, let cols):
            return "tree \(t) adds to column \(target), but the model has \(cols) column\(cols == 1 ? "" : "s") (trees[\(t)].target)"
        case .childOutOfRange(let t, let n, let f, let c, let count):
            return "split \(n) of tree \(t) sends `\(f)` to node \(c), but the tree has \(count) nodes (trees[\(t)].nodes[\(n)].\(f))"
        case .cycle(let t, let n):
            return "tree \(t) has a cycle: node \(n) is its own ancestor (trees[\(t)].nodes[\(n)])"
        case .sharedNode(let t, let n):
            return "node \(n) of tree \(t) has two parents; each node must have one (trees[\(t)].nodes[\(n)])"
        case .featureOutOfRange(let t, let n, let f, let count):
            return "split \(n) of tree \(t) reads feature \(f), but the model has \(count) features (trees[\(t)].nodes[\(n)].feature)"
        case .invalidThreshold(let t, let n, let v):
            return "split \(n) of tree \(t) has threshold \(v); numeric thresholds must not be NaN (trees[\(t)].nodes[\(n)].threshold)"
        case .invalidCategory(let t, let n, let c):
            return "split \(n) of tree \(t) lists category \(c); categories must be in 0..<2147483648 (trees[\(t)].nodes[\(n)].categories)"
        case .leafWidth(let t, let n, let w, let cols):
            let want = cols == 1 ? "1 value" : "1 value (for the tree's target) or \(cols) (one per column)"
            return "leaf \(n) of tree \(t) has \(w) values; leaves hold \(want) (trees[\(t)].nodes[\(n)])"
        case .mixedLeafWidths(let t, let n):
            return "tree \(t) mixes scalar and vector leaves (first different: leaf \(n)) (trees[\(t)].nodes[\(n)])"
        case .invalidLeafValue(let t, let n, let v):
            return "leaf \(n) of tree \(t) holds \(v); leaf values must be finite (trees[\(t)].nodes[\(n)])"
        case .rowWidth(let r, let c, let n):
            return "row \(r) has \(c) values; the model reads \(n) features (rows[\(r)])"
        case .unsupportedLowering(let o, let r):
            return "cannot lower the ensemble: \(r) (\(o))"
        }
    }
}
