import DocumentReaders
import TreeEnsembles

/// Why a LightGBM file could not be converted; each case names the place.
public enum LightGBMError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A model.txt line that does not parse (1-based line, what is wrong).
    case text(line: Int, reason: String)
    /// A dump_model JSON document without the expected shape.
    case document(DocumentError)
    /// A tree that is inconsistent (tree index, what is wrong).
    case invalidTree(tree: Int, reason: String)
    /// An objective this converter does not know, or cannot convert exactly.
    case unsupportedObjective(name: String, reason: String)
    /// Linear trees with leaf models (not lowered; refused rather than converted wrong).
    case linearTrees(tree: Int)
    /// An option value that cannot be used.
    case invalidParameter(name: String, reason: String)
    /// Splits on one feature use different missing types, which one input rewrite cannot express.
    case mixedMissingTypes(feature: Int)
    /// The tree IR rejected what the reader built.
    case treeModel(TreeEnsembleError)

    public var description: String {
        switch self {
        case .text(let l, let r): return "line \(l): \(r)"
        case .document(let e): return e.description
        case .invalidTree(let t, let r): return "tree \(t): \(r)"
        case .unsupportedObjective(let n, let r): return "objective '\(n)': \(r)"
        case .linearTrees(let t): return "tree \(t) is a linear tree (linear_tree=true: leaves hold linear models); converting it is not supported, and it is refused rather than converted without its leaf models"
        case .invalidParameter(let n, let r): return "\(n): \(r)"
        case .mixedMissingTypes(let f): return "feature \(f) is split with different missing types; LightGBM fixes one per feature, so the file is inconsistent"
        case .treeModel(let e): return e.description
        }
    }
}
