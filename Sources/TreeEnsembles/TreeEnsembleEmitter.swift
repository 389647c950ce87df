import ONNX

/// Writes one model's nodes into a builder (see `TreeEnsembleLowering`).
struct Emitter {
    let model: TreeEnsembleModel
    let b: GraphBuilder
    let inputType: TreeEnsembleLowering.InputType
    let ml: Int64
    let width: Int
    let structures: [TreeStructure]
    /// Features read by categorical splits, ascending; their position is their column
    /// among the truncated columns.
    let categoricalFeatures: [Int]
    let categoricalPosition: [Int: Int]
    /// Told (trees emitted, trees in all) as each tree is written.
    var progress: ((_ done: Int, _ total: Int) -> Void)?
    /// Categorical splits (tree, node) in tree order and preorder: their index is the
    /// column of the membership op (ai.onnx.ml 1 ... 4).
    let categoricalSplits: [(tree: Int, node: Int)]
    let categoricalSplitIndex: [Int: [Int: Int]]

    init(model: TreeEnsembleModel, structures: [TreeStructure], b: GraphBuilder, inputType: TreeEnsembleLowering.InputType, ml: Int64) {
        self.model = model
        self.b = b
        self.inputType = inputType
        self.ml = ml
        width = model.marginCount
        var features = Set<Int>()
        var splits: [(tree: Int, node: Int)] = []
        var splitIndex: [Int: [Int: Int]] = [:]
        for t in model.trees.indices {
            for i in structures[t].preorder {
                guard case .split(let split) = model.trees[t].nodes[i], split.categories != nil else { continue }
                features.insert(split.feature)
                splitIndex[t, default: [:]][i] = splits.count
                splits.append((t, i))
            }
        }
        self.structures = structures
        categoricalFeatures = features.sorted()
        var position: [Int: Int] = [:]
        for (k, f) in categoricalFeatures.enumerated() { position[f] = k }
        categoricalPosition = position
        categoricalSplits = splits
        categoricalSplitIndex = splitIndex
    }

    var dataType: DataType { inputType.dataType }

    // MARK: - Constants in the input's type

    func tensor(_ values: [Double], shape: [Int64]? = nil) throws -> Tensor {
        switch inputType {
        case .float32: return try GraphBuilder.makeTensor(values.map { Float($0) }, shape: shape)
        case .float64: return try GraphBuilder.makeTensor(values, shape: shape)
        }
    }

    func constant(_ values: [Double], shape: [Int64]? = nil, name: String) throws -> GraphBuilder.Value {
        try b.initializer(try tensor(values, shape: shape), name: name)
    }

    /// The categories of a split that an input of this type can equal once truncated:
    /// sorted, unique, and (for float32) exactly representable. A category float32
    /// cannot hold is never the truncation of a float32 value, which is a float32 integer.
    func representableCategories(_ cats: [Int]) -> [Double] {
        let unique = Set(cats).sorted()
        switch inputType {
        case .float32: return unique.filter { Double(Float($0)) == Double($0) }.map { Double($0) }
        case .float64: return unique.map { Double($0) }
        }
    }

    /// Mode and threshold of a numeric split for this input type (`ThresholdRounding`).
    func numeric(_ s: Split) -> (ThresholdRounding.Mode, Double) {
        let same: ThresholdRounding.Mode = s.comparison == .lessThan ? .lessThan : .lessOrEqual
        switch (inputType, s.threshold) {
        case (.float32, .float32(let t)): return (same, Double(t))
        case (.float32, .float64(let t)):
            let (m, f) = ThresholdRounding.float32Threshold(forFloat64: t, s.comparison)
            return (m, Double(f))
        case (.float64, .float64(let t)): return (same, t)
        case (.float64, .float32(let t)): return ThresholdRounding.float64Threshold(forFloat32: t, s.comparison)
        }
    }

    // MARK: - The graph

    func emit(input x: GraphBuilder.Value, zipMap: Bool) throws -> TreeEnsembleLowering.Outputs {
        var treeInput = x
        if !categoricalFeatures.isEmpty {
            // Category codes: truncate toward zero (ceil below zero, floor above; NaN
            // stays NaN; -0.5 becomes -0, then +0 by adding 0). With the XGBoost rule,
            // every value below zero becomes -1, which no category matches.
            let idx = try b.initializer(categoricalFeatures.map { Int64($0) }, name: "categorical_features")
            let g = try b.node("Gather", [x, idx], attributes: ["axis": .int(1)], name: "categorical_columns")
            let zero = try constant([0], shape: [], name: "zero")
            let negative = try b.node("Less", [g, zero], name: "categorical_negative")
            let down = try b.node("Floor", [g], name: "categorical_floor")
            let below: GraphBuilder.Value
            switch model.negativeCategoryRule {
            case .truncateTowardZero: below = try b.node("Ceil", [g], name: "categorical_ceil")
            case .noCategory: below = try constant([-1], shape: [], name: "no_category")
            }
            let truncated = try b.node("Where", [negative, below, down], name: "categorical_truncate")
            let codes = try b.node("Add", [truncated, zero], name: "categorical_codes")
            if ml >= 5 {
                treeInput = try b.node("Concat", [x, codes], attributes: ["axis": .int(1)], name: "tree_input")
            } else {
                var member = try membershipOp(codes)
                if inputType == .float64 { member = try b.node("Cast", [member], attributes: ["to": .dataType(.double)], name: "membership_cast") }
                treeInput = try b.node("Concat", [x, member], attributes: ["axis": .int(1)], name: "tree_input")
            }
        }
        var margins = ml >= 5 ? try treeEnsembleOp(treeInput) : try legacyOp(treeInput)
        if ml < 5 && inputType == .float64 {
            margins = try b.node("Cast", [margins], attributes: ["to": .dataType(.double)], name: "margins_cast")
        }
        if model.aggregation == .average {
            let perColumn = try TreeEnsembleEvaluator(model).treesPerColumn.map { Double(max(1, $0)) }
            if perColumn.contains(where: { $0 != 1 }) {
                margins = try b.node("Div", [margins, try constant(perColumn, shape: [Int64(width)], name: "trees_per_column")], name: "average")
            }
        }
        if model.baseScores.contains(where: { $0 != 0 }) {
            margins = try b.node("Add", [margins, try constant(model.baseScores, shape: [Int64(width)], name: "base_scores")], name: "base_score")
        }
        var out = TreeEnsembleLowering.Outputs(margins: margins)
        let values = try transformed(margins)
        switch model.task {
        case .regression, .scores:
            var v = values
            if width == 1 {
                let shape = try b.initializer([Int64(-1)], name: "flat_shape")
                v = try b.node("Reshape", [v, shape], name: "flatten_column")
            }
            if case .regression = model.task { out.predictions = v } else { out.scores = v }
        case .classification(let labels):
            var probs = values
            if model.binaryFromSingleMargin {
                let one = try constant([1], shape: [], name: "one")
                let q = try b.node("Sub", [one, values], name: "negative_class")
                probs = try b.node("Concat", [q, values], attributes: ["axis": .int(1)], name: "binary_probabilities")
            }
            let index = try b.node("ArgMax", [probs], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
            let table: GraphBuilder.Value
            var zipAttributes: [String: AttributeValue] = [:]
            switch labels {
            case .integers(let a):
                table = try b.initializer(a, name: "class_labels")
                zipAttributes["classlabels_int64s"] = .ints(a)
            case .strings(let a):
                table = try b.initializer(strings: a, name: "class_labels")
                zipAttributes["classlabels_strings"] = .strings(a)
            }
            out.label = try b.node("Gather", [table, index], attributes: ["axis": .int(0)], name: "class_label")
            out.probabilities = probs
            if zipMap {
                let f = inputType == .float32 ? probs : try b.node("Cast", [probs], attributes: ["to": .dataType(.float)], name: "probabilities_float")
                out.probabilityMap = try b.node("ZipMap", [f], attributes: zipAttributes, domain: Domain.ml, name: "zipmap")
            }
        }
        return out
    }

    /// The transform, with standard ops in the input's type.
    func transformed(_ m: GraphBuilder.Value) throws -> GraphBuilder.Value {
        switch model.transform {
        case .identity: return m
        case .logistic(let s), .perClassLogistic(let s):
            var z = m
            if s != 1 { z = try b.node("Mul", [m, try constant([s], shape: [], name: "logistic_scale")], name: "scaled_margins") }
            return try b.node("Sigmoid", [z], name: "logistic")
        case .exp:
            return try b.node("Exp", [m], name: "exp")
        case .step:
            let positive = try b.node("Greater", [m, try constant([0], shape: [], name: "step_zero")], name: "margin_positive")
            return try b.node("Cast", [positive], attributes: ["to": .dataType(inputType.dataType)], name: "step")
        case .softplus:
            return try b.node("Softplus", [m], name: "softplus")
        case .signedSquare:
            return try b.node("Mul", [m, try b.node("Abs", [m], name: "margin_magnitude")], name: "signed_square")
        case .softmax:
            return try b.node("Softmax", [m], attributes: ["axis": .int(1)], name: "softmax")
        }
    }

    // MARK: - TreeEnsemble (ai.onnx.ml 5)

    func treeEnsembleOp(_ x: GraphBuilder.Value) throws -> GraphBuilder.Value {
        let F = model.featureCount
        var roots: [Int64] = [], features: [Int64] = [], modes: [UInt8] = [], splits: [Double] = []
        var trueIds: [Int64] = [], trueLeafs: [Int64] = [], falseIds: [Int64] = [], falseLeafs: [Int64] = []
        var missing: [Int64] = [], members: [Double] = []
        var leafTargets: [Int64] = [], leafWeights: [Double] = []
        var anyMissing = false

        /// A node that sends every row to one leaf (a tree that is a single leaf).
        func placeholderNode(leaf: Int64) {
            roots.append(Int64(features.count))
            features.append(0); modes.append(0); splits.append(0)
            trueIds.append(leaf); trueLeafs.append(1); falseIds.append(leaf); falseLeafs.append(1)
            missing.append(0)
        }

        let emitted = TreeEnsembleLowering.emittedTrees(for: model, structures: structures, mlOpset: ml)
        for (done, tree) in emitted.enumerated() {
            progress?(done + 1, emitted.count)
            guard let t = tree.sourceTree else {
                placeholderNode(leaf: Int64(leafTargets.count))
                leafTargets.append(0); leafWeights.append(0)
                continue
            }
            let nodes = model.trees[t].nodes
            let order = structures[t].preorder
            // Emitted ids by IR node (-1: not reachable); arrays, as this runs per node.
            var nodeId = [Int64](repeating: -1, count: nodes.count), leafId = [Int64](repeating: -1, count: nodes.count)
            var nextNode = Int64(features.count), nextLeaf = Int64(leafTargets.count)
            for i in order {
                if case .split = nodes[i] { nodeId[i] = nextNode; nextNode += 1 } else { leafId[i] = nextLeaf; nextLeaf += 1 }
            }
            if case .leaf = nodes[0] { placeholderNode(leaf: max(0, leafId[0])) } else { roots.append(max(0, nodeId[0])) }
            for i in order {
                switch nodes[i] {
                case .leaf(let v):
                    if let c = tree.column {
                        leafTargets.append(Int64(c)); leafWeights.append(v[c])
                    } else {
                        leafTargets.append(Int64(model.trees[t].target)); leafWeights.append(v[0])
                    }
                case .split(let s):
                    func child(_ c: Int) -> (Int64, Int64) {
                        if leafId[c] >= 0 { return (leafId[c], 1) }
                        return (max(0, nodeId[c]), 0)
                    }
                    let (ty, tl) = child(s.yes), (fy, fl) = child(s.no)
                    trueIds.append(ty); trueLeafs.append(tl); falseIds.append(fy); falseLeafs.append(fl)
                    missing.append(s.missingGoesToYes ? 1 : 0)
                    if s.missingGoesToYes { anyMissing = true }
                    if let cats = s.categories {
                        features.append(Int64(F + (categoricalPosition[s.feature] ?? 0)))
                        let set = representableCategories(cats)
                        if set.isEmpty {
                            // No value can be a member: x < -inf never holds; NaN still
                            // follows the missing flag.
                            modes.append(1); splits.append(-.infinity)
                        } else {
                            modes.append(6); splits.append(0)
                            members.append(contentsOf: set)
                            members.append(.nan)
                        }
                    } else {
                        features.append(Int64(s.feature))
                        let (m, v) = numeric(s)
                        modes.append(m == .lessOrEqual ? 0 : 1)
                        splits.append(v)
                    }
                }
            }
        }
        var attributes: [String: AttributeValue] = [
            "aggregate_function": .int(1), "post_transform": .int(0), "n_targets": .int(Int64(width)),
            "tree_roots": .ints(roots), "nodes_featureids": .ints(features),
            "nodes_modes": .tensor(try GraphBuilder.makeTensor(modes)), "nodes_splits": .tensor(try tensor(splits)),
            "nodes_truenodeids": .ints(trueIds), "nodes_trueleafs": .ints(trueLeafs),
            "nodes_falsenodeids": .ints(falseIds), "nodes_falseleafs": .ints(falseLeafs),
            "leaf_targetids": .ints(leafTargets), "leaf_weights": .tensor(try tensor(leafWeights)),
        ]
        if anyMissing { attributes["nodes_missing_value_tracks_true"] = .ints(missing) }
        if !members.isEmpty { attributes["membership_values"] = .tensor(try tensor(members)) }
        return try b.node("TreeEnsemble", [x], attributes: attributes, domain: Domain.ml, name: TreeEnsembleLowering.treeNodeName,
                          outputName: "margins")
    }

    // MARK: - TreeEnsembleRegressor (ai.onnx.ml 1 ... 4)

    /// The per-node and per-weight attribute arrays of a TreeEnsembleRegressor.
    struct LegacyArrays {
        var treeIds: [Int64] = [], nodeIds: [Int64] = [], features: [Int64] = [], modes: [String] = [], values: [Double] = []
        var trueIds: [Int64] = [], falseIds: [Int64] = [], missing: [Int64] = []
        var targetTree: [Int64] = [], targetNode: [Int64] = [], targetId: [Int64] = [], targetWeight: [Double] = []

        mutating func node(tree: Int64, id: Int64, feature: Int64, mode: String, value: Double, yes: Int64, no: Int64, missingYes: Bool) {
            treeIds.append(tree); nodeIds.append(id); features.append(feature); modes.append(mode); values.append(value)
            trueIds.append(yes); falseIds.append(no); missing.append(missingYes ? 1 : 0)
        }

        mutating func leaf(tree: Int64, id: Int64, weights: [(Int64, Double)]) {
            node(tree: tree, id: id, feature: 0, mode: "LEAF", value: 0, yes: 0, no: 0, missingYes: false)
            for (target, w) in weights {
                targetTree.append(tree); targetNode.append(id); targetId.append(target); targetWeight.append(w)
            }
        }
    }

    func legacyAttributes(_ a: LegacyArrays, targets: Int) throws -> [String: AttributeValue] {
        var attributes: [String: AttributeValue] = [
            "aggregate_function": .string("SUM"), "post_transform": .string("NONE"), "n_targets": .int(Int64(targets)),
            "nodes_treeids": .ints(a.treeIds), "nodes_nodeids": .ints(a.nodeIds), "nodes_featureids": .ints(a.features),
            "nodes_modes": .strings(a.modes), "nodes_truenodeids": .ints(a.trueIds), "nodes_falsenodeids": .ints(a.falseIds),
            "target_treeids": .ints(a.targetTree), "target_nodeids": .ints(a.targetNode), "target_ids": .ints(a.targetId),
        ]
        if a.missing.contains(1) { attributes["nodes_missing_value_tracks_true"] = .ints(a.missing) }
        switch inputType {
        case .float32:
            attributes["nodes_values"] = .floats(a.values.map { Float($0) })
            attributes["target_weights"] = .floats(a.targetWeight.map { Float($0) })
        case .float64:
            attributes["nodes_values_as_tensor"] = .tensor(try GraphBuilder.makeTensor(a.values))
            attributes["target_weights_as_tensor"] = .tensor(try GraphBuilder.makeTensor(a.targetWeight))
        }
        return attributes
    }

    func legacyOp(_ x: GraphBuilder.Value) throws -> GraphBuilder.Value {
        let F = model.featureCount
        var a = LegacyArrays()
        let emitted = TreeEnsembleLowering.emittedTrees(for: model, structures: structures, mlOpset: ml)
        for (done, tree) in emitted.enumerated() {
            progress?(done + 1, emitted.count)
            guard let t = tree.sourceTree else {
                a.leaf(tree: 0, id: 0, weights: [(0, 0)])
                continue
            }
            let nodes = model.trees[t].nodes
            let order = structures[t].preorder
            var id: [Int: Int64] = [:]
            for (k, i) in order.enumerated() { id[i] = Int64(k) }
            let tid = Int64(t)
            for i in order {
                switch nodes[i] {
                case .leaf(let v):
                    let weights: [(Int64, Double)] = structures[t].vectorLeaves
                        ? v.enumerated().map { (Int64($0.offset), $0.element) }
                        : [(Int64(model.trees[t].target), v[0])]
                    a.leaf(tree: tid, id: id[i] ?? 0, weights: weights)
                case .split(let s):
                    if s.categories != nil {
                        // The membership column is exactly 1 (yes) or 0 (no), NaN already decided.
                        let column = F + (categoricalSplitIndex[t]?[i] ?? 0)
                        a.node(tree: tid, id: id[i] ?? 0, feature: Int64(column), mode: "BRANCH_GT", value: 0.5,
                               yes: id[s.yes] ?? 0, no: id[s.no] ?? 0, missingYes: false)
                    } else {
                        let (m, v) = numeric(s)
                        a.node(tree: tid, id: id[i] ?? 0, feature: Int64(s.feature), mode: m == .lessOrEqual ? "BRANCH_LEQ" : "BRANCH_LT",
                               value: v, yes: id[s.yes] ?? 0, no: id[s.no] ?? 0, missingYes: s.missingGoesToYes)
                    }
                }
            }
        }
        return try b.node("TreeEnsembleRegressor", [x], attributes: try legacyAttributes(a, targets: width), domain: Domain.ml,
                          name: TreeEnsembleLowering.treeNodeName, outputName: "margins")
    }

    /// One tree per categorical split over the truncated columns, giving 1 when the
    /// split goes `yes` and 0 when it goes `no`: a chain of BRANCH_EQ nodes, one per
    /// category, each with its own leaf 1, ending in leaf 0; NaN goes to a leaf 1 from
    /// the first node when the split sends missing values `yes`.
    func membershipOp(_ codes: GraphBuilder.Value) throws -> GraphBuilder.Value {
        var a = LegacyArrays()
        for (s, at) in categoricalSplits.enumerated() {
            guard case .split(let split) = model.trees[at.tree].nodes[at.node], let cats = split.categories else { continue }
            let tid = Int64(s)
            let column = Int64(categoricalPosition[split.feature] ?? 0)
            var tests = representableCategories(cats).map { ("BRANCH_EQ", $0) }
            // No category to test: x < -inf never holds, and carries the missing flag.
            if tests.isEmpty && split.missingGoesToYes { tests = [("BRANCH_LT", -Double.infinity)] }
            var next: Int64 = 0
            for (k, test) in tests.enumerated() {
                let me = next
                let leafOne = me + 1
                let following = me + 2
                a.node(tree: tid, id: me, feature: column, mode: test.0, value: test.1, yes: leafOne, no: following,
                       missingYes: k == 0 && split.missingGoesToYes)
                a.leaf(tree: tid, id: leafOne, weights: [(tid, 1)])
                next = following
            }
            a.leaf(tree: tid, id: next, weights: [(tid, 0)])
        }
        return try b.node("TreeEnsembleRegressor", [codes], attributes: try legacyAttributes(a, targets: categoricalSplits.count),
                          domain: Domain.ml, name: TreeEnsembleLowering.membershipNodeName, outputName: "categorical_membership")
    }
}
