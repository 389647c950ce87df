import ONNX

// The shared engine of TreeEnsemble (ml 5), TreeEnsembleRegressor and
// TreeEnsembleClassifier (ml 1, 3, 5).
//
// Each op first reads its attributes into `TreeForestIR` (one node list, tree roots,
// leaf weights), which is checked once. `TreeEngine<T>` then compiles it into a flat
// array of 16-byte nodes (threshold, feature, true child, false child), leaves being
// nodes that point to themselves, so a tree of depth d is evaluated with exactly d
// branch-free steps per row. Modes LEQ/LT/GTE/GT (with or without missing-value
// tracking) are all rewritten into `x' <= t'`, where x' is the feature or its negation
// and t' an adjusted threshold (x < t is x <= nextDown(t) on values of type T), so the
// common trees run one comparison per step. Trees with EQ/NEQ/MEMBER nodes (or NaN
// thresholds) take a general loop. Rows are processed in blocks of 128 with trees in
// the outer loop and four rows in lockstep; blocks run in parallel. Leaf-wise trees
// (LightGBM's, whose deepest leaf lies far below most paths) stop the four once all stand
// on leaves; very unbalanced ones walk each row until its leaf.
//
// Scores accumulate in T (float32 unless the input or the thresholds are float64), in
// tree order, as onnxruntime does.

enum TreeNodeMode: UInt8, Sendable {
    case leq = 0, lt, gte, gt, eq, neq, member, leaf

    /// The string form of the v1/v3 ops.
    static func parse(_ s: String) -> TreeNodeMode? {
        switch s {
        case "BRANCH_LEQ": return .leq
        case "BRANCH_LT": return .lt
        case "BRANCH_GTE": return .gte
        case "BRANCH_GT": return .gt
        case "BRANCH_EQ": return .eq
        case "BRANCH_NEQ": return .neq
        case "BRANCH_MEMBER": return .member
        case "LEAF": return .leaf
        default: return nil
        }
    }

    /// The mode whose name is these UTF-8 bytes.
    static func parse(bytes b: UnsafeRawBufferPointer) -> TreeNodeMode? {
        // The common names first, without making a String.
        if b.elementsEqual("BRANCH_LEQ".utf8) { return .leq }
        if b.elementsEqual("LEAF".utf8) { return .leaf }
        return parse(String(decoding: b, as: UTF8.self))
    }
}

enum TreeAggregate: Sendable {
    case average, sum, min, max

    static func parse(_ s: String, _ c: OpContext) throws -> TreeAggregate {
        switch s {
        case "AVERAGE": return .average
        case "SUM": return .sum
        case "MIN": return .min
        case "MAX": return .max
        default: throw InterpreterError.badAttribute(node: c.nodeName, attribute: "aggregate_function", message: "'\(s)' is not one of AVERAGE, SUM, MIN, MAX")
        }
    }
}

/// A tree ensemble as read from attributes, before compilation: one flat array per
/// node field (interior nodes and leaves alike), leaf weights in flat arrays addressed
/// by (start, count), and the member sets of BRANCH_MEMBER nodes (few, so kept by node).
struct TreeForestIR {
    var mode: [TreeNodeMode] = []
    var feature: [Int32] = []
    var threshold: [Double] = []
    var trueChild: [Int32] = []
    var falseChild: [Int32] = []
    var missingTrue: [Bool] = []
    var weightStart: [Int32] = []
    var weightCount: [Int32] = []
    /// Where each BRANCH_MEMBER node's set lies in `members`.
    var memberRange: [Int32: Range<Int>] = [:]
    var weightTarget: [Int32] = []
    var weightValue: [Double] = []
    var members: [Double] = []
    var roots: [Int] = []
    var nTargets: Int = 1

    var count: Int { mode.count }

    /// Adds a weight to leaf `i`, which must be the last leaf given weights.
    mutating func appendWeight(_ i: Int, target: Int, value: Double) {
        if weightCount[i] == 0 { weightStart[i] = Int32(weightTarget.count) }
        weightTarget.append(Int32(target))
        weightValue.append(value)
        weightCount[i] += 1
    }

    /// The member set of node `i` (empty unless it is a BRANCH_MEMBER node).
    func memberSet(_ i: Int) -> ArraySlice<Double> { memberRange[Int32(i)].map { members[$0] } ?? [] }

    /// The largest feature index an interior node reads (-1 when none).
    var maxFeature: Int {
        var m = -1
        for i in 0..<count where mode[i] != .leaf { m = max(m, Int(feature[i])) }
        return m
    }

    /// Builds the IR from the v1/v3 attribute layout of TreeEnsembleRegressor (`prefix`
    /// "target") and TreeEnsembleClassifier ("class"): tree and node ids, LEAF mode,
    /// weights attached by (tree id, node id). The first node of each run of equal tree
    /// ids is that tree's root, as in onnxruntime.
    ///
    /// The attributes are read one at a time, each straight into the IR's own arrays
    /// where it can be (`OpContext.ints(_:default:_:)`), so that a large ensemble is not
    /// held as a dozen `[Int64]` arrays at once. `values` and `weights` are the node
    /// thresholds and the leaf weights (FLOATS or their `*_as_tensor` twins).
    static func fromLegacy(_ c: OpContext, prefix: String, values: consuming [Double], weights: [Double], nTargets: Int) throws -> TreeForestIR {
        func bad(_ a: String, _ m: String) -> InterpreterError { .badAttribute(node: c.nodeName, attribute: a, message: m) }
        guard nTargets >= 1 else { throw bad(prefix == "class" ? "classlabels_int64s" : "n_targets", "must be at least 1") }
        var ir = TreeForestIR()
        ir.nTargets = nTargets

        // Tree and node ids: the index of (tree, node) -> position, and each node's tree.
        var index: LegacyNodeIndex
        do {
            let nodeIds = try c.ints("nodes_nodeids", default: []) { $0 }
            guard nodeIds.count < Int(Int32.max) / 2 else { throw bad("nodes_nodeids", "too many nodes") }
            let treeIds = try c.ints("nodes_treeids", default: []) { $0 }
            guard treeIds.count == nodeIds.count else { throw bad("nodes_treeids", "has \(treeIds.count) entries; nodes_nodeids has \(nodeIds.count)") }
            index = try LegacyNodeIndex(treeIds: treeIds, nodeIds: nodeIds, bad: bad)
            for i in treeIds.indices where i == 0 || treeIds[i] != treeIds[i - 1] { ir.roots.append(i) }
        }
        let n = index.nodeSlot.count
        func sameCount(_ name: String, _ k: Int) throws {
            guard k == n else { throw bad(name, "has \(k) entries; nodes_nodeids has \(n)") }
        }

        // Modes, parsed from the bytes (no String per node).
        var unknownMode: String?
        ir.mode = try c.strings("nodes_modes", default: []) { b -> TreeNodeMode in
            if let m = TreeNodeMode.parse(bytes: b), m != .member { return m }
            if unknownMode == nil { unknownMode = String(decoding: b, as: UTF8.self) }
            return .leaf
        }
        try sameCount("nodes_modes", ir.mode.count)
        if let unknownMode { throw bad("nodes_modes", "'\(unknownMode)' is not a node mode") }

        let modes = ir.mode
        // Features (0 on leaves), checked on interior nodes.
        var k = 0
        var badFeature: Int64?
        ir.feature = try c.ints("nodes_featureids", default: []) { v -> Int32 in
            defer { k += 1 }
            guard k < n, modes[k] != .leaf else { return 0 }
            if v < 0 || v >= Int64(Int32.max) / 2 { if badFeature == nil { badFeature = v }; return 0 }
            return Int32(v)
        }
        try sameCount("nodes_featureids", ir.feature.count)
        if let badFeature { throw bad("nodes_featureids", "feature \(badFeature) is out of range") }

        // Taken as they are: a leaf's threshold is never read.
        ir.threshold = values
        try sameCount("nodes_values", ir.threshold.count)

        // Children, as positions (0 on leaves).
        func children(_ name: String) throws -> [Int32] {
            var k = 0
            var missingChild: (tree: Int64, node: Int64)?
            let out = try c.ints(name, default: []) { id -> Int32 in
                defer { k += 1 }
                guard k < n, modes[k] != .leaf else { return 0 }
                if let p = index.find(slot: Int(index.nodeSlot[k]), id) { return Int32(p) }
                if missingChild == nil { missingChild = (index.treeId(slot: Int(index.nodeSlot[k])), id) }
                return 0
            }
            try sameCount(name, out.count)
            if let (tree, node) = missingChild { throw bad(name, "node \(node) of tree \(tree) does not exist") }
            return out
        }
        ir.trueChild = try children("nodes_truenodeids")
        ir.falseChild = try children("nodes_falsenodeids")
        index.nodeSlot = []   // the weights below are attached by tree id
        k = 0
        ir.missingTrue = try c.ints("nodes_missing_value_tracks_true", default: []) { v -> Bool in
            defer { k += 1 }
            return k < n && modes[k] != .leaf && v == 1
        }
        if ir.missingTrue.count < n { ir.missingTrue += [Bool](repeating: false, count: n - ir.missingTrue.count) }
        if ir.missingTrue.count > n { ir.missingTrue.removeLast(ir.missingTrue.count - n) }
        ir.weightStart = [Int32](repeating: 0, count: n)
        ir.weightCount = [Int32](repeating: 0, count: n)

        // Weights in (tree id, node id, position) order, as onnxruntime sorts them.
        let targetTreeIds = try c.ints(prefix + "_treeids", default: []) { $0 }
        let targetNodeIds = try c.ints(prefix + "_nodeids", default: []) { $0 }
        // Target ids as Int32, -1 for one out of range.
        let targetIds = try c.ints(prefix + "_ids", default: []) { v -> Int32 in v >= 0 && v < Int64(nTargets) ? Int32(v) : -1 }
        guard targetTreeIds.count == targetIds.count, targetNodeIds.count == targetIds.count, weights.count == targetIds.count else {
            throw bad(prefix + "_ids", "\(prefix)_ids, _nodeids, _treeids and _weights must have the same length")
        }
        func attach(_ k: Int) throws {
            guard let i = index.find(targetTreeIds[k], targetNodeIds[k]) else {
                throw bad(prefix + "_nodeids", "node \(targetNodeIds[k]) of tree \(targetTreeIds[k]) does not exist")
            }
            // Weights on interior nodes are ignored (old converters wrote some).
            guard ir.mode[i] == .leaf else { return }
            guard targetIds[k] >= 0 else {
                // Read again for the message (the compact copy has -1 there).
                let v = (try? c.ints(prefix + "_ids", default: []) { $0 })?[k] ?? -1
                throw bad(prefix + "_ids", "\(v) is out of range for \(nTargets) \(prefix == "class" ? "classes" : "targets")")
            }
            ir.appendWeight(i, target: Int(targetIds[k]), value: weights[k])
        }
        ir.weightTarget.reserveCapacity(targetIds.count)
        ir.weightValue.reserveCapacity(targetIds.count)
        var alreadySorted = true
        for k in targetIds.indices.dropFirst() where (targetTreeIds[k], targetNodeIds[k]) < (targetTreeIds[k - 1], targetNodeIds[k - 1]) {
            alreadySorted = false
            break
        }
        if alreadySorted {
            for k in targetIds.indices { try attach(k) }
        } else {
            let order = Array(targetIds.indices).sorted {
                (targetTreeIds[$0], targetNodeIds[$0], $0) < (targetTreeIds[$1], targetNodeIds[$1], $1)
            }
            for k in order { try attach(k) }
        }
        return ir
    }
}

/// (tree id, node id) -> position, with a dense table per tree when its node ids are
/// compact (the usual 0..<n) and a dictionary otherwise.
private struct LegacyNodeIndex {
    struct Tree { var id: Int64; var minId: Int64; var maxId: Int64; var count: Int; var dense: [Int32]; var sparse: [Int64: Int32] }
    var slot: [Int64: Int] = [:]
    var trees: [Tree] = []
    /// Each node's tree, as an index into `trees`.
    var nodeSlot: [Int32] = []

    init(treeIds: [Int64], nodeIds: [Int64], bad: (String, String) -> InterpreterError) throws {
        var lastTree: Int64? = nil
        var lastSlot = 0
        for i in nodeIds.indices {
            let t = treeIds[i]
            if t != lastTree {
                if let s = slot[t] { lastSlot = s } else {
                    lastSlot = trees.count
                    slot[t] = lastSlot
                    trees.append(Tree(id: t, minId: nodeIds[i], maxId: nodeIds[i], count: 0, dense: [], sparse: [:]))
                }
                lastTree = t
            }
            trees[lastSlot].minId = min(trees[lastSlot].minId, nodeIds[i])
            trees[lastSlot].maxId = max(trees[lastSlot].maxId, nodeIds[i])
            trees[lastSlot].count += 1
        }
        for s in trees.indices {
            let span = trees[s].maxId - trees[s].minId
            if span >= 0, span < Int64(4 * trees[s].count + 16) { trees[s].dense = [Int32](repeating: -1, count: Int(span) + 1) }
        }
        lastTree = nil
        nodeSlot.reserveCapacity(nodeIds.count)
        for i in nodeIds.indices {
            let t = treeIds[i]
            if t != lastTree { lastSlot = slot[t]!; lastTree = t }
            nodeSlot.append(Int32(lastSlot))
            let id = nodeIds[i]
            let dup: Bool
            if trees[lastSlot].dense.isEmpty {
                dup = trees[lastSlot].sparse.updateValue(Int32(i), forKey: id) != nil
            } else {
                let k = Int(id - trees[lastSlot].minId)
                dup = trees[lastSlot].dense[k] >= 0
                trees[lastSlot].dense[k] = Int32(i)
            }
            if dup { throw bad("nodes_nodeids", "node \(id) of tree \(t) is defined twice") }
        }
    }

    func find(_ tree: Int64, _ node: Int64) -> Int? {
        guard let s = slot[tree] else { return nil }
        return find(slot: s, node)
    }

    /// The tree id of slot `s`.
    func treeId(slot s: Int) -> Int64 { trees[s].id }

    func find(slot s: Int, _ node: Int64) -> Int? {
        let t = trees[s]
        if t.dense.isEmpty { return t.sparse[node].map { Int($0) } }
        guard node >= t.minId, node <= t.maxId else { return nil }
        let v = t.dense[Int(node - t.minId)]
        return v >= 0 ? Int(v) : nil
    }
}

/// How a compiled tree is walked.
private enum TreeKind: UInt8 {
    /// Only `x' <= t'` nodes, walked `depth` steps in lockstep over four rows.
    case lockstep = 0
    /// Only `x' <= t'` nodes, walked until a leaf (very unbalanced trees).
    case untilLeaf = 1
    /// Any mode, walked until a leaf with a switch per node.
    case general = 2
    /// Only `x' <= t'` nodes, four rows in lockstep that stop once all four stand on
    /// leaves: leaf-wise trees (LightGBM), whose deepest leaf is far below most paths.
    case lockstepToLeaves = 3
}

/// One compiled node; leaves point to themselves.
struct PackedTreeNode<T> {
    var threshold: T
    var feature: Int32
    var left: Int32
    var right: Int32
}

protocol TreeAccumulator {
    static func add<T: BinaryFloatingPoint>(_ s: inout T, _ h: inout UInt8, _ w: T)
}
enum TreeSumAccumulator: TreeAccumulator {
    @inline(__always) static func add<T: BinaryFloatingPoint>(_ s: inout T, _ h: inout UInt8, _ w: T) { s += w; h = 1 }
}
enum TreeMinAccumulator: TreeAccumulator {
    @inline(__always) static func add<T: BinaryFloatingPoint>(_ s: inout T, _ h: inout UInt8, _ w: T) {
        if h == 0 || w < s { s = w }
        h = 1
    }
}
enum TreeMaxAccumulator: TreeAccumulator {
    @inline(__always) static func add<T: BinaryFloatingPoint>(_ s: inout T, _ h: inout UInt8, _ w: T) {
        if h == 0 || w > s { s = w }
        h = 1
    }
}

/// Where a walk records leaf positions: the ordinal of each compiled node, and the
/// block's first row of the [rows, trees] output.
struct LeafSink {
    let ordinal: UnsafePointer<Int32>
    let out: UnsafeMutablePointer<Int32>
    let stride: Int

    @inline(__always) func record(_ row: Int, _ tree: Int, _ node: Int32) { out[row * stride + tree] = ordinal[Int(node)] }
}

/// A compiled forest evaluating rows of type T (Float or Double).
final class TreeEngine<T: BinaryFloatingPoint & Sendable>: @unchecked Sendable {
    let nodes: [PackedTreeNode<T>]
    /// For general trees: mode, missing flag and member-set index per node.
    let generalMode: [UInt8]
    let generalMissing: [Bool]
    let generalSet: [Int32]
    let sets: [[T]]
    let roots: [Int32]
    let depths: [Int32]
    private let kinds: [TreeKind]
    /// Whether the row buffer interleaves each feature with its negation.
    let negated: Bool
    let maxFeature: Int
    let nTargets: Int
    let nTrees: Int
    let aggregate: TreeAggregate
    /// Single-target path: whether a leaf has a weight; the first one (onnxruntime uses
    /// only that one) is the leaf's `threshold` in `nodes`.
    let nodeHasValue: [UInt8]
    /// Multi-target path: each leaf's weights (empty with one target).
    let nodeWeightStart: [Int32]
    let nodeWeightCount: [Int32]
    let weightTarget: [Int32]
    let weightValue: [T]

    static var blockRows: Int { 128 }

    init(_ ir: consuming TreeForestIR, aggregate: TreeAggregate, nodeName: String) throws {
        func bad(_ m: String) -> InterpreterError { .invalidInput(node: nodeName, message: m) }
        self.aggregate = aggregate
        nTargets = ir.nTargets
        nTrees = ir.roots.count
        maxFeature = ir.maxFeature
        let count = ir.count
        guard count < Int(Int32.max) / 4 else { throw bad("too many tree nodes") }
        for i in 0..<count where ir.mode[i] != .leaf {
            guard ir.trueChild[i] >= 0, Int(ir.trueChild[i]) < count, ir.falseChild[i] >= 0, Int(ir.falseChild[i]) < count else {
                throw bad("a tree node points outside the node list")
            }
        }
        for r in ir.roots where r < 0 || r >= count { throw bad("tree root \(r) is out of range") }

        // Which nodes can use the one-comparison form.
        func isSimple(_ i: Int) -> Bool {
            switch ir.mode[i] {
            case .leaf: return true
            case .leq, .lt, .gte, .gt: return !ir.threshold[i].isNaN && !T(ir.threshold[i]).isNaN
            default: return false
            }
        }
        // Rewrites a simple node as x' <= t' (negate: x' = -x) and whether its branches swap.
        func rewrite(_ i: Int) -> (negate: Bool, threshold: T, swap: Bool) {
            let t = T(ir.threshold[i])
            func below(_ v: T) -> T { v == -T.infinity ? T.nan : v.nextDown }   // x < v  <=>  x <= below(v)
            switch (ir.mode[i], ir.missingTrue[i]) {
            case (.leq, false): return (false, t, false)
            case (.lt, false): return (false, below(t), false)
            case (.gte, false): return (true, -t, false)
            case (.gt, false): return (true, below(-t), false)
            // NaN goes to the true branch: test the complement, which NaN fails.
            case (.leq, true): return (true, below(-t), true)     // x > t
            case (.lt, true): return (true, -t, true)             // x >= t
            case (.gte, true): return (false, below(t), true)     // x < t
            case (.gt, true): return (false, t, true)             // x <= t
            default: return (false, t, false)
            }
        }

        // Per-IR-node scratch. `slot` first holds the last tree that visited the node (a
        // node shared within a tree is laid out once), then, tree by tree while the nodes
        // are emitted, the node's position within its tree.
        var slot = [Int32](repeating: -1, count: count)
        var depthOf = [Int32](repeating: 0, count: count)
        var state = [UInt8](repeating: 0, count: count)       // 1 open, 2 done (depth known)

        var orders: [[Int32]] = []
        orders.reserveCapacity(ir.roots.count)
        var simpleTree: [Bool] = [], kinds: [TreeKind] = [], depths: [Int32] = []
        var anyNegated = false, anyGeneral = false
        var total = 0
        for (t, root) in ir.roots.enumerated() {
            let tag = Int32(t)
            // Layout in preorder, true child first; shared nodes (v5 may share) once.
            var order: [Int32] = []
            var stack: [(Int, Int)] = [(root, 0)]
            var simple = true
            var leafDepthSum = 0, leafCount = 0
            while let (i, d) = stack.popLast() {
                if slot[i] == tag { continue }
                slot[i] = tag
                state[i] = 0
                order.append(Int32(i))
                if !isSimple(i) { simple = false }
                if ir.mode[i] == .leaf {
                    leafDepthSum += d
                    leafCount += 1
                } else {
                    stack.append((Int(ir.falseChild[i]), d + 1))
                    stack.append((Int(ir.trueChild[i]), d + 1))
                }
            }
            // Longest path (in interior nodes) by a post-order walk; meeting an open node
            // again means a cycle.
            var work: [(Int, Bool)] = [(root, false)]
            while let (i, done) = work.popLast() {
                if ir.mode[i] == .leaf { depthOf[i] = 0; state[i] = 2; continue }
                let a = Int(ir.trueChild[i]), b = Int(ir.falseChild[i])
                if done {
                    depthOf[i] = 1 + max(depthOf[a], depthOf[b])
                    state[i] = 2
                    continue
                }
                if state[i] == 2 { continue }
                if state[i] == 1 { throw bad("the trees contain a cycle") }
                state[i] = 1
                work.append((i, true))
                for ch in [b, a] {
                    if state[ch] == 1 { throw bad("the trees contain a cycle") }
                    if state[ch] == 0 { work.append((ch, false)) }
                }
            }
            let maxDepth = Int(depthOf[root])
            let avg = leafCount > 0 ? Double(leafDepthSum) / Double(leafCount) : 0
            // Balanced trees walk their full depth without checks; where the deepest leaf
            // is well below the average one the walk checks for leaves.
            let kind: TreeKind = !simple ? .general : Double(maxDepth) <= avg + 2 ? .lockstep : Double(maxDepth) <= 2 * avg + 4 ? .lockstepToLeaves : .untilLeaf
            if !simple { anyGeneral = true }
            if simple {
                for i in order where ir.mode[Int(i)] != .leaf && rewrite(Int(i)).negate { anyNegated = true; break }
            }
            simpleTree.append(simple)
            kinds.append(kind)
            depths.append(Int32(maxDepth))
            orders.append(order)
            total += order.count
            guard total < Int(Int32.max) / 2 else { throw bad("too many tree nodes") }
        }
        negated = anyNegated
        // Only the layout positions are needed from here on.
        depthOf = []
        state = []

        // With one target a leaf's value lives in its threshold slot: the weight lists are
        // folded in here and let go before the layout is allocated.
        let multiTarget = nTargets > 1
        var leafHasValue: [UInt8] = []
        if !multiTarget {
            leafHasValue = [UInt8](repeating: 0, count: count)
            for i in 0..<count where ir.mode[i] == .leaf && ir.weightCount[i] > 0 {
                leafHasValue[i] = 1
                ir.threshold[i] = ir.weightValue[Int(ir.weightStart[i])]
            }
            ir.weightStart = []
            ir.weightCount = []
            ir.weightTarget = []
            ir.weightValue = []
        }

        // Emit the nodes tree by tree.
        var packed: [PackedTreeNode<T>] = []
        packed.reserveCapacity(total)
        var gMode: [UInt8] = [], gMissing: [Bool] = [], gSet: [Int32] = []
        var sets: [[T]] = []
        var hasValue: [UInt8] = []
        var wStart: [Int32] = [], wCount: [Int32] = [], wTarget: [Int32] = [], wValue: [T] = []
        hasValue.reserveCapacity(total)
        if multiTarget { wStart.reserveCapacity(total); wCount.reserveCapacity(total) }
        var roots: [Int32] = []
        for (t, order) in orders.enumerated() {
            let base = Int32(packed.count)
            // This tree's positions (a node shared with another tree has one per tree).
            for (k, i) in order.enumerated() { slot[Int(i)] = Int32(k) }
            roots.append(base)
            for i32 in order {
                let i = Int(i32)
                let me = base + slot[i]
                if ir.mode[i] == .leaf {
                    var first: T = 0
                    if multiTarget {
                        let ws = Int(ir.weightStart[i]), wc = Int(ir.weightCount[i])
                        hasValue.append(wc > 0 ? 1 : 0)
                        if wc > 0 { first = T(ir.weightValue[ws]) }
                        wStart.append(Int32(wTarget.count))
                        wCount.append(Int32(wc))
                        for j in ws..<(ws + wc) { wTarget.append(ir.weightTarget[j]); wValue.append(T(ir.weightValue[j])) }
                    } else {
                        hasValue.append(leafHasValue[i])
                        first = T(ir.threshold[i])
                    }
                    // A leaf's threshold is never compared: it holds the leaf's (first) value.
                    packed.append(PackedTreeNode(threshold: first, feature: 0, left: me, right: me))
                    if anyGeneral { gMode.append(TreeNodeMode.leaf.rawValue); gMissing.append(false); gSet.append(-1) }
                    continue
                }
                hasValue.append(0)
                if multiTarget { wStart.append(0); wCount.append(0) }
                let tc = base + slot[Int(ir.trueChild[i])], fc = base + slot[Int(ir.falseChild[i])]
                let f = anyNegated ? 2 * ir.feature[i] : ir.feature[i]
                if simpleTree[t] {
                    let r = rewrite(i)
                    packed.append(PackedTreeNode(threshold: r.threshold, feature: r.negate ? f + 1 : f,
                                                 left: r.swap ? fc : tc, right: r.swap ? tc : fc))
                } else {
                    packed.append(PackedTreeNode(threshold: T(ir.threshold[i]), feature: f, left: tc, right: fc))
                }
                if anyGeneral {
                    gMode.append(ir.mode[i].rawValue)
                    gMissing.append(ir.missingTrue[i])
                    if ir.mode[i] == .member {
                        gSet.append(Int32(sets.count))
                        sets.append(ir.memberSet(i).filter { !$0.isNaN }.map { T($0) }.sorted())
                    } else {
                        gSet.append(-1)
                    }
                }
            }
        }
        nodes = packed
        generalMode = gMode
        generalMissing = gMissing
        generalSet = gSet
        self.sets = sets
        self.roots = roots
        self.depths = depths
        self.kinds = kinds
        nodeHasValue = hasValue
        nodeWeightStart = wStart
        nodeWeightCount = wCount
        weightTarget = wTarget
        weightValue = wValue
    }

    /// Raw scores and has-score flags for `rows` rows of `cols` features (row-major),
    /// `nTargets` per row.
    func scores(_ x: UnsafeBufferPointer<T>, rows: Int, cols: Int) -> (scores: [T], has: [UInt8]) {
        scores(x, rows: rows, cols: cols, leaves: nil)
    }

    /// Scores, and with `leaves` ([rows, trees]) each row's leaf position per tree
    /// (`TreeLeafTrace`), recorded in the same walk.
    func scores(_ x: UnsafeBufferPointer<T>, rows: Int, cols: Int, leaves: UnsafeMutablePointer<Int32>?) -> (scores: [T], has: [UInt8]) {
        let ordinal = leaves == nil ? [] : leafOrdinals()
        let k = nTargets
        var s = [T](repeating: 0, count: rows * k)
        var h = [UInt8](repeating: 0, count: rows * k)
        guard rows > 0, let xBase = x.baseAddress else { return (s, h) }
        s.withUnsafeMutableBufferPointer { sp in
            h.withUnsafeMutableBufferPointer { hp in
                let sBase = sp.baseAddress!, hBase = hp.baseAddress!
                let block = Self.blockRows
                ordinal.withUnsafeBufferPointer { ordinalBuffer in
                    let ordinalBase = ordinalBuffer.baseAddress
                    Parallel.forChunks(rows, minimumChunk: 2 * block) { range in
                        let neg: UnsafeMutablePointer<T>? = negated ? .allocate(capacity: block * 2 * max(cols, 1)) : nil
                        defer { neg?.deallocate() }
                        // Where this block's leaf positions go, and the ordinal table.
                        func trace(_ r0: Int) -> LeafSink? {
                            guard let leaves, let ord = ordinalBase else { return nil }
                            return LeafSink(ordinal: ord, out: leaves + r0 * roots.count, stride: roots.count)
                        }
                        var r0 = range.lowerBound
                        while r0 < range.upperBound {
                            let r1 = min(range.upperBound, r0 + block)
                            var xs = xBase + r0 * cols
                            var stride = cols
                            if let neg {
                                for r in 0..<(r1 - r0) {
                                    let src = xBase + (r0 + r) * cols
                                    let dst = neg + r * 2 * cols
                                    for f in 0..<cols { dst[2 * f] = src[f]; dst[2 * f + 1] = -src[f] }
                                }
                                xs = UnsafePointer(neg)
                                stride = 2 * cols
                            }
                            switch aggregate {
                            case .sum, .average:
                                runBlock(TreeSumAccumulator.self, xs, stride, r1 - r0, sBase + r0 * k, hBase + r0 * k, trace(r0))
                            case .min:
                                runBlock(TreeMinAccumulator.self, xs, stride, r1 - r0, sBase + r0 * k, hBase + r0 * k, trace(r0))
                            case .max:
                                runBlock(TreeMaxAccumulator.self, xs, stride, r1 - r0, sBase + r0 * k, hBase + r0 * k, trace(r0))
                            }
                            r0 = r1
                        }
                    }
                }
            }
        }
        return (s, h)
    }

    @inline(__always)
    private func leaf<A: TreeAccumulator>(_: A.Type, _ n: Int, _ s: UnsafeMutablePointer<T>, _ h: UnsafeMutablePointer<UInt8>,
                                         _ nd: UnsafePointer<PackedTreeNode<T>>, _ hasV: UnsafePointer<UInt8>,
                                         _ ws: UnsafePointer<Int32>, _ wc: UnsafePointer<Int32>,
                                         _ wt: UnsafePointer<Int32>, _ wv: UnsafePointer<T>) {
        if nTargets == 1 {
            if hasV[n] != 0 { A.add(&s[0], &h[0], nd[n].threshold) }
        } else {
            let start = Int(ws[n])
            for j in start..<(start + Int(wc[n])) {
                let t = Int(wt[j])
                A.add(&s[t], &h[t], wv[j])
            }
        }
    }

    private func runBlock<A: TreeAccumulator>(_ acc: A.Type, _ xs: UnsafePointer<T>, _ stride: Int, _ count: Int,
                                              _ s: UnsafeMutablePointer<T>, _ h: UnsafeMutablePointer<UInt8>, _ sink: LeafSink?) {
        let k = nTargets
        nodes.withUnsafeBufferPointer { np in
        nodeHasValue.withUnsafeBufferPointer { hvp in
        nodeWeightStart.withUnsafeBufferPointer { wsp in
        nodeWeightCount.withUnsafeBufferPointer { wcp in
        weightTarget.withUnsafeBufferPointer { wtp in
        weightValue.withUnsafeBufferPointer { wvp in
            let nd = np.baseAddress!
            let hasV = hvp.baseAddress!
            // Weight arrays may be empty (always with one target); give them a valid address.
            var dummyT: Int32 = 0
            var dummyV: T = 0
            withUnsafeMutablePointer(to: &dummyT) { dT in
            withUnsafeMutablePointer(to: &dummyV) { dV in
                let ws = wsp.baseAddress ?? UnsafePointer(dT), wc = wcp.baseAddress ?? UnsafePointer(dT)
                let wt = wtp.baseAddress ?? UnsafePointer(dT)
                let wv = wvp.baseAddress ?? UnsafePointer(dV)
                @inline(__always) func step(_ n: Int32, _ x: UnsafePointer<T>) -> Int32 {
                    let node = nd[Int(n)]
                    return x[Int(node.feature)] <= node.threshold ? node.left : node.right
                }
                for tree in 0..<roots.count {
                    let root = roots[tree]
                    switch kinds[tree] {
                    case .lockstep, .lockstepToLeaves:
                        let depth = Int(depths[tree])
                        let toLeaves = kinds[tree] == .lockstepToLeaves
                        var r = 0
                        while r + 4 <= count {
                            let p0 = xs + r * stride, p1 = p0 + stride, p2 = p1 + stride, p3 = p2 + stride
                            var n0 = root, n1 = root, n2 = root, n3 = root
                            if toLeaves {
                                for d in 0..<depth {
                                    n0 = step(n0, p0); n1 = step(n1, p1); n2 = step(n2, p2); n3 = step(n3, p3)
                                    // All four on leaves (a leaf is its own left child), checked every other step.
                                    if d & 1 == 1, (nd[Int(n0)].left ^ n0) | (nd[Int(n1)].left ^ n1) | (nd[Int(n2)].left ^ n2) | (nd[Int(n3)].left ^ n3) == 0 { break }
                                }
                            } else {
                                for _ in 0..<depth {
                                    n0 = step(n0, p0); n1 = step(n1, p1); n2 = step(n2, p2); n3 = step(n3, p3)
                                }
                            }
                            leaf(A.self, Int(n0), s + r * k, h + r * k, nd, hasV, ws, wc, wt, wv)
                            leaf(A.self, Int(n1), s + (r + 1) * k, h + (r + 1) * k, nd, hasV, ws, wc, wt, wv)
                            leaf(A.self, Int(n2), s + (r + 2) * k, h + (r + 2) * k, nd, hasV, ws, wc, wt, wv)
                            leaf(A.self, Int(n3), s + (r + 3) * k, h + (r + 3) * k, nd, hasV, ws, wc, wt, wv)
                            if let sink {
                                sink.record(r, tree, n0); sink.record(r + 1, tree, n1); sink.record(r + 2, tree, n2); sink.record(r + 3, tree, n3)
                            }
                            r += 4
                        }
                        while r < count {
                            let p = xs + r * stride
                            var n = root
                            for _ in 0..<depth { n = step(n, p) }
                            leaf(A.self, Int(n), s + r * k, h + r * k, nd, hasV, ws, wc, wt, wv)
                            sink?.record(r, tree, n)
                            r += 1
                        }
                    case .untilLeaf:
                        for r in 0..<count {
                            let p = xs + r * stride
                            var n = root
                            while true {
                                let next = step(n, p)
                                if next == n { break }
                                n = next
                            }
                            leaf(A.self, Int(n), s + r * k, h + r * k, nd, hasV, ws, wc, wt, wv)
                            sink?.record(r, tree, n)
                        }
                    case .general:
                        for r in 0..<count {
                            let n = generalLeaf(root, xs + r * stride, nd)
                            leaf(A.self, Int(n), s + r * k, h + r * k, nd, hasV, ws, wc, wt, wv)
                            sink?.record(r, tree, n)
                        }
                    }
                }
            }
            }
        }
        }
        }
        }
        }
        }
    }

    /// Per node of the compiled layout: the leaf's preorder position within its tree
    /// (the layout is preorder, true branch first), -1 for interior nodes.
    func leafOrdinals() -> [Int32] {
        var ordinal = [Int32](repeating: -1, count: nodes.count)
        for t in roots.indices {
            let start = Int(roots[t]), end = t + 1 < roots.count ? Int(roots[t + 1]) : nodes.count
            var next: Int32 = 0
            for i in start..<end where nodes[i].left == Int32(i) {
                ordinal[i] = next
                next += 1
            }
        }
        return ordinal
    }

    /// Walks a tree of any node modes (thresholds and features not rewritten).
    private func generalLeaf(_ root: Int32, _ x: UnsafePointer<T>, _ nd: UnsafePointer<PackedTreeNode<T>>) -> Int32 {
        var n = root
        while true {
            let node = nd[Int(n)]
            if node.left == n { return n }
            let v = x[Int(node.feature)]
            let t = node.threshold
            var cond: Bool
            switch TreeNodeMode(rawValue: generalMode[Int(n)]) ?? .leaf {
            case .leq: cond = v <= t
            case .lt: cond = v < t
            case .gte: cond = v >= t
            case .gt: cond = v > t
            case .eq: cond = v == t
            case .neq: cond = v != t
            case .member: cond = Self.contains(sets[Int(generalSet[Int(n)])], v)
            case .leaf: return n
            }
            if !cond && generalMissing[Int(n)] && v.isNaN { cond = true }
            n = cond ? node.left : node.right
        }
    }

    private static func contains(_ a: [T], _ v: T) -> Bool {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo < a.count && a[lo] == v
    }
}

/// The rows of a tree op's input converted to the engine's type.
enum TreeInput {
    /// Runs `body` on the input as a flat [rows * cols] buffer of T, converting when
    /// the element type differs (integers convert as C++ does: to T, rounding).
    static func with<T: BinaryFloatingPoint, R>(_ x: TensorValue, as _: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R) throws -> R {
        if T.self == Float.self, case .float(let a) = x.storage, !a.isEmpty {
            return try a.withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0).bindMemory(to: T.self)) }
        }
        if T.self == Double.self, case .double(let a) = x.storage, !a.isEmpty {
            return try a.withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0).bindMemory(to: T.self)) }
        }
        var converted: [T]
        switch x.storage {
        case .double(let a): converted = a.map { T($0) }
        case .int64(let a): converted = T.self == Float.self ? a.map { T(Float($0)) } : a.map { T(Double($0)) }
        case .int32(let a): converted = T.self == Float.self ? a.map { T(Float($0)) } : a.map { T(Double($0)) }
        default: converted = try x.floats().map { T($0) }
        }
        if converted.isEmpty { converted = [0] }   // [N, 0] inputs: a readable address for leaf-only trees
        return try converted.withUnsafeBufferPointer { try body($0) }
    }
}

/// The compiled engines of one tree op: float32 (built when the model is prepared,
/// unless its thresholds are float64) and float64 (built on first use otherwise).
///
/// The IR is not kept for the engine that may never be needed: it is as large as the
/// engine, and `rebuild` reads it again from the node's attributes (which, decoded with
/// deferred arrays, are still in the file) if a float64 input ever comes.
final class TreeEngines: @unchecked Sendable {
    let maxFeature: Int
    let thresholdsDouble: Bool
    let float: MLLazy<TreeEngine<Float>>
    let double: MLLazy<TreeEngine<Double>>

    init(_ ir: consuming TreeForestIR, rebuild: @escaping () throws -> TreeForestIR, aggregate: TreeAggregate, thresholdsDouble: Bool,
         nodeName: String) throws {
        maxFeature = ir.maxFeature
        self.thresholdsDouble = thresholdsDouble
        if thresholdsDouble {
            let engine = try TreeEngine<Double>(consume ir, aggregate: aggregate, nodeName: nodeName)
            double = MLLazy { engine }
            float = MLLazy { try TreeEngine<Float>(try rebuild(), aggregate: aggregate, nodeName: nodeName) }
        } else {
            let engine = try TreeEngine<Float>(consume ir, aggregate: aggregate, nodeName: nodeName)
            float = MLLazy { engine }
            double = MLLazy { try TreeEngine<Double>(try rebuild(), aggregate: aggregate, nodeName: nodeName) }
        }
    }

    /// Whether an input of this type is evaluated in float64.
    func usesDouble(_ x: TensorValue) -> Bool { thresholdsDouble || x.dataType == .double }

    /// Checks the input's shape: [N, C] or [C], with C above every feature index.
    func rowsAndColumns(_ x: TensorValue, _ context: RunContext) throws -> (rows: Int, cols: Int) {
        let rc = try mlRowsAndColumns(x, context)
        guard maxFeature < rc.cols else {
            throw context.invalid("the trees read feature \(maxFeature) but the input has \(rc.cols) features")
        }
        return rc
    }
}
