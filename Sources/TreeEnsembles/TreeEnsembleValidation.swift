extension TreeEnsembleModel {
    /// The number of margin columns the trees add to: the targets of a regression or
    /// scores model; for a classifier one per class, or 1 when `binaryFromSingleMargin`.
    public var marginCount: Int {
        switch task {
        case .regression(let t), .scores(let t): return t
        case .classification(let labels): return binaryFromSingleMargin ? 1 : labels.count
        }
    }

    /// The number of output columns: the margin count, except that a binary classifier
    /// with one margin has two probability columns.
    public var outputColumnCount: Int {
        if case .classification(let labels) = task { return labels.count }
        return marginCount
    }

    /// Checks that the model is well formed: a feature count of at least 1, a
    /// consistent task and transform, base scores (none, or one per margin column),
    /// and for every tree the nodes reachable from its root: children in range, no
    /// cycles and no node with two parents, features below `featureCount`, numeric
    /// thresholds not NaN, categories in 0 ..< 2^31, leaves of width 1 or
    /// `marginCount` (the same width within a tree) holding finite values.
    ///
    /// - Throws: the first `TreeEnsembleError` found.
    public func validate() throws { _ = try validatedStructures() }

    /// Validates the model and returns every tree's structure (one pass over the nodes,
    /// shared by the lowering and the emitter instead of each walking again).
    func validatedStructures() throws -> [TreeStructure] {
        if let known = structureMemo.value { return known }
        let structures = try checkedStructures()
        structureMemo.value = structures
        return structures
    }

    private func checkedStructures() throws -> [TreeStructure] {
        // At most Int32.max: the evaluator keeps feature indices in 32 bits (a fitted
        // attribute claiming more trapped there; Fixtures/fuzz-regressions/sklearn).
        guard featureCount >= 1, featureCount <= Int(Int32.max) else { throw TreeEnsembleError.invalidFeatureCount(featureCount) }
        if let names = featureNames, names.count != featureCount {
            throw TreeEnsembleError.featureNameCount(count: names.count, featureCount: featureCount)
        }
        switch task {
        case .regression(let t), .scores(let t):
            guard t >= 1 else { throw TreeEnsembleError.invalidTask(reason: "\(t) targets; a model has at least 1") }
            if binaryFromSingleMargin {
                throw TreeEnsembleError.invalidTask(reason: "binaryFromSingleMargin is only for binary classifiers")
            }
        case .classification(let labels):
            guard labels.count >= 1 else { throw TreeEnsembleError.invalidTask(reason: "a classifier needs at least one class label") }
            switch labels {
            case .integers(let a): if Set(a).count != a.count { throw TreeEnsembleError.invalidTask(reason: "class labels \(a) repeat a label") }
            case .strings(let a): if Set(a).count != a.count { throw TreeEnsembleError.invalidTask(reason: "class labels \(a) repeat a label") }
            }
            if binaryFromSingleMargin && labels.count != 2 {
                throw TreeEnsembleError.invalidTask(reason: "binaryFromSingleMargin needs exactly 2 class labels, not \(labels.count)")
            }
        }
        switch transform {
        case .logistic(let s), .perClassLogistic(let s):
            guard s.isFinite, s != 0 else { throw TreeEnsembleError.invalidTransform(reason: "the logistic scale is \(s); it must be finite and non-zero") }
        case .softmax:
            if binaryFromSingleMargin {
                throw TreeEnsembleError.invalidTransform(reason: "softmax of a single margin is always 1; a binary classifier with one margin uses logistic")
            }
        case .identity, .exp, .step, .softplus, .signedSquare: break
        }
        let width = marginCount
        guard baseScores.isEmpty || baseScores.count == width else {
            throw TreeEnsembleError.baseScoreCount(count: baseScores.count, expected: width)
        }
        for (i, v) in baseScores.enumerated() where !v.isFinite { throw TreeEnsembleError.invalidBaseScore(index: i, value: v) }
        for (f, r) in inputRewrites {
            guard f >= 0, f < featureCount else { throw TreeEnsembleError.invalidTask(reason: "an input rewrite names feature \(f), outside the \(featureCount) features") }
            let z: Double
            switch r {
            case .toZero(let t, _): z = t
            case .zeroToMissing(let t): z = t
            case .nonIntegerToMissing: continue
            }
            if !(z >= 0 && z.isFinite) {
                throw TreeEnsembleError.invalidTask(reason: "the zero threshold of feature \(f) is \(z); it must be finite and not negative")
            }
        }
        return try trees.indices.map { try structure(ofTree: $0) }
    }

    /// The reachable nodes of tree `t` in preorder (`yes` before `no`), after checking
    /// them, and whether the tree's leaves are vectors.
    func structure(ofTree t: Int) throws -> TreeStructure {
        let tree = trees[t]
        let nodes = tree.nodes
        guard !nodes.isEmpty else { throw TreeEnsembleError.emptyTree(tree: t) }
        let width = marginCount
        guard tree.target >= 0, tree.target < width else {
            throw TreeEnsembleError.targetOutOfRange(tree: t, target: tree.target, columns: width)
        }
        // 0 unvisited, 1 entered and not finished (the current path), 2 finished,
        // 3 pushed and not yet entered.
        var state = [UInt8](repeating: 0, count: nodes.count)
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        var leafWidth: Int?
        // (node, whether this is the marker that finishes it)
        var stack: [(Int, Bool)] = [(0, false)]
        state[0] = 3
        while let (i, finishing) = stack.popLast() {
            if finishing { state[i] = 2; continue }
            state[i] = 1
            order.append(i)
            switch nodes[i] {
            case .leaf(let values):
                guard values.count == 1 || values.count == width else {
                    throw TreeEnsembleError.leafWidth(tree: t, node: i, width: values.count, columns: width)
                }
                if let w = leafWidth, w != values.count { throw TreeEnsembleError.mixedLeafWidths(tree: t, node: i) }
                leafWidth = values.count
                for v in values where !v.isFinite { throw TreeEnsembleError.invalidLeafValue(tree: t, node: i, value: v) }
                state[i] = 2
            case .split(let s):
                guard s.feature >= 0, s.feature < featureCount else {
                    throw TreeEnsembleError.featureOutOfRange(tree: t, node: i, feature: s.feature, featureCount: featureCount)
                }
                if let cats = s.categories {
                    for c in cats where c < 0 || c > Int(Int32.max) { throw TreeEnsembleError.invalidCategory(tree: t, node: i, category: c) }
                } else {
                    switch s.threshold {
                    case .float32(let v): if v.isNaN { throw TreeEnsembleError.invalidThreshold(tree: t, node: i, threshold: Double(v)) }
                    case .float64(let v): if v.isNaN { throw TreeEnsembleError.invalidThreshold(tree: t, node: i, threshold: v) }
                    }
                }
                // Two calls, not a loop over a literal array: this runs for every node
                // of every tree, several times per conversion.
                func claim(_ c: Int, _ field: String) throws {
                    guard c >= 0, c < nodes.count else {
                        throw TreeEnsembleError.childOutOfRange(tree: t, node: i, field: field, child: c, nodeCount: nodes.count)
                    }
                    if state[c] == 1 { throw TreeEnsembleError.cycle(tree: t, node: c) }
                    if state[c] != 0 { throw TreeEnsembleError.sharedNode(tree: t, node: c) }
                    state[c] = 3
                }
                try claim(s.yes, "yes")
                try claim(s.no, "no")
                // The finishing marker below the children; `no` below `yes` so that
                // `yes` is entered first (preorder, yes before no).
                stack.append((i, true))
                stack.append((s.no, false))
                stack.append((s.yes, false))
            }
        }
        return TreeStructure(preorder: order, vectorLeaves: width > 1 && leafWidth == width)
    }
}

/// The reachable nodes of one tree, checked.
struct TreeStructure {
    /// Reachable node indices in preorder, `yes` before `no`; `preorder[0]` is the root.
    var preorder: [Int]
    /// True when the tree's leaves hold one value per margin column.
    var vectorLeaves: Bool
}
