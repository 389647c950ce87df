import DocumentReaders
import TreeEnsembles

/// Why an XGBoost file could not be converted. Each case names the place (line, JSON
/// path, tree and node) and what to do.
public enum XGBoostError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A text dump line that does not parse (1-based line, what is wrong).
    case textDump(line: Int, reason: String)
    /// A JSON/UBJSON document without the expected shape, or not parseable.
    case document(DocumentError)
    /// A tree or node that is inconsistent (tree index, node id, what is wrong).
    case invalidTree(tree: Int, node: Int?, reason: String)
    /// The file has no trees.
    case noTrees
    /// A dump carries no objective and none was given.
    case objectiveNeeded(hint: String)
    /// An objective this converter does not know (never converted silently).
    case unknownObjective(name: String, known: [String])
    /// The booster type is not a tree booster (gblinear), or not known.
    case unsupportedBooster(name: String)
    /// A named feature in a dump that the feature names do not list.
    case unknownFeatureName(name: String, line: Int)
    /// A dump uses feature names but none were given.
    case featureNamesNeeded(name: String, line: Int)
    /// An option or parameter value that cannot be used (which, why).
    case invalidParameter(name: String, reason: String)
    /// The booster and its objective disagree (e.g. multi:softprob without num_class).
    case inconsistent(reason: String)
    /// A split kind the format cannot describe exactly (e.g. an indicator split in a dump).
    case unsupportedSplit(line: Int, reason: String)
    /// The tree IR rejected what the reader built.
    case treeModel(TreeEnsembleError)

    /// One line a user can act on.
    public var description: String {
        switch self {
        case .textDump(let l, let r): return "line \(l): \(r)"
        case .document(let e): return e.description
        case .invalidTree(let t, let n, let r): return "tree \(t)" + (n.map { ", node \($0)" } ?? "") + ": \(r)"
        case .noTrees: return "the file holds no trees"
        case .objectiveNeeded(let h): return "a dump does not record its objective; \(h)"
        case .unknownObjective(let n, let k): return "objective '\(n)' is not supported (known: \(k.joined(separator: ", ")))"
        case .unsupportedBooster(let n): return "booster '\(n)' is not a tree booster this converter reads (gbtree and dart are)"
        case .unknownFeatureName(let n, let l): return "line \(l): feature '\(n)' is not among the feature names given"
        case .featureNamesNeeded(let n, let l): return "line \(l): the dump names feature '\(n)'; pass --feature-names a,b,... or --fmap FILE so it maps to a column"
        case .invalidParameter(let n, let r): return "\(n): \(r)"
        case .inconsistent(let r): return r
        case .unsupportedSplit(let l, let r): return "line \(l): \(r)"
        case .treeModel(let e): return e.description
        }
    }
}
