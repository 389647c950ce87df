import ONNX
import PythonObjects

/// BaggingClassifier/Regressor (each member on its `estimators_features_` columns,
/// probabilities or predictions averaged) and AdaBoostClassifier (SAMME: each member's
/// predicted class coded w, the others -w/(K-1), with w its `estimator_weights_`; summed,
/// divided by the weights' total; probabilities from that decision as scikit-learn's
/// `_compute_proba_from_decision` does).
struct SklearnEnsembles: SklearnGraphLowering {
    static let baggingClassifier = "sklearn.ensemble._bagging.BaggingClassifier"
    static let baggingRegressor = "sklearn.ensemble._bagging.BaggingRegressor"
    static let adaBoost = "sklearn.ensemble._weight_boosting.AdaBoostClassifier"
    var classNames: [String] { [Self.baggingClassifier, Self.baggingRegressor, Self.adaBoost] }

    func labels(_ node: PyNode) throws -> SklearnClassTable {
        let l = try SklearnClassTable(try node.attribute("classes_"))
        return l
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let members = try node.attribute("estimators_").items()
        guard !members.isEmpty else { throw SklearnError.invalid(path: node.path + ".estimators_", reason: "no fitted members") }
        switch node.className ?? "" {
        case Self.adaBoost:
            let classes = try labels(node)
            let c = classes.count
            let weights = try node.attribute("estimator_weights_").doubles(rank: 1)
            guard weights.count >= members.count else { throw SklearnError.invalid(path: node.path + ".estimator_weights_", reason: "\(weights.count) weights for \(members.count) members") }
            let table = try classes.table(b, name: "class_table")
            var total: GraphBuilder.Value? = nil
            for (k, m) in members.enumerated() {
                guard case .classifier(let label, _, _) = try SklearnConverter.graphLowering(for: m).addNodes(m, to: b, input: x, width: width, dtype: dtype) else {
                    throw SklearnError.invalid(path: m.path, reason: "an AdaBoost member that is not a classifier")
                }
                let hit = try b.node("Equal", [try b.node("Unsqueeze", [label, try b.initializer([Int64(1)], shape: [1], name: "axis1_\(k)")], name: "member_label\(k)"), table], name: "member_vote\(k)")
                // SAMME's symmetric coding: w for the predicted class, -w/(K-1) for the others.
                let coded = try b.node("Where", [hit, try b.floats([weights[k]], shape: [], dtype: dtype, name: "member_weight\(k)"),
                                                 try b.floats([-weights[k] / Double(c - 1)], shape: [], dtype: dtype, name: "member_penalty\(k)")], name: "weighted_vote\(k)")
                let vote = coded
                total = try total.map { try b.node("Add", [$0, vote], name: "votes\(k)") } ?? vote
            }
            let pred = try b.node("Div", [total!, try b.floats([weights.prefix(members.count).reduce(0, +)], shape: [], dtype: dtype, name: "weight_total")], name: "vote_fractions")
            let probs: GraphBuilder.Value
            if c == 2 {
                // decision = pred[:,1] - pred[:,0]; proba = softmax([-d, d] / 2).
                let sign = try b.floats([-0.5, 0.5], shape: [2], dtype: dtype, name: "half_sign")
                let d = try b.node("ReduceSum", [try b.node("Mul", [pred, try b.floats([-1, 1], shape: [2], dtype: dtype, name: "sign")], name: "signed"),
                                                 try b.initializer([Int64(1)], shape: [1], name: "axis1_d")], attributes: ["keepdims": .int(1)], name: "decision")
                probs = try b.node("Softmax", [try b.node("Mul", [d, sign], name: "halves")], attributes: ["axis": .int(1)], name: "probabilities")
            } else {
                probs = try b.node("Softmax", [try b.node("Div", [pred, try b.floats([Double(c - 1)], shape: [], dtype: dtype, name: "classes_minus_one")], name: "scaled_fractions")],
                                   attributes: ["axis": .int(1)], name: "probabilities")
            }
            let index = try b.node("ArgMax", [pred], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
            return .classifier(label: try b.node("Gather", [table, index], attributes: ["axis": .int(0)], name: "label"), probabilities: probs, classes: c)
        default:
            let features = try node.attribute("estimators_features_").items()
            guard features.count == members.count else { throw SklearnError.invalid(path: node.path + ".estimators_features_", reason: "\(features.count) feature sets for \(members.count) members") }
            var total: GraphBuilder.Value? = nil
            var classes = 0
            for (k, (m, f)) in zip(members, features).enumerated() {
                let cols = try f.int64s(rank: 1)
                let sub = try b.node("Gather", [x, try b.initializer(cols, shape: [Int64(cols.count)], name: "member_columns\(k)")], attributes: ["axis": .int(1)], name: "member_input\(k)")
                let out = try SklearnConverter.graphLowering(for: m).addNodes(m, to: b, input: sub, width: cols.count, dtype: dtype)
                let value: GraphBuilder.Value
                switch out {
                case .classifier(_, let p, let c): value = p; classes = c
                case .regressor(let p, 1): value = p
                default: throw SklearnError.invalid(path: m.path, reason: "a bagging member without probabilities or a single prediction")
                }
                total = try total.map { try b.node("Add", [$0, value], name: "member_sum\(k)") } ?? value
            }
            let mean = try b.node("Div", [total!, try b.floats([Double(members.count)], shape: [], dtype: dtype, name: "member_count")], name: node.className == Self.baggingRegressor ? "predictions" : "probabilities")
            if node.className == Self.baggingRegressor { return .regressor(mean, targets: 1) }
            let table = try labels(node)
            guard table.count == classes else { throw SklearnError.invalid(path: node.path + ".classes_", reason: "members trained on a subset of the classes are not converted yet") }
            let index = try b.node("ArgMax", [mean], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
            return .classifier(label: try b.node("Gather", [try table.table(b), index], attributes: ["axis": .int(0)], name: "label"),
                               probabilities: mean, classes: classes)
        }
    }
}
