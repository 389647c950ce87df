import ONNX
import PythonObjects

/// VotingClassifier with voting='hard', as scikit-learn's predict: each member predicts
/// an encoded class (members are fitted on `le_.transform(y)`), the votes are counted
/// with the weights of the members not dropped (`np.bincount(..., weights)`), the first
/// class with the largest count wins (np.argmax), and `le_` decodes it. The counts are
/// summed in float64 whatever the graph's float type, so that ties between weighted
/// counts break as scikit-learn's float64 sums do.
enum SklearnHardVoting {
    static func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let members = try node.attribute("estimators_").items()
        guard !members.isEmpty else { throw SklearnError.invalid(path: node.path + ".estimators_", reason: "no fitted members") }
        let labels = try SklearnClassTable(try node.attribute("le_").attribute("classes_"))
        let c = labels.count
        let weights = try memberWeights(node, count: members.count)
        let classRange = try b.initializer((0..<c).map(Int64.init), shape: [Int64(c)], name: "encoded_classes")
        var total: GraphBuilder.Value? = nil
        for (k, m) in members.enumerated() {
            let label: GraphBuilder.Value
            switch try SklearnConverter.graphLowering(for: m).addNodes(m, to: b, input: x, width: width, dtype: dtype) {
            case .classifier(let l, _, _), .decision(let l, _, _), .label(let l): label = l
            default: throw SklearnError.invalid(path: m.path, reason: "a hard-voting member that is not a classifier")
            }
            guard label.elementType == nil || label.elementType == .int64 else {
                throw SklearnError.invalid(path: m.path, reason: "a hard-voting member with non-integer labels (members are fitted on encoded classes)")
            }
            let hit = try b.node("Equal", [try b.node("Unsqueeze", [label, try b.initializer([Int64(1)], shape: [1], name: "axis1_\(k)")], name: "member_label\(k)"), classRange],
                                 name: "member_vote\(k)")
            let vote = try b.node("Mul", [try b.node("Cast", [hit], attributes: ["to": .dataType(.double)], name: "member_vote_count\(k)"),
                                          try b.initializer([weights[k]], shape: [], name: "member_weight\(k)")], name: "weighted_vote\(k)")
            total = try total.map { try b.node("Add", [$0, vote], name: "votes\(k)") } ?? vote
        }
        let index = try b.node("ArgMax", [try nonEmpty(total, node)], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
        return .label(try b.node("Gather", [try labels.table(b), index], attributes: ["axis": .int(0)], name: "label"))
    }

    /// `_weights_not_none`: the weights of the members that were not set to "drop"
    /// (1 each without weights). A negative weight is refused: np.bincount's array stops
    /// at the largest voted class, so with negative counts its argmax is not the argmax
    /// over all classes computed here.
    static func memberWeights(_ node: PyNode, count: Int) throws -> [Double] {
        guard let w = node.optionalAttribute("weights"), !w.isNone else { return Array(repeating: 1, count: count) }
        let all = try w.items().map { try $0.double() }
        let specs = try node.attribute("estimators").items()
        guard specs.count == all.count else { throw SklearnError.invalid(path: w.path, reason: "\(all.count) weights for \(specs.count) estimators") }
        var kept: [Double] = []
        for (spec, weight) in zip(specs, all) {
            if case .string("drop") = try spec.item(1).value { continue }
            guard weight >= 0 else { throw SklearnError.invalid(path: w.path, reason: "VotingClassifier weight \(weight) is negative (hard voting is converted for weights >= 0)") }
            kept.append(weight)
        }
        guard kept.count == count else { throw SklearnError.invalid(path: w.path, reason: "\(kept.count) weights for \(count) fitted members") }
        return kept
    }
}
