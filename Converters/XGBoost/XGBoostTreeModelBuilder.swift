import TreeEnsembles

/// Turns an `XGBoostBooster` into the shared tree IR with XGBoost's semantics: float32
/// thresholds compared with `<`, NaN following each split's missing direction, listed
/// categories going right and invalid (negative) codes left, leaves summed per output
/// group, base_score converted from the objective's space to a margin, and the
/// objective's transform.
public enum XGBoostTreeModelBuilder {
    /// The IR for `booster`, whose `objective` must be set (and `baseScore`, or the
    /// margin-space default `defaultBaseScore` is used).
    ///
    /// - Parameter defaultBaseScore: the stored value assumed when the booster has none
    ///   (XGBoost before 2.0 used 0.5 in the objective's space).
    /// - Throws: `XGBoostError` naming the tree and node, or what is inconsistent.
    public static func build(_ booster: XGBoostBooster, defaultBaseScore: Float = 0.5) throws -> TreeEnsembleModel {
        guard let name = booster.objective else {
            throw XGBoostError.objectiveNeeded(hint: "pass --objective NAME (for example binary:logistic) or --config FILE (Booster.save_config())")
        }
        let objective = try XGBoostObjective.named(name)
        guard !booster.trees.isEmpty else { throw XGBoostError.noTrees }
        let classes = booster.numClass ?? 0
        let targets = max(1, booster.numTarget ?? 1)
        let columns: Int
        let task: TreeEnsembleModel.Task
        var binary = false
        switch objective.output {
        case .multiclass:
            guard classes >= 2 else {
                throw XGBoostError.inconsistent(reason: "\(name) needs num_class of 2 or more (got \(classes)); pass --num-class K or --config FILE")
            }
            columns = classes
            task = .classification(labels: .integers((0..<classes).map(Int64.init)))
        case .binary:
            guard targets == 1 else { throw XGBoostError.inconsistent(reason: "\(name) with num_target \(targets) is not supported (one binary target only)") }
            columns = 1
            binary = true
            task = .classification(labels: .integers([0, 1]))
        case .regression:
            columns = targets
            task = .regression(targets: targets)
        case .scores:
            columns = targets
            task = .scores(targets: targets)
        }
        if objective.output != .multiclass && classes > 1 {
            throw XGBoostError.inconsistent(reason: "num_class is \(classes) but \(name) is not a multi-class objective")
        }

        // Output group of each tree: tree_info when recorded, else XGBoost's order (each
        // iteration adds num_parallel_tree trees per group, groups in order).
        let parallel = max(1, booster.numParallelTree ?? 1)
        if let groups = booster.treeGroups, groups.count != booster.trees.count {
            throw XGBoostError.inconsistent(reason: "tree_info has \(groups.count) entries for \(booster.trees.count) trees")
        }
        if let w = booster.treeWeights, w.count != booster.trees.count {
            throw XGBoostError.inconsistent(reason: "weight_drop has \(w.count) weights for \(booster.trees.count) trees")
        }

        var maxFeature = -1
        var trees: [Tree] = []
        trees.reserveCapacity(booster.trees.count)
        for (t, xt) in booster.trees.enumerated() {
            let weight = booster.treeWeights?[t]
            var width = 0
            var nodes: [TreeNode] = []
            nodes.reserveCapacity(xt.nodes.count)
            for (id, node) in xt.nodes.enumerated() {
                guard let node else { nodes.append(.leaf([])); continue }
                switch node {
                case .leaf(let values):
                    if width == 0 { width = values.count }
                    guard values.count == width else {
                        throw XGBoostError.invalidTree(tree: t, node: id, reason: "leaf of \(values.count) values in a tree whose leaves have \(width)")
                    }
                    nodes.append(.leaf(values.map { v in weight.map { Double(v * $0) } ?? Double(v) }))
                case .numeric(let f, let threshold, let yes, let no, let missing):
                    guard missing == yes || missing == no else {
                        throw XGBoostError.invalidTree(tree: t, node: id, reason: "missing=\(missing) is neither yes=\(yes) nor no=\(no)")
                    }
                    maxFeature = max(maxFeature, f)
                    nodes.append(.split(Split(feature: f, threshold: .float32(threshold), comparison: .lessThan,
                                              yes: yes, no: no, missingGoesToYes: missing == yes)))
                case .categorical(let f, let cats, let inSet, let notInSet, let missing):
                    guard missing == inSet || missing == notInSet else {
                        throw XGBoostError.invalidTree(tree: t, node: id, reason: "missing=\(missing) is neither child (\(inSet), \(notInSet))")
                    }
                    maxFeature = max(maxFeature, f)
                    nodes.append(.split(Split(feature: f, threshold: .float32(0), comparison: .lessThan, yes: inSet, no: notInSet,
                                              missingGoesToYes: missing == inSet, categories: cats.sorted())))
                }
            }
            if width == 0 { throw XGBoostError.invalidTree(tree: t, node: nil, reason: "the tree has no leaf") }
            // Ids XGBoost left unused become unreachable leaves of the tree's width.
            nodes = nodes.map { if case .leaf(let v) = $0, v.isEmpty { return .leaf(Array(repeating: 0, count: width)) } else { return $0 } }
            var target = 0
            if width == 1 {
                target = booster.treeGroups?[t] ?? (t / parallel) % columns
                guard target >= 0, target < columns else {
                    throw XGBoostError.invalidTree(tree: t, node: nil, reason: "output group \(target) is outside the \(columns) outputs (tree_info)")
                }
            } else if width != columns {
                throw XGBoostError.invalidTree(tree: t, node: nil, reason: "leaves of \(width) values for a model of \(columns) outputs")
            }
            trees.append(Tree(nodes: nodes, target: target))
        }

        let featureCount = booster.numFeature ?? (maxFeature + 1)
        guard featureCount >= 1 else { throw XGBoostError.inconsistent(reason: "the model reads no feature; pass --num-features N") }
        if maxFeature >= featureCount {
            throw XGBoostError.inconsistent(reason: "a split reads feature \(maxFeature) but num_feature is \(featureCount)")
        }
        if let names = booster.featureNames, names.count != featureCount {
            throw XGBoostError.inconsistent(reason: "\(names.count) feature names for \(featureCount) features")
        }

        let stored = booster.baseScore ?? [defaultBaseScore]
        var base: [Double]
        if stored.count == columns {
            base = try stored.map { try objective.margin(ofBaseScore: $0) }
        } else if stored.count == 1 {
            base = Array(repeating: try objective.margin(ofBaseScore: stored[0]), count: columns)
        } else {
            throw XGBoostError.invalidParameter(name: "base_score", reason: "\(stored.count) values for a model of \(columns) outputs (give one, or one per output)")
        }
        if base.allSatisfy({ $0 == 0 }) { base = [] }

        let model = TreeEnsembleModel(trees: trees, featureCount: featureCount, task: task, baseScores: base, aggregation: .sum,
                                      transform: objective.transform, binaryFromSingleMargin: binary,
                                      featureNames: booster.featureNames, negativeCategoryRule: .noCategory)
        do { try model.validate() } catch let e as TreeEnsembleError { throw XGBoostError.treeModel(e) }
        return model
    }
}
