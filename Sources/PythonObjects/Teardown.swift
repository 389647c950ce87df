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
