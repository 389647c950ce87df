import TreeEnsembles

/// Turns a `LightGBMBooster` into the shared tree IR with LightGBM's semantics:
/// float64 thresholds compared with `<=`; per-feature input rewrites for the missing
/// types (None: NaN read as 0; Zero: |x| <= 1e-35 and NaN take the default direction;
/// NaN: NaN takes it); categorical splits sending listed codes left and negatives, NaN
/// and other codes right, after truncation toward zero; trees of iteration i adding to
/// class `i % num_tree_per_iteration`; averaging for `average_output`.
public enum LightGBMTreeModelBuilder {
    /// LightGBM's kZeroThreshold (1e-35 as float32, widened).
    public static let zeroThreshold = Double(Float(1e-35))

    /// The IR for `booster`, keeping the first `iterations` iterations when given.
    /// - Throws: `LightGBMError`.
    public static func build(_ booster: LightGBMBooster, iterations: Int? = nil) throws -> TreeEnsembleModel {
        let objective = try LightGBMObjective.parse(booster.objective)
        // LightGBM writes both counts for every model (1 and 1 outside multiclass); anything
        // below 1 is damage, not a default to paper over.
        guard booster.numClass >= 1 else { throw LightGBMError.invalidParameter(name: "num_class", reason: "\(booster.numClass); a model has at least one class") }
        guard booster.numTreePerIteration >= 1 else {
            throw LightGBMError.invalidParameter(name: "num_tree_per_iteration", reason: "\(booster.numTreePerIteration); an iteration adds at least one tree")
        }
        guard booster.trees.count % booster.numTreePerIteration == 0 else {
            throw LightGBMError.invalidParameter(name: "num_tree_per_iteration", reason: "\(booster.trees.count) trees do not make whole iterations of \(booster.numTreePerIteration)")
        }
        let perIteration = booster.numTreePerIteration
        var trees = booster.trees
        if let k = iterations {
            guard k >= 1 else { throw LightGBMError.invalidParameter(name: "--num-iterations", reason: "must be at least 1, not \(k)") }
            let available = trees.count / perIteration
            guard k <= available else {
                throw LightGBMError.invalidParameter(name: "--num-iterations", reason: "the model has \(available) iterations, fewer than \(k)")
            }
            trees = Array(trees.prefix(k * perIteration))
        }
        let featureCount = booster.maxFeatureIndex + 1
        let task: TreeEnsembleModel.Task
        var binary = false
        let columns: Int
        switch objective.output {
        case .binary:
            task = .classification(labels: .integers([0, 1])); binary = true; columns = 1
        case .multiclass:
            guard booster.numClass >= 2, perIteration == booster.numClass else {
                throw LightGBMError.invalidParameter(name: "num_class", reason: "\(objective.name) with num_class \(booster.numClass) and num_tree_per_iteration \(perIteration)")
            }
            task = .classification(labels: .integers((0..<booster.numClass).map(Int64.init))); columns = booster.numClass
        case .regression: task = .regression(targets: 1); columns = 1
        case .scores: task = .scores(targets: 1); columns = 1
        }
        if objective.output != .multiclass && perIteration != 1 {
            throw LightGBMError.invalidParameter(name: "num_tree_per_iteration", reason: "\(perIteration) trees per iteration for \(objective.name), which has one output")
        }

        var rewrites: [Int: TreeEnsembleModel.InputRewrite] = [:]
        var missingOf: [Int: LightGBMMissingType] = [:]
        var irTrees: [Tree] = []
        irTrees.reserveCapacity(trees.count)
        for (t, tree) in trees.enumerated() {
            var nodes: [TreeNode] = []
            nodes.reserveCapacity(tree.nodes.count)
            for node in tree.nodes {
                switch node {
                case .leaf(let v):
                    nodes.append(.leaf([v]))
                case .numeric(let f, let threshold, let missing, let defaultLeft, let l, let r):
                    if let seen = missingOf[f], seen != missing { throw LightGBMError.mixedMissingTypes(feature: f) }
                    missingOf[f] = missing
                    guard !threshold.isNaN else { throw LightGBMError.invalidTree(tree: t, reason: "a threshold is NaN") }
                    // None: NaN is read as 0 and compared; Zero and NaN: NaN (and, for
                    // Zero, near-zero values) take the default direction.
                    nodes.append(.split(Split(feature: f, threshold: .float64(threshold), comparison: .lessOrEqual, yes: l, no: r,
                                              missingGoesToYes: missing == .none ? false : defaultLeft)))
                case .categorical(let f, let cats, let l, let r):
                    nodes.append(.split(Split(feature: f, threshold: .float64(0), comparison: .lessOrEqual, yes: l, no: r,
                                              missingGoesToYes: false, categories: cats)))
                }
            }
            irTrees.append(Tree(nodes: nodes, target: columns == 1 ? 0 : t % perIteration))
        }
        // LightGBM reads rows through a sparse view that drops |x| <= kZeroThreshold, so
        // such values reach every split as 0; Zero-type splits treat them as missing.
        for (f, m) in missingOf {
            switch m {
            case .none: rewrites[f] = .toZero(threshold: zeroThreshold, nan: true)
            case .zero: rewrites[f] = .zeroToMissing(threshold: zeroThreshold)
            case .nan: rewrites[f] = .toZero(threshold: zeroThreshold, nan: false)
            }
        }
        var model = TreeEnsembleModel(trees: irTrees, featureCount: featureCount, task: task, baseScores: [],
                                      aggregation: booster.averageOutput ? .average : .sum, transform: objective.transform,
                                      binaryFromSingleMargin: binary,
                                      featureNames: booster.featureNames?.count == featureCount ? booster.featureNames : nil,
                                      negativeCategoryRule: .truncateTowardZero)
        model.inputRewrites = rewrites
        do { try model.validate() } catch let e as TreeEnsembleError { throw LightGBMError.treeModel(e) }
        return model
    }
}
