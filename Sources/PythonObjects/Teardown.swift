import Foundation

/// Releases nested containers one level at a time instead of recursively: a hostile
/// pickle can nest lists tens of thousands deep, and freeing such a chain through
/// nested deinits would overflow the stack. A container's deinit hands its contents
/// here; the outermost call empties the queue in a loop, so the nesting depth of
/// deallocation stays at two whatever the data's depth.
enum Teardown {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var pending: [[PyValue]] = []
    nonisolated(unsafe) private static var draining = false

    /// Takes `values` (leaving it empty, so the caller no longer owns them) and frees
    /// them iteratively.
    static func release(_ values: inout [PyValue]) {
        guard values.contains(where: \.holdsContainer) else { return }
        lock.lock()
        pending.append(values)
        values = []
        if draining { lock.unlock(); return }
        draining = true
        var batch: [PyValue]? = pending.popLast()
        while batch != nil {
            lock.unlock()
            // Dropping the batch here runs the children's deinits, which queue their
            // contents (draining is set) instead of recursing.
            batch = nil
            lock.lock()
            batch = pending.popLast()
        }
        draining = false
        lock.unlock()
    }
}

extension PyValue {
    var holdsContainer: Bool {
        switch self {
        case .list, .dict, .object, .tuple, .set, .frozenset: return true
        default: return false
        }
    }
}

extension PyValue {
    /// Empties every list, dict and object reachable from this value, so that the
    /// reference cycles a self-referential pickle makes (a list that contains itself, an
    /// object whose state points back to it) are freed when the value goes. Call it once
    /// the value is no longer needed; afterwards its containers are empty. Iterative, with
    /// each container visited once, so depth and sharing cost nothing extra.
    public func dismantle() {
        var stack: [PyValue] = [self]
        var seen = Set<ObjectIdentifier>()
        // Tuples share their element storage when the memo repeats them; walking each
        // once keeps a chain of tuples that hold the previous one twice linear, not 2^depth.
        var seenTuples = Set<UnsafeRawPointer>()
        var emptied: [PyValue] = []   // kept until the end, so nothing is freed mid-walk
        while let v = stack.popLast() {
            switch v {
            case .list(let l):
                guard seen.insert(ObjectIdentifier(l)).inserted else { continue }
                stack.append(contentsOf: l.items)
                emptied.append(contentsOf: l.items)
                l.items = []
            case .dict(let d):
                guard seen.insert(ObjectIdentifier(d)).inserted else { continue }
                let all = d.takeAll()
                stack.append(contentsOf: all)
                emptied.append(contentsOf: all)
            case .object(let o):
                guard seen.insert(ObjectIdentifier(o)).inserted else { continue }
                let all = o.args + [o.kwargs ?? .none, o.state ?? .none] + o.listItems + o.dictItems.flatMap { [$0.0, $0.1] }
                o.args = []; o.kwargs = nil; o.state = nil; o.listItems = []; o.dictItems = []
                stack.append(contentsOf: all)
                emptied.append(contentsOf: all)
            case .tuple(let t), .set(let t), .frozenset(let t):
                if let p = t.withUnsafeBufferPointer({ UnsafeRawPointer($0.baseAddress) }) {
                    guard seenTuples.insert(p).inserted else { continue }
                }
                stack.append(contentsOf: t)
            case .persistent(let p):
                stack.append(p)
            case .slice(let a, let b, let c):
                stack += [a, b, c]
            default:
                continue
            }
        }
        Teardown.release(&emptied)
    }
}
