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

    /// Validates the model and prepares it for evaluation.
    ///
    /// - Throws: the `TreeEnsembleError` of `TreeEnsembleModel.validate()`.
    public init(_ model: TreeEnsembleModel) throws {
        try model.validate()
        self.model = model
        var vector: [Bool] = []
        var sets: [[Int: Set<Int>]] = []
        var perColumn = [Int](repeating: 0, count: model.marginCount)
        for t in model.trees.indices {
            let s = try model.structure(ofTree: t)
            vector.append(s.vectorLeaves)
            var treeSets: [Int: Set<Int>] = [:]
            for i in s.preorder {
                if case .split(let split) = model.trees[t].nodes[i], let cats = split.categories { treeSets[i] = Set(cats) }
            }
            sets.append(treeSets)
            if s.vectorLeaves {
                for c in perColumn.indices { perColumn[c] += 1 }
            } else {
                perColumn[model.trees[t].target] += 1
            }
        }
        vectorTree = vector
        categorySets = sets
        treesPerColumn = perColumn
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
    public func leaves<T: TreeInputScalar>(_ row: [T], rowIndex: Int = 0) throws -> [Int] {
        guard row.count == model.featureCount else {
            throw TreeEnsembleError.rowWidth(row: rowIndex, count: row.count, featureCount: model.featureCount)
        }
        var out: [Int] = []
        out.reserveCapacity(model.trees.count)
        for (t, tree) in model.trees.enumerated() {
            var i = 0
            // Validated: the walk ends at a leaf within nodes.count steps.
            var steps = 0
            while case .split(let s) = tree.nodes[i], steps <= tree.nodes.count {
                i = Self.goesYes(s, row[s.feature], categories: categorySets[t][i], negatives: model.negativeCategoryRule) ? s.yes : s.no
                steps += 1
            }
            out.append(i)
        }
        return out
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

    /// The predictions for rows of float32 features.
    ///
    /// - Throws: `TreeEnsembleError.rowWidth` naming the first bad row.
    public func predict(rows: [[Float]]) throws -> [TreeEnsemblePrediction] {
        try rows.enumerated().map { try predictRow($1, index: $0) }
    }

    /// The predictions for rows of float64 features.
    ///
    /// - Throws: `TreeEnsembleError.rowWidth` naming the first bad row.
    public func predict(rows: [[Double]]) throws -> [TreeEnsemblePrediction] {
        try rows.enumerated().map { try predictRow($1, index: $0) }
    }

    func predictRow<T: TreeInputScalar>(_ row: [T], index: Int) throws -> TreeEnsemblePrediction {
        let leaves = try leaves(row, rowIndex: index)
        let width = model.marginCount
        var margins = [Double](repeating: 0, count: width)
        for (t, leaf) in leaves.enumerated() {
            guard case .leaf(let values) = model.trees[t].nodes[leaf] else { continue }
            if vectorTree[t] {
                for c in 0..<width { margins[c] += values[c] }
            } else {
                margins[model.trees[t].target] += values[0]
            }
        }
        if model.aggregation == .average {
            for c in 0..<width where treesPerColumn[c] > 0 { margins[c] /= Double(treesPerColumn[c]) }
        }
        for c in 0..<min(width, model.baseScores.count) { margins[c] += model.baseScores[c] }
        var values = Self.apply(model.transform, margins)
        var classIndex: Int?
        var label: ClassLabel?
        if case .classification(let labels) = model.task {
            if model.binaryFromSingleMargin { values = [1 - values[0], values[0]] }
            var best = 0
            for j in values.indices where values[j] > values[best] { best = j }
            classIndex = best
            switch labels {
            case .integers(let a): label = .integer(a[best])
            case .strings(let a): label = .string(a[best])
            }
        }
        return TreeEnsemblePrediction(leaves: leaves, margins: margins, values: values, classIndex: classIndex, label: label)
    }

    /// Applies a transform to one row of margins, in float64.
    public static func apply(_ transform: TreeEnsembleModel.Transform, _ m: [Double]) -> [Double] {
        switch transform {
        case .identity: return m
        case .logistic(let s), .perClassLogistic(let s): return m.map { 1 / (1 + Foundation.exp(-s * $0)) }
        case .exp: return m.map { Foundation.exp($0) }
        case .step: return m.map { $0 > 0 ? 1 : 0 }
        case .softmax:
            guard let top = m.max() else { return m }
            let e = m.map { Foundation.exp($0 - top) }
            let sum = e.reduce(0, +)
            return e.map { $0 / sum }
        }
    }
}
