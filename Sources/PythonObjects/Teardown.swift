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
    /// each container (and each tuple's storage) visited once, so depth and sharing cost
    /// nothing extra.
    public func dismantle() { Self.dismantle([self], sparing: []) }

    /// Dismantles what `values` reach except the containers `kept` reaches: what a reader
    /// built but left out of its result (`kept`), or everything it built when it failed
    /// (`kept` nil), whose cycles would otherwise never be freed.
    static func dismantle(leftovers values: [PyValue], keeping kept: PyValue?) {
        dismantle(values, sparing: kept.map { containers(reachableFrom: $0) } ?? [])
    }

    /// The identities of the lists, dicts and objects reachable from `root`.
    static func containers(reachableFrom root: PyValue) -> Set<ObjectIdentifier> {
        var walk = ContainerWalk()
        walk.visit([root]) { _ in }
        return walk.containers
    }

    static func dismantle(_ roots: [PyValue], sparing: Set<ObjectIdentifier>) {
        var walk = ContainerWalk(containers: sparing)
        var emptied: [PyValue] = []   // kept until the end, so nothing is freed mid-walk
        walk.visit(roots) { container in
            switch container {
            case .list(let l):
                emptied.append(contentsOf: l.items)
                l.items = []
            case .dict(let d):
                emptied.append(contentsOf: d.takeAll())
            case .object(let o):
                emptied.append(contentsOf: o.args + [o.kwargs ?? .none, o.state ?? .none] + o.listItems + o.dictItems.flatMap { [$0.0, $0.1] })
                o.args = []; o.kwargs = nil; o.state = nil; o.listItems = []; o.dictItems = []
            default: break
            }
        }
        Teardown.release(&emptied)
    }
}

/// A walk over a value graph that meets each list, dict and object once (and each
/// tuple's storage once, so tuples shared in a chain are not expanded exponentially).
struct ContainerWalk {
    /// Containers met so far (or given, to be skipped).
    var containers: Set<ObjectIdentifier> = []
    private var tuples: Set<UnsafeRawPointer> = []

    init(containers: Set<ObjectIdentifier> = []) { self.containers = containers }

    /// Calls `body` on each container not met before, after collecting its children and
    /// before descending into them (so `body` may empty it).
    mutating func visit(_ roots: [PyValue], _ body: (PyValue) -> Void) {
        var stack = roots
        while let v = stack.popLast() {
            switch v {
            case .list(let l):
                guard containers.insert(ObjectIdentifier(l)).inserted else { continue }
                stack.append(contentsOf: l.items)
                body(v)
            case .dict(let d):
                guard containers.insert(ObjectIdentifier(d)).inserted else { continue }
                for e in d.entries { stack.append(e.key); stack.append(e.value) }
                body(v)
            case .object(let o):
                guard containers.insert(ObjectIdentifier(o)).inserted else { continue }
                stack.append(contentsOf: o.args + [o.kwargs ?? .none, o.state ?? .none] + o.listItems + o.dictItems.flatMap { [$0.0, $0.1] })
                body(v)
            case .tuple(let t), .set(let t), .frozenset(let t):
                guard let key = t.withUnsafeBufferPointer({ UnsafeRawPointer($0.baseAddress) }), tuples.insert(key).inserted else { continue }
                stack.append(contentsOf: t)
            case .persistent(let p):
                stack.append(p)
            case .slice(let a, let b, let c):
                stack += [a, b, c]
            case .ndarray(let a):
                if let objects = a.objects { stack.append(contentsOf: objects) }
            default:
                continue
            }
        }
    }
}
