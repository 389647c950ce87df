/// Why a Python object file could not be read. Each case names the file place (byte
/// offset) or the object path, and limits say how to raise them.
public enum PythonObjectsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pickle stream is malformed at `offset` (opcode, what is wrong).
    case pickle(offset: Int, reason: String)
    /// The pickle would call a callable whose effect is code, not data.
    case forbiddenCallable(name: String, offset: Int)
    /// A configured limit was exceeded.
    case limit(name: String, value: Int, limit: Int, offset: Int)
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
        case .limit(let n, let v, let l, let o): return "\(n) \(v) exceeds the limit \(l) at byte \(o) (raise PickleLimits.\(n) to read it)"
        case .wrongType(let p, let e, let f): return "\(p): expected \(e), found \(f)"
        case .invalidArray(let p, let r): return "\(p): \(r)"
        case .container(let r): return r
        }
    }
}
