/// Why a Python object file could not be read. Each case names the file place (byte
/// offset) or the object path. A file past a `ReaderLimits` bound throws
/// `ReaderLimitBreach` instead, which names the limit and how to raise it.
public enum PythonObjectsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pickle stream is malformed at `offset` (opcode, what is wrong).
    case pickle(offset: Int, reason: String)
    /// The pickle would call a callable whose effect is code, not data.
    case forbiddenCallable(name: String, offset: Int)
    /// A value has another type than a reader expected.
    case wrongType(path: String, expected: String, found: String)
    /// An array whose description and bytes disagree.
    case invalidArray(path: String, reason: String)
    /// A container format problem (joblib, skops, ...).
    case container(reason: String)

    public var description: String {
        switch self {
        case .pickle(let o, let r): return "invalid pickle at byte \(o): \(r)"
        case .forbiddenCallable(let n, let o): return "the pickle calls \(n) at byte \(o), which runs code; it is refused and nothing was executed"
        case .wrongType(let p, let e, let f): return "\(p): expected \(e), found \(f)"
        case .invalidArray(let p, let r): return "\(p): \(r)"
        case .container(let r): return r
        }
    }
}
