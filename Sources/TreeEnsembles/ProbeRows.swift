/// A row element type the probe rows can be made in, with the values that straddle a
/// split in that type's own precision.
public protocol ProbeScalar: TreeInputScalar {
    /// Values around a numeric split's decision point: on it, and the neighbours of this
    /// type just below and just above it.
    static func straddling(_ split: Split) -> [Self]
}

extension Float: ProbeScalar {
    /// For a float32 threshold t: t and its float32 neighbours. For a float64 threshold:
    /// the float32 values just at or below it and just at or above it (exactly on it
    /// when it is a float32), and their outer neighbours.
    public static func straddling(_ split: Split) -> [Float] {
        switch split.threshold {
        case .float32(let t): return [t.nextDown, t, t.nextUp]
        case .float64(let t):
            let down = ThresholdRounding.float32RoundedDown(t), up = ThresholdRounding.float32RoundedUp(t)
            return [down.nextDown, down, up, up.nextUp]
        }
    }
}

extension Double: ProbeScalar {
    /// For a float64 threshold: t and its float64 neighbours. For a float32 threshold
    /// (compared after rounding the input to float32): the float64 rounding boundary the
    /// decision changes at and its neighbours, and the threshold itself.
    public static func straddling(_ split: Split) -> [Double] {
        switch split.threshold {
        case .float64(let t): return [t.nextDown, t, t.nextUp]
        case .float32(let t):
            let (_, b) = ThresholdRounding.float64Threshold(forFloat32: t, split.comparison)
            return [b.nextDown, b, b.nextUp, Double(t)]
        }
    }
}

extension TreeEnsembleModel {
    /// Synthetic float32 rows that exercise every split: for each split, a row that
    /// reaches it (its ancestors' features set to values that take the path) with the
    /// split's feature exactly on the threshold, at the next float32 below and above
    /// (for float64 thresholds, the float32 values around it), and NaN; for categorical
    /// splits every listed category, the same plus a fraction (2.9 for 2), an unseen
    /// category, -0.5, -1, -1.5, 2^31 and NaN. Features not on the path are 0. Rows
    /// start with an all-zero and an all-NaN row, then take features in turn so that a
    /// cap spreads over features; duplicates are dropped. Deterministic.
    ///
    /// - Parameter limit: the most rows to return (default 4096).
    /// - Throws: the model's validation errors.
    public func probeRows(limit: Int = 4096) throws -> [[Float]] { try probe(limit: limit) }

    /// The float64 probe rows: as `probeRows`, with the float64 neighbours of float64
    /// thresholds and the float64 rounding boundaries of float32 thresholds.
    ///
    /// - Throws: the model's validation errors.
    public func probeRowsFloat64(limit: Int = 4096) throws -> [[Double]] { try probe(limit: limit) }

    /// Probe rows of any `ProbeScalar` type.
    ///
    /// - Throws: the model's validation errors.
    public func probe<T: ProbeScalar>(limit: Int) throws -> [[T]] {
        guard limit > 0 else { try validate(); return [] }   // rows(limit:) validates
        var builder = ProbeBuilder<T>(model: self)
        return try builder.rows(limit: limit)
    }
}

/// Builds the probe rows of one model.
struct ProbeBuilder<T: ProbeScalar> {
    let model: TreeEnsembleModel
    /// A node's parent (-1 for roots and unreachable nodes) and whether the node is
    /// its `yes` child.
    struct ParentLink {
        var parent: Int32
        var yes: Bool
    }
    /// Per tree, per node, built when the tree is first needed (arrays: validated trees
    /// give each node one parent, and this is read for every probe row).
    var parents: [[ParentLink]?]
    /// The validated structures, once `rows` has them.
    var structures: [TreeStructure] = []

    init(model: TreeEnsembleModel) {
        self.model = model
        parents = [[ParentLink]?](repeating: nil, count: model.trees.count)
    }

    struct Task {
        var tree: Int
        var node: Int
        var value: T
    }

    /// The values a categorical split is probed with.
    static func categoricalValues(_ cats: [Int]) -> [T] {
        var out: [T] = []
        let sorted = Set(cats).sorted()
        for c in sorted {
            let d = Double(c)
            out.append(T(d))
            out.append(T(d + 0.9))
        }
        out.append(T(Double((sorted.last ?? 0) + 1)))    // an unseen category
        out.append(contentsOf: [T(-0.5), T(-1), T(-1.5), T(0x1p31)])
        return out
    }

    /// The values a split is probed with, NaN last.
    static func values(_ s: Split, rewrite: TreeEnsembleModel.InputRewrite? = nil) -> [T] {
        var v = s.categories.map(categoricalValues) ?? T.straddling(s)
        let band: Double?
        switch rewrite {
        case .zeroToMissing(let z)?: band = z
        case .toZero(let z, _)?: band = z
        case .nonIntegerToMissing?, nil: band = nil
        }
        if let z = band, z > 0 {
            // Both sides of the zero band: exact zeros, the band's edges, and just beyond.
            v += [T(0), T(-0.0), T(z), T(-z), T(z * 0.5), T(-z * 0.5), T(z * 1.0000001), T(-z * 1.0000001)]
        }
        return v + [T.nan]
    }

    mutating func parentMap(_ t: Int) throws -> [ParentLink] {
        if let p = parents[t] { return p }
        var p = [ParentLink](repeating: ParentLink(parent: -1, yes: false), count: model.trees[t].nodes.count)
        for i in t < structures.count ? structures[t].preorder : try model.structure(ofTree: t).preorder {
            if case .split(let s) = model.trees[t].nodes[i] {
                p[s.yes] = ParentLink(parent: Int32(i), yes: true)
                p[s.no] = ParentLink(parent: Int32(i), yes: false)
            }
        }
        parents[t] = p
        return p
    }

    /// Values for the features constrained by the path to (tree, node), other than
    /// `feature`; nil when no value takes the path (the node cannot be reached).
    mutating func pathValues(tree t: Int, node n: Int, except feature: Int) throws -> [Int: T]? {
        let p = try parentMap(t)
        // The splits above the node, nearest first (a path is short: an array, not a
        // dictionary per call).
        var steps: [(feature: Int, split: Split, yes: Bool)] = []
        var i = n
        var guardSteps = 0
        while p[i].parent >= 0, guardSteps <= model.trees[t].nodes.count {
            let up = p[i]
            if case .split(let s) = model.trees[t].nodes[Int(up.parent)], s.feature != feature { steps.append((s.feature, s, up.yes)) }
            i = Int(up.parent)
            guardSteps += 1
        }
        var out: [Int: T] = [:]
        let rule = model.negativeCategoryRule
        for step in steps where out[step.feature] == nil {
            // The feasible set is an intersection of half-lines and category sets; its
            // edges are these splits' decision points, so their probe values hit it.
            let cs = steps.filter { $0.feature == step.feature }
            var candidates: [T] = [0]
            for c in cs { candidates.append(contentsOf: Self.values(c.split)) }
            guard let v = candidates.first(where: { v in cs.allSatisfy { TreeEnsembleEvaluator.goesYes($0.split, v, negatives: rule) == $0.yes } }) else {
                return nil
            }
            out[step.feature] = v
        }
        return out
    }

    mutating func rows(limit: Int) throws -> [[T]] {
        let F = model.featureCount
        // Tasks per feature: first one node per distinct split (threshold or category
        // set), then the nodes that repeat a split already seen.
        var firstPass = [[Task]](repeating: [], count: F)
        var repeats = [[Task]](repeating: [], count: F)
        // Numeric splits are told apart by their threshold's bits, one set per feature and
        // comparison (hashing one word, for every split of ensembles with hundreds of
        // thousands); categorical splits by the whole key.
        var seenNumeric = [Set<UInt64>](repeating: [], count: F * 4)
        var seenCategorical = Set<SplitKey>()
        // Each task makes at most one row, and rows are taken from the features in
        // turn, so a feature never needs more than about `limit` tasks of each kind:
        // for large ensembles (hundreds of thousands of splits) the rest is not built.
        let cap = limit + 64
        structures = try model.validatedStructures()
        for (t, structure) in structures.enumerated() {
            for i in structure.preorder {
                guard case .split(let s) = model.trees[t].nodes[i] else { continue }
                let f = s.feature
                if firstPass[f].count >= cap && repeats[f].count >= cap { continue }
                let isNew: Bool
                if s.categories == nil {
                    let key = SplitKey(s)
                    isNew = seenNumeric[f * 4 + key.kind - 1].insert(key.bits).inserted
                } else {
                    isNew = seenCategorical.insert(SplitKey(s)).inserted
                }
                if isNew ? firstPass[f].count >= cap : repeats[f].count >= cap { continue }
                let tasks = Self.values(s, rewrite: model.inputRewrites[f]).map { Task(tree: t, node: i, value: $0) }
                if isNew { firstPass[f] += tasks } else { repeats[f] += tasks }
            }
        }
        let tasks = (0..<F).map { firstPass[$0] + repeats[$0] }

        var out: [[T]] = []
        var keys = Set<[UInt64]>()
        func add(_ row: [T]) {
            guard out.count < limit else { return }
            if keys.insert(row.map { UInt64($0.float64Value.bitPattern) }).inserted { out.append(row) }
        }
        add([T](repeating: 0, count: F))
        add([T](repeating: .nan, count: F))

        var cursor = [Int](repeating: 0, count: F)
        var cached: (tree: Int, node: Int, values: [Int: T]?)?
        var progress = true
        while out.count < limit && progress {
            progress = false
            for f in 0..<F where out.count < limit {
                // The next task of this feature whose node can be reached.
                while cursor[f] < tasks[f].count {
                    let task = tasks[f][cursor[f]]
                    cursor[f] += 1
                    let path: [Int: T]?
                    if let c = cached, c.tree == task.tree, c.node == task.node {
                        path = c.values
                    } else {
                        path = try pathValues(tree: task.tree, node: task.node, except: f)
                        cached = (task.tree, task.node, path)
                    }
                    guard let values = path else { continue }
                    var row = [T](repeating: 0, count: F)
                    for (g, v) in values { row[g] = v }
                    row[f] = task.value
                    add(row)
                    progress = true
                    break
                }
            }
        }
        return out
    }
}

/// What makes two splits probe the same values.
struct SplitKey: Hashable {
    var feature: Int
    var kind: Int
    var bits: UInt64
    var categories: [Int]

    init(_ s: Split) {
        feature = s.feature
        categories = s.categories.map { Set($0).sorted() } ?? []
        switch (s.categories, s.threshold, s.comparison) {
        case (.some, _, _): kind = 0; bits = 0
        case (nil, .float32(let t), let c): kind = c == .lessThan ? 1 : 2; bits = UInt64(t.bitPattern)
        case (nil, .float64(let t), let c): kind = c == .lessThan ? 3 : 4; bits = t.bitPattern
        }
    }
}
