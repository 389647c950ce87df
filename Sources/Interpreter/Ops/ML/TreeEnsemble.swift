import ONNX

/// TreeEnsemble (ai.onnx.ml 5): trees given by `tree_roots` and per-node arrays, leaves
/// in separate `leaf_*` arrays; modes BRANCH_LEQ/LT/GTE/GT/EQ/NEQ/MEMBER (members
/// listed in `membership_values`, sets separated by NaN); NaN inputs follow the true
/// branch where `nodes_missing_value_tracks_true` is 1. Aggregation 0 AVERAGE, 1 SUM,
/// 2 MIN, 3 MAX; post_transform with onnxruntime's rules and numbering (see
/// `MLPostTransform.parse(_:Int64,_:)`: onnxruntime reads 1 as LOGISTIC and 2 as
/// SOFTMAX, the spec says the opposite). Splits and leaf weights are typed like the
/// input (float or double); Y is [N, n_targets] of the input's type.
struct TreeEnsemble: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "TreeEnsemble"
    static let sinceVersions: [Int64] = [5]

    /// Read post_transform 1/2 as onnxruntime does (LOGISTIC/SOFTMAX) rather than as the
    /// spec numbers them (SOFTMAX/LOGISTIC).
    static let onnxruntimePostTransformNumbering = true

    let engines: TreeEngines
    let aggregate: TreeAggregate
    let post: MLPostTransform
    let nTargets: Int
    let nTrees: Int

    init(_ c: OpContext) throws {
        func bad(_ a: String, _ m: String) -> InterpreterError { .badAttribute(node: c.nodeName, attribute: a, message: m) }
        switch try c.int("aggregate_function", default: 1) {
        case 0: aggregate = .average
        case 1: aggregate = .sum
        case 2: aggregate = .min
        case 3: aggregate = .max
        case let v: throw bad("aggregate_function", "\(v) is not in 0...3")
        }
        post = try MLPostTransform.parse(try c.int("post_transform", default: 0), c)
        let n = try c.int("n_targets")
        guard n >= 1, n < Int64(Int32.max) else { throw bad("n_targets", "must be at least 1") }
        nTargets = Int(n)
        let (ir, thresholdsDouble) = try Self.forest(c, nTargets: n)
        nTrees = ir.roots.count
        let source = c.detached()
        engines = try TreeEngines(consume ir, rebuild: { try Self.forest(source, nTargets: n).ir }, aggregate: aggregate,
                                  thresholdsDouble: thresholdsDouble, nodeName: c.nodeName)
    }

    /// The trees, and whether splits or leaf weights are float64.
    static func forest(_ c: OpContext, nTargets n: Int64) throws -> (ir: TreeForestIR, double: Bool) {
        func bad(_ a: String, _ m: String) -> InterpreterError { .badAttribute(node: c.nodeName, attribute: a, message: m) }
        let roots = try c.ints("tree_roots")
        // Features straight into Int32 (an out-of-range one kept for the message).
        guard c.has("nodes_featureids") else { throw bad("nodes_featureids", "is required") }
        var badFeature: Int64?
        var features = try c.ints("nodes_featureids", default: [Int32]()) { v -> Int32 in
            if v >= 0 && v < Int64(Int32.max) / 2 { return Int32(v) }
            if badFeature == nil { badFeature = v }
            return 0
        }
        guard let splits = try c.mlTensorDoubles("nodes_splits") else { throw bad("nodes_splits", "is required") }
        guard let modesT = try c.tensorIfPresent("nodes_modes") else { throw bad("nodes_modes", "is required") }
        let modes = try modesT.int64s()
        let trueIds = try c.ints("nodes_truenodeids"), trueLeafs = try c.ints("nodes_trueleafs")
        let falseIds = try c.ints("nodes_falsenodeids"), falseLeafs = try c.ints("nodes_falseleafs")
        let missing = try c.ints("nodes_missing_value_tracks_true", default: [])
        let members = try c.mlTensorDoubles("membership_values")?.values ?? []
        let leafTargets = try c.ints("leaf_targetids")
        guard let leafWeights = try c.mlTensorDoubles("leaf_weights") else { throw bad("leaf_weights", "is required") }
        let count = features.count
        for (name, k) in [("nodes_splits", splits.values.count), ("nodes_modes", modes.count), ("nodes_truenodeids", trueIds.count),
                          ("nodes_trueleafs", trueLeafs.count), ("nodes_falsenodeids", falseIds.count), ("nodes_falseleafs", falseLeafs.count)]
        where k != count {
            throw bad(name, "has \(k) entries; nodes_featureids has \(count)")
        }
        if !missing.isEmpty && missing.count != count { throw bad("nodes_missing_value_tracks_true", "has \(missing.count) entries; nodes_featureids has \(count)") }
        guard leafWeights.values.count == leafTargets.count else { throw bad("leaf_weights", "has \(leafWeights.values.count) entries; leaf_targetids has \(leafTargets.count)") }

        // Built column by column: the interior nodes, then one IR leaf per leaf weight.
        let leafCount = leafTargets.count, total = count + leafCount
        var ir = TreeForestIR()
        ir.nTargets = Int(n)
        ir.mode.reserveCapacity(total)
        for m in modes {
            guard m >= 0, m <= 6, let mode = TreeNodeMode(rawValue: UInt8(m)) else { throw bad("nodes_modes", "\(m) is not in 0...6") }
            ir.mode.append(mode)
        }
        ir.mode.append(contentsOf: repeatElement(.leaf, count: leafCount))
        if let badFeature { throw bad("nodes_featureids", "feature \(badFeature) is out of range") }
        features.append(contentsOf: repeatElement(0, count: leafCount))
        ir.feature = features
        ir.threshold = splits.values
        ir.threshold.append(contentsOf: repeatElement(0, count: leafCount))
        func children(_ ids: [Int64], _ leafs: [Int64], _ attr: String) throws -> [Int32] {
            var out = [Int32]()
            out.reserveCapacity(total)
            for i in 0..<count {
                let id = ids[i]
                if leafs[i] != 0 {
                    guard id >= 0, id < Int64(leafCount) else { throw bad(attr, "leaf \(id) is out of range") }
                    out.append(Int32(count + Int(id)))
                } else {
                    guard id >= 0, id < Int64(count) else { throw bad(attr, "node \(id) is out of range") }
                    out.append(Int32(id))
                }
            }
            out.append(contentsOf: repeatElement(0, count: leafCount))
            return out
        }
        ir.trueChild = try children(trueIds, trueLeafs, "nodes_truenodeids")
        ir.falseChild = try children(falseIds, falseLeafs, "nodes_falsenodeids")
        ir.missingTrue = missing.isEmpty ? [Bool](repeating: false, count: count) : missing.map { $0 == 1 }
        ir.missingTrue.append(contentsOf: repeatElement(false, count: leafCount))
        // Member sets, separated by NaN, in the order of the BRANCH_MEMBER nodes.
        var nextMember = 0
        for i in 0..<count where ir.mode[i] == .member {
            let first = nextMember
            while nextMember < members.count && !members[nextMember].isNaN { nextMember += 1 }
            ir.memberRange[Int32(i)] = first..<nextMember
            nextMember += 1
        }
        ir.members = members
        // Leaf k holds weight k.
        ir.weightStart = [Int32](repeating: 0, count: count)
        ir.weightStart.append(contentsOf: (0..<Int32(leafCount)))
        ir.weightCount = [Int32](repeating: 0, count: count)
        ir.weightCount.append(contentsOf: repeatElement(1, count: leafCount))
        ir.weightTarget.reserveCapacity(leafCount)
        for t in leafTargets {
            guard t >= 0, t < n else { throw bad("leaf_targetids", "\(t) is out of range for \(n) targets") }
            ir.weightTarget.append(Int32(t))
        }
        ir.weightValue = leafWeights.values
        for r in roots {
            guard r >= 0, r < Int64(count) else { throw bad("tree_roots", "root \(r) is out of range") }
            ir.roots.append(Int(r))
        }
        return (ir, splits.type == .double || leafWeights.type == .double)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let (rows, cols) = try engines.rowsAndColumns(x, context)
        func compute<T: BinaryFloatingPoint & Sendable>(_ e: TreeEngine<T>) throws -> [T] {
            let (s, h) = try TreeInput.with(x, as: T.self) { e.scores($0, rows: rows, cols: cols, tracing: context) }
            return TreeRegressorOutput.finalize(s, h, rows: rows, k: nTargets, aggregate: aggregate, nTrees: nTrees, base: [], post: post)
        }
        let shape = [rows, nTargets]
        if engines.usesDouble(x) {
            let y = try compute(try engines.double.get())
            return [.tensor(x.dataType == .double ? TensorValue(doubles: y, shape: shape) : TensorValue(floats: y.map { Float($0) }, shape: shape))]
        }
        return [.tensor(TensorValue(floats: try compute(try engines.float.get()), shape: shape))]
    }
}
