import Foundation

/// A class label as a classifier predicts it.
public enum ClassLabel: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// An integer label.
    case integer(Int64)
    /// A string label.
    case string(String)

    /// The label as text.
    public var description: String {
        switch self {
        case .integer(let v): return String(v)
        case .string(let s): return s
        }
    }
}

/// What the evaluator computes for one row.
public struct TreeEnsemblePrediction: Sendable, Equatable {
    /// Per tree, the index (into `Tree.nodes`) of the leaf the row reached.
    public var leaves: [Int]
    /// The margins: tree outputs summed (or averaged) per column, base scores added;
    /// `marginCount` values.
    public var margins: [Double]
    /// The transformed margins: the predictions of a regression model, the scores of a
    /// scores model, the class probabilities of a classifier (for a binary classifier
    /// with one margin, `[1 - p, p]`).
    public var values: [Double]
    /// For a classifier, the index of the predicted class: the first largest probability.
    public var classIndex: Int?
    /// For a classifier, the predicted label.
    public var label: ClassLabel?
}

/// The predictions of many rows, row-major (`TreeEnsembleEvaluator.predictBatch`).
public struct TreeEnsembleBatchPrediction: Sendable, Equatable {
    /// Rows predicted.
    public let rowCount: Int
    /// Trees per row.
    public let treeCount: Int
    /// Values per row (`TreeEnsembleModel.outputColumnCount`).
    public let valueWidth: Int
    /// `[row][tree]`: the index (into `Tree.nodes`) of the leaf reached.
    public let leafIndices: [Int32]
    /// `[row][column]`: the values, as `TreeEnsemblePrediction.values`.
    public let values: [Double]
    /// Per row, the predicted class index of a classifier, or -1.
    public let classIndices: [Int]

    /// The leaf row `row` reached in tree `tree`.
    public func leaf(row: Int, tree: Int) -> Int { Int(leafIndices[row * treeCount + tree]) }
    /// Value `column` of row `row`.
    public func value(row: Int, column: Int) -> Double { values[row * valueWidth + column] }
    /// The class index of row `row`, for classifiers.
    public func classIndex(row: Int) -> Int? { classIndices[row] < 0 ? nil : classIndices[row] }
}

/// A row element the evaluator accepts: float32 or float64.
public protocol TreeInputScalar: BinaryFloatingPoint, Sendable {
    /// The value rounded to float32 (to nearest, ties to even), as XGBoost reads input.
    var float32Value: Float { get }
    /// The value as float64 (exact for float32).
    var float64Value: Double { get }
}

extension Float: TreeInputScalar {
    /// The value itself.
    public var float32Value: Float { self }
    /// The value widened, exactly.
    public var float64Value: Double { Double(self) }
}

extension Double: TreeInputScalar {
    /// The value rounded to the nearest float32.
    public var float32Value: Float { Float(self) }
    /// The value itself.
    public var float64Value: Double { self }
}

/// The native evaluator of a `TreeEnsembleModel`: a second, independent
/// implementation that every ONNX conversion is compared with.
///
/// Each split is followed in the source's own number type and comparison: a float32
/// threshold (XGBoost) is compared with the feature rounded to float32, a float64
/// threshold (LightGBM, scikit-learn) with the feature as float64. NaN goes where
/// `missingGoesToYes` says. Categorical splits truncate the feature toward zero and go
/// `yes` for a listed category; negative and absent codes go `no`. Margins are
/// accumulated in float64, in tree order.
public struct TreeEnsembleEvaluator: Sendable {
    /// The model evaluated (validated).
    public let model: TreeEnsembleModel
    /// Per tree, whether its leaves are vectors.
    let vectorTree: [Bool]
    /// Per tree and node, the category set of a categorical split.
    let categorySets: [[Int: Set<Int>]]
    /// Per margin column, how many trees add to it (the divisor of `.average`).
    public let treesPerColumn: [Int]
    /// Every tree's nodes, flattened for the walk (tree t's node i is at
    /// `treeOffsets[t] + i`); the same decisions as `goesYes`, without copying a
    /// `Split` (and retaining its category array) at every step.
    let flat: [FlatNode]
    /// Where each tree's nodes start in `flat`.
    let treeOffsets: [Int]
    /// Category sets of categorical splits, indexed by `FlatNode.categories`.
    let flatCategories: [Set<Int>]
    /// Per tree, the most splits on a path from the root to a leaf.
    let treeDepths: [Int]
    /// Per tree, whether its deepest leaf lies well below its average leaf (leaf-wise
    /// growth): its walks stop at leaves instead of taking `treeDepths` steps.
    let treeToLeaves: [Bool]
    /// Per tree, the one comparison all its splits make, or nil (mixed, or categorical):
    /// such a tree is walked without dispatching on each node's kind.
    let treeComparisons: [FlatNode.Kind?]
    /// Per flattened node, where its leaf values start in `flatLeafValues` (-1 for a
    /// split): margins are summed without touching the model's node enums.
    let flatLeafStart: [Int32]
    /// Every leaf's values, in node order.
    let flatLeafValues: [Double]
    /// Per tree, the margin column it adds to (scalar leaves).
    let treeTargets: [Int]

    /// One node as the walk reads it.
    struct FlatNode {
        enum Kind: UInt8 { case leaf, float32Less, float32LessOrEqual, float64Less, float64LessOrEqual, categorical }
        var kind: Kind
        var missingGoesToYes: Bool
        var feature: Int32
        var yes: Int32
        var no: Int32
        var categories: Int32
        var threshold32: Float
        var threshold64: Double
    }

    /// Validates the model and prepares it for evaluation.
    ///
    /// - Throws: the `TreeEnsembleError` of `TreeEnsembleModel.validate()`.
    public init(_ model: TreeEnsembleModel) throws {
        let structures = try model.validatedStructures()
        self.model = model
        var vector: [Bool] = []
        var depths: [Int] = [], toLeaves: [Bool] = []
        var sets: [[Int: Set<Int>]] = []
        var perColumn = [Int](repeating: 0, count: model.marginCount)
        for t in model.trees.indices {
            let s = structures[t]
            vector.append(s.vectorLeaves)
            var treeSets: [Int: Set<Int>] = [:]
            for i in s.preorder {
                if case .split(let split) = model.trees[t].nodes[i], let cats = split.categories { treeSets[i] = Set(cats) }
            }
            sets.append(treeSets)
            // Depth: preorder visits parents first, so one pass gives every node's depth.
            var depthOf = [Int](repeating: 0, count: model.trees[t].nodes.count)
            var deepest = 0, leafDepthSum = 0, leaves = 0
            for i in s.preorder {
                if case .split(let split) = model.trees[t].nodes[i] {
                    let d = depthOf[i] + 1
                    depthOf[split.yes] = d
                    depthOf[split.no] = d
                    deepest = max(deepest, d)
                } else {
                    leafDepthSum += depthOf[i]
                    leaves += 1
                }
            }
            depths.append(deepest)
            toLeaves.append(leaves > 0 && Double(deepest) > Double(leafDepthSum) / Double(leaves) + 2)
            if s.vectorLeaves {
                for c in perColumn.indices { perColumn[c] += 1 }
            } else {
                perColumn[model.trees[t].target] += 1
            }
        }
        vectorTree = vector
        treeDepths = depths
        treeToLeaves = toLeaves
        categorySets = sets
        treesPerColumn = perColumn
        var flat: [FlatNode] = [], offsets: [Int] = [], catSets: [Set<Int>] = []
        flat.reserveCapacity(model.trees.reduce(0) { $0 + $1.nodes.count })
        var comparisons: [FlatNode.Kind?] = []
        var leafStart: [Int32] = [], leafValues: [Double] = []
        leafStart.reserveCapacity(flat.capacity)
        for tree in model.trees {
            offsets.append(flat.count)
            var comparison: FlatNode.Kind? = .leaf
            for (index, node) in tree.nodes.enumerated() {
                if case .leaf(let values) = node {
                    leafStart.append(Int32(clamping: leafValues.count))
                    leafValues.append(contentsOf: values)
                } else {
                    leafStart.append(-1)
                }
                switch node {
                case .leaf:
                    // Both children the leaf itself: a walk that reaches it stays, whichever
                    // way its (unused) comparison of feature 0 goes.
                    let me = Int32(clamping: index)
                    flat.append(FlatNode(kind: .leaf, missingGoesToYes: false, feature: 0, yes: me, no: me, categories: -1, threshold32: 0, threshold64: 0))
                case .split(let sp):
                    // Validation bounds these for the nodes a walk reaches (features below
                    // featureCount <= Int32.max, children below the node count); a node no
                    // root reaches is never walked and may hold anything (an unreachable node
                    // of a fuzzed sklearn tree, its feature beyond 32 bits, trapped here).
                    var n = FlatNode(kind: .leaf, missingGoesToYes: sp.missingGoesToYes, feature: Int32(clamping: sp.feature), yes: Int32(clamping: sp.yes),
                                     no: Int32(clamping: sp.no), categories: -1, threshold32: 0, threshold64: 0)
                    if let cats = sp.categories {
                        n.kind = .categorical
                        n.categories = Int32(catSets.count)
                        catSets.append(Set(cats))
                    } else {
                        switch (sp.threshold, sp.comparison) {
                        case (.float32(let t), .lessThan): n.kind = .float32Less; n.threshold32 = t
                        case (.float32(let t), .lessOrEqual): n.kind = .float32LessOrEqual; n.threshold32 = t
                        case (.float64(let t), .lessThan): n.kind = .float64Less; n.threshold64 = t
                        case (.float64(let t), .lessOrEqual): n.kind = .float64LessOrEqual; n.threshold64 = t
                        }
                    }
                    flat.append(n)
                    if comparison == .leaf { comparison = n.kind } else if comparison != n.kind { comparison = nil }
                }
            }
            comparisons.append(comparison == .categorical ? nil : comparison)
        }
        self.flat = flat
        treeOffsets = offsets
        treeComparisons = comparisons
        flatLeafStart = leafStart
        flatLeafValues = leafValues
        treeTargets = model.trees.map(\.target)
        flatCategories = catSets
    }

    // MARK: - Splits

    /// Whether a row with `x` in the split's feature goes `yes`.
    ///
    /// - Parameters:
    ///   - split: the split.
    ///   - x: the feature's value.
    ///   - categories: the split's category set (for categorical splits; read from the
    ///     split when nil).
    ///   - negatives: how a categorical split reads values in (-1, 0).
    public static func goesYes<T: TreeInputScalar>(_ split: Split, _ x: T, categories: Set<Int>? = nil,
                                                   negatives: TreeEnsembleModel.NegativeCategoryRule = .truncateTowardZero) -> Bool {
        if x.isNaN { return split.missingGoesToYes }
        if let cats = split.categories {
            guard let code = categoryCode(x.float64Value, negatives: negatives) else { return false }
            if let categories { return categories.contains(code) }
            return cats.contains(code)
        }
        switch (split.threshold, split.comparison) {
        case (.float32(let t), .lessThan): return x.float32Value < t
        case (.float32(let t), .lessOrEqual): return x.float32Value <= t
        case (.float64(let t), .lessThan): return x.float64Value < t
        case (.float64(let t), .lessOrEqual): return x.float64Value <= t
        }
    }

    /// The category code of a value: truncated toward zero; nil for NaN, for values
    /// that truncate below zero (with `.noCategory`, for every value below zero), and
    /// for values of 2^31 or more (no category).
    public static func categoryCode(_ v: Double, negatives: TreeEnsembleModel.NegativeCategoryRule = .truncateTowardZero) -> Int? {
        let inRange = negatives == .truncateTowardZero ? v > -1 : v >= 0     // NaN fails both
        guard inRange, v < 2147483648.0 else { return nil }
        return Int(v.rounded(.towardZero))
    }

    // MARK: - Rows

    /// The leaf each tree reaches for `row`, by tree.
    ///
    /// - Throws: `TreeEnsembleError.rowWidth` when the row does not have `featureCount` values.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func leaves<T: TreeInputScalar>(_ row: [T], rowIndex: Int = 0) throws -> [Int] {
        guard row.count == model.featureCount else {
            throw TreeEnsembleError.rowWidth(row: rowIndex, count: row.count, featureCount: model.featureCount)
        }
        var out = [Int](repeating: 0, count: model.trees.count)
        let row = rewritten(row)
        flat.withUnsafeBufferPointer { nodes in
            row.withUnsafeBufferPointer { x in
                for t in 0..<treeOffsets.count { out[t] = walk(nodes, from: treeOffsets[t], x) }
            }
        }
        return out
    }

    /// The leaf (node index within its tree) a row reaches in the tree whose nodes start
    /// at `base`. Validated models end at a leaf within the tree's node count.
    @inline(__always)
    func walk<T: TreeInputScalar>(_ nodes: UnsafeBufferPointer<FlatNode>, from base: Int, _ row: UnsafeBufferPointer<T>) -> Int {
        var i: Int32 = 0
        while true {
            let next = step(nodes, base, i, row.baseAddress!)
            if next == i { return Int(i) }
            i = next
        }
    }

    /// The row after the model's input rewrites (near-zero values read as 0 or as
    /// missing, NaN read as 0).
    func rewritten<T: TreeInputScalar>(_ row: [T]) -> [T] {
        if model.inputRewrites.isEmpty { return row }
        var r = row
        for (f, rule) in model.inputRewrites where f < r.count {
            switch rule {
            case .toZero(let z, let nan): if (nan && r[f].isNaN) || abs(r[f].float64Value) <= z { r[f] = 0 }
            case .zeroToMissing(let z): if abs(r[f].float64Value) <= z { r[f] = .nan }
            case .nonIntegerToMissing: if r[f].float64Value.rounded(.down) != r[f].float64Value { r[f] = .nan }
            }
        }
        return r
    }

    /// One step from node `i`: the child the row goes to, or `i` itself at a leaf (a
    /// split never has itself as a child: validation rules out cycles).
    @inline(__always)
    func step<T: TreeInputScalar>(_ nodes: UnsafeBufferPointer<FlatNode>, _ base: Int, _ i: Int32, _ row: UnsafePointer<T>) -> Int32 {
        let n = nodes[base + Int(i)]
        let yes: Bool
        switch n.kind {
        case .leaf: return i
        case .float32Less: let x = row[Int(n.feature)]; yes = x.isNaN ? n.missingGoesToYes : x.float32Value < n.threshold32
        case .float32LessOrEqual: let x = row[Int(n.feature)]; yes = x.isNaN ? n.missingGoesToYes : x.float32Value <= n.threshold32
        case .float64Less: let x = row[Int(n.feature)]; yes = x.isNaN ? n.missingGoesToYes : x.float64Value < n.threshold64
        case .float64LessOrEqual: let x = row[Int(n.feature)]; yes = x.isNaN ? n.missingGoesToYes : x.float64Value <= n.threshold64
        case .categorical:
            let x = row[Int(n.feature)]
            if x.isNaN { yes = n.missingGoesToYes } else if let code = Self.categoryCode(x.float64Value, negatives: model.negativeCategoryRule) {
                yes = flatCategories[Int(n.categories)].contains(code)
            } else { yes = false }
        }
        return yes ? n.yes : n.no
    }

    /// The leaves of many rows, `[row][tree]`, walked tree by tree so that each tree's
    /// nodes stay in cache while every row passes through it (row by row, a large
    /// ensemble misses the cache at almost every step).
    ///
    /// - Throws: `TreeEnsembleError.rowWidth` naming the first bad row.
    public func leaves<T: TreeInputScalar>(rows: [[T]]) throws -> [[Int]] {
        for (r, row) in rows.enumerated() where row.count != model.featureCount {
            throw TreeEnsembleError.rowWidth(row: r, count: row.count, featureCount: model.featureCount)
        }
        // Concrete element types, so that the walk is compiled for each (a generic walk
        // pays a witness call per node).
        let table = leafTable(rows)
        let trees = treeOffsets.count
        return (0..<rows.count).map { r in (0..<trees).map { Int(table[r * trees + $0]) } }
    }

    /// The row-major `[row][tree]` leaf table of rows already checked for width.
    func leafTable<T: TreeInputScalar>(_ rows: [[T]]) -> [Int32] {
        if T.self == Float.self { return walkRows(unsafeBitCast(rows, to: [[Float]].self)) }
        if T.self == Double.self { return walkRows(unsafeBitCast(rows, to: [[Double]].self)) }
        return walkRows(rows)
    }

    @inline(__always)
    func walkRows<T: TreeInputScalar>(_ rows: [[T]]) -> [Int32] {
        if rows.isEmpty || treeOffsets.isEmpty { return [] }
        let trees = treeOffsets.count
        let width = model.featureCount
        // One row-major block, allocated once (flatMap grows it by doubling).
        var values: [T] = []
        values.reserveCapacity(rows.count * width)
        for row in rows { values.append(contentsOf: model.inputRewrites.isEmpty ? row : rewritten(row)) }
        var byTree = [Int32](repeating: 0, count: trees * rows.count)
        let blockRows = 256
        let blocks = (rows.count + blockRows - 1) / blockRows
        flat.withUnsafeBufferPointer { nodes in
            values.withUnsafeBufferPointer { x in
                byTree.withUnsafeMutableBufferPointer { outBuffer in
                    let out = outBuffer.baseAddress!
                    let p = x.baseAddress!
                    // Blocks of rows on every core; each block writes only its own rows.
                    DispatchQueue.concurrentPerform(iterations: blocks) { block in
                        let start = block * blockRows, end = min(rows.count, start + blockRows)
                        for t in 0..<trees {
                            let base = treeOffsets[t], depth = treeDepths[t]
                            // A tree of one comparison needs no per-node dispatch.
                            let rows = (start, end, width, trees, t)
                            switch treeComparisons[t] {
                            case .float32Less?:
                                Self.lockstep(nodes, base, depth, treeToLeaves[t], p, out, rows) { x, n in x.float32Value < n.threshold32 }
                                continue
                            case .float32LessOrEqual?:
                                Self.lockstep(nodes, base, depth, treeToLeaves[t], p, out, rows) { x, n in x.float32Value <= n.threshold32 }
                                continue
                            case .float64Less?:
                                Self.lockstep(nodes, base, depth, treeToLeaves[t], p, out, rows) { x, n in x.float64Value < n.threshold64 }
                                continue
                            case .float64LessOrEqual?:
                                Self.lockstep(nodes, base, depth, treeToLeaves[t], p, out, rows) { x, n in x.float64Value <= n.threshold64 }
                                continue
                            default: break
                            }
                            // Four rows in lockstep: their walks are independent, so the
                            // CPU overlaps the node loads (leaves step to themselves).
                            var r = start
                            while r + 4 <= end {
                                let p0 = p + r * width, p1 = p0 + width, p2 = p1 + width, p3 = p2 + width
                                var n0: Int32 = 0, n1: Int32 = 0, n2: Int32 = 0, n3: Int32 = 0
                                for _ in 0..<depth {
                                    n0 = step(nodes, base, n0, p0); n1 = step(nodes, base, n1, p1)
                                    n2 = step(nodes, base, n2, p2); n3 = step(nodes, base, n3, p3)
                                }
                                out[r * trees + t] = n0; out[(r + 1) * trees + t] = n1
                                out[(r + 2) * trees + t] = n2; out[(r + 3) * trees + t] = n3
                                r += 4
                            }
                            while r < end {
                                out[r * trees + t] = Int32(walk(nodes, from: base, UnsafeBufferPointer(start: p + r * width, count: width)))
                                r += 1
                            }
                        }
                    }
                }
            }
        }
        return byTree
    }

    /// Walks rows `start..<end` through one tree all of whose splits compare with
    /// `less` (NaN goes where the node says), four rows in lockstep for `depth` steps
    /// and without branches: a leaf's children are itself, so a finished walk stays put.
    /// With `toLeaves` (leaf-wise trees, whose deepest leaf is far below most paths) the
    /// four stop once all stand on leaves.
    @inline(__always)
    static func lockstep<T: TreeInputScalar>(_ nodes: UnsafeBufferPointer<FlatNode>, _ base: Int, _ depth: Int, _ toLeaves: Bool, _ p: UnsafePointer<T>,
                                             _ out: UnsafeMutablePointer<Int32>, _ rows: (start: Int, end: Int, width: Int, trees: Int, tree: Int),
                                             _ less: (T, FlatNode) -> Bool) {
        let tree = nodes.baseAddress! + base
        @inline(__always) func next(_ i: Int32, _ row: UnsafePointer<T>) -> Int32 {
            let n = tree[Int(i)]
            let x = row[Int(n.feature)]
            let yes = less(x, n) != (x.isNaN && n.missingGoesToYes)   // both can't hold: NaN compares false
            return yes ? n.yes : n.no
        }
        let width = rows.width, trees = rows.trees, t = rows.tree
        var r = rows.start
        while r + 4 <= rows.end {
            let p0 = p + r * width, p1 = p0 + width, p2 = p1 + width, p3 = p2 + width
            var n0: Int32 = 0, n1: Int32 = 0, n2: Int32 = 0, n3: Int32 = 0
            if toLeaves {
                for s in 0..<depth {
                    n0 = next(n0, p0); n1 = next(n1, p1); n2 = next(n2, p2); n3 = next(n3, p3)
                    // All four on leaves (kind 0), checked every other step.
                    if s & 1 == 1, tree[Int(n0)].kind.rawValue | tree[Int(n1)].kind.rawValue | tree[Int(n2)].kind.rawValue | tree[Int(n3)].kind.rawValue == 0 { break }
                }
            } else {
                for _ in 0..<depth { n0 = next(n0, p0); n1 = next(n1, p1); n2 = next(n2, p2); n3 = next(n3, p3) }
            }
            out[r * trees + t] = n0; out[(r + 1) * trees + t] = n1
            out[(r + 2) * trees + t] = n2; out[(r + 3) * trees + t] = n3
            r += 4
        }
        while r < rows.end {
            var n: Int32 = 0
            for _ in 0..<depth where tree[Int(n)].kind != .leaf { n = next(n, p + r * width) }
            out[r * trees + t] = n
            r += 1
        }
    }

    /// The prediction for one row of float32 features.
    ///
    /// - Throws: `TreeEnsembleError.rowWidth`.
    public func predict(_ row: [Float]) throws -> TreeEnsemblePrediction { try predictRow(row, index: 0) }

    /// The prediction for one row of float64 features.
    ///
    /// - Throws: `TreeEnsembleError.rowWidth`.
    public func predict(_ row: [Double]) throws -> TreeEnsemblePrediction { try predictRow(row, index: 0) }

    /// The prediction for one row of either element type; `rowIndex` only names the row
    /// in errors.
    ///
    /// - Throws: `TreeEnsembleError.rowWidth`.
    public func predict<T: TreeInputScalar>(_ row: [T], rowIndex: Int) throws -> TreeEnsemblePrediction {
        try predictRow(row, index: rowIndex)
    }

    /// The predictions for rows of float32 or float64 features (walked tree by tree).
    ///
    /// - Throws: `TreeEnsembleError.rowWidth` naming the first bad row.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func predict<T: TreeInputScalar>(rows: [[T]]) throws -> [TreeEnsemblePrediction] {
        try leaves(rows: rows).map { prediction(leaves: $0) }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func predictRow<T: TreeInputScalar>(_ row: [T], index: Int) throws -> TreeEnsemblePrediction {
        prediction(leaves: try leaves(row, rowIndex: index))
    }

    /// The prediction of a row that reached `leaves` (one per tree).
    func prediction(leaves: [Int]) -> TreeEnsemblePrediction {
        let (margins, values, classIndex) = outputs { leaves[$0] }
        var label: ClassLabel?
        if let best = classIndex, case .classification(let labels) = model.task {
            switch labels {
            case .integers(let a): label = .integer(a[best])
            case .strings(let a): label = .string(a[best])
            }
        }
        return TreeEnsemblePrediction(leaves: leaves, margins: margins, values: values, classIndex: classIndex, label: label)
    }

    /// Margins, values and class index of a row whose leaf in tree t is `leafOf(t)`.
    @inline(__always)
    func outputs(leafOf: (Int) -> Int) -> (margins: [Double], values: [Double], classIndex: Int?) {
        let width = model.marginCount
        var margins = [Double](repeating: 0, count: width)
        for t in 0..<treeOffsets.count {
            let start = Int(flatLeafStart[treeOffsets[t] + leafOf(t)])
            guard start >= 0 else { continue }
            if vectorTree[t] {
                for c in 0..<width { margins[c] += flatLeafValues[start + c] }
            } else {
                margins[treeTargets[t]] += flatLeafValues[start]
            }
        }
        if model.aggregation == .average {
            for c in 0..<width where treesPerColumn[c] > 0 { margins[c] /= Double(treesPerColumn[c]) }
        }
        for c in 0..<min(width, model.baseScores.count) { margins[c] += model.baseScores[c] }
        var values = Self.apply(model.transform, margins)
        var classIndex: Int?
        if case .classification = model.task {
            if model.binaryFromSingleMargin { values = [1 - values[0], values[0]] }
            var best = 0
            for j in values.indices where values[j] > values[best] { best = j }
            classIndex = best
        }
        return (margins, values, classIndex)
    }

    /// The predictions of many rows, stored flat (no arrays per row): what verification
    /// compares on thousands of rows of large ensembles.
    ///
    /// - Throws: `TreeEnsembleError.rowWidth` naming the first bad row.
    public func predictBatch<T: TreeInputScalar>(rows: [[T]]) throws -> TreeEnsembleBatchPrediction {
        for (r, row) in rows.enumerated() where row.count != model.featureCount {
            throw TreeEnsembleError.rowWidth(row: r, count: row.count, featureCount: model.featureCount)
        }
        let table = leafTable(rows)
        let trees = treeOffsets.count
        let width = model.outputColumnCount
        var values: [Double] = []
        values.reserveCapacity(rows.count * width)
        var classes = [Int](repeating: -1, count: rows.count)
        for r in 0..<rows.count {
            let o = outputs { Int(table[r * trees + $0]) }
            values.append(contentsOf: o.values)
            if let c = o.classIndex { classes[r] = c }
        }
        return TreeEnsembleBatchPrediction(rowCount: rows.count, treeCount: trees, valueWidth: width, leafIndices: table,
                                           values: values, classIndices: classes)
    }

    /// Applies a transform to one row of margins, in float64.
    public static func apply(_ transform: TreeEnsembleModel.Transform, _ m: [Double]) -> [Double] {
        switch transform {
        case .identity: return m
        case .logistic(let s), .perClassLogistic(let s): return m.map { 1 / (1 + Foundation.exp(-s * $0)) }
        case .exp: return m.map { Foundation.exp($0) }
        case .step: return m.map { $0 > 0 ? 1 : 0 }
        case .softplus: return m.map { Foundation.log1p(Foundation.exp($0)) }
        case .signedSquare: return m.map { $0 * abs($0) }
        case .softmax:
            guard let top = m.max() else { return m }
            let e = m.map { Foundation.exp($0 - top) }
            let sum = e.reduce(0, +)
            return e.map { $0 / sum }
        }
    }
}
