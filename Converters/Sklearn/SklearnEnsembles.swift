import ONNX
import PythonObjects

/// BaggingClassifier/Regressor (each member on its `estimators_features_` columns,
/// probabilities or predictions averaged) and AdaBoostClassifier (SAMME: each member's
/// predicted class coded w, the others -w/(K-1), with w its `estimator_weights_`; summed,
/// divided by the weights' total; probabilities from that decision as scikit-learn's
/// `_compute_proba_from_decision` does) and AdaBoostRegressor (the weighted median of
/// its members' predictions, see `weightedMedian`).
struct SklearnEnsembles: SklearnGraphLowering {
    static let baggingClassifier = "sklearn.ensemble._bagging.BaggingClassifier"
    static let baggingRegressor = "sklearn.ensemble._bagging.BaggingRegressor"
    static let adaBoost = "sklearn.ensemble._weight_boosting.AdaBoostClassifier"
    static let adaBoostRegressor = "sklearn.ensemble._weight_boosting.AdaBoostRegressor"
    var classNames: [String] { [Self.baggingClassifier, Self.baggingRegressor, Self.adaBoost, Self.adaBoostRegressor] }

    func labels(_ node: PyNode) throws -> SklearnClassTable {
        let l = try SklearnClassTable(try node.attribute("classes_"))
        return l
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let members = try node.attribute("estimators_").items()
        guard !members.isEmpty else { throw SklearnError.invalid(path: node.path + ".estimators_", reason: "no fitted members") }
        switch node.className ?? "" {
        case Self.adaBoostRegressor:
            return try weightedMedian(node, members: members, to: b, input: x, width: width, dtype: dtype)
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
            let pred = try b.node("Div", [try nonEmpty(total, node), try b.floats([weights.prefix(members.count).reduce(0, +)], shape: [], dtype: dtype, name: "weight_total")], name: "vote_fractions")
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
            let mean = try b.node("Div", [try nonEmpty(total, node), try b.floats([Double(members.count)], shape: [], dtype: dtype, name: "member_count")], name: node.className == Self.baggingRegressor ? "predictions" : "probabilities")
            if node.className == Self.baggingRegressor { return .regressor(mean, targets: 1) }
            let table = try labels(node)
            guard table.count == classes else { throw SklearnError.invalid(path: node.path + ".classes_", reason: "members trained on a subset of the classes are not converted yet") }
            let index = try b.node("ArgMax", [mean], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
            return .classifier(label: try b.node("Gather", [try table.table(b), index], attributes: ["axis": .int(0)], name: "label"),
                               probabilities: mean, classes: classes)
        }
    }
}

extension SklearnEnsembles {
    /// AdaBoostRegressor's `_get_median_predict`: the members' predictions sorted per row,
    /// their weights accumulated in that order, and the prediction at the first position
    /// whose running weight reaches half the total. The weights and their running sums
    /// stay float64 whatever the graph's float type, as scikit-learn's are. Members tied
    /// in prediction may sort in another order than np.argsort's, but they give the same
    /// value wherever the half-weight point falls among them.
    func weightedMedian(_ node: PyNode, members: [PyNode], to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let weightsNode = try node.attribute("estimator_weights_")
        let weights = try weightsNode.doubles(rank: 1)
        guard weights.count >= members.count else { throw SklearnError.invalid(path: weightsNode.path, reason: "\(weights.count) weights for \(members.count) members") }
        guard weights.prefix(members.count).allSatisfy({ $0 >= 0 }) else {
            throw SklearnError.invalid(path: weightsNode.path, reason: "AdaBoostRegressor estimator_weights_ has a negative weight (the weighted median needs weights >= 0)")
        }
        let axis1 = try b.initializer([Int64(1)], shape: [1], name: "axis1_median")
        var columns: [GraphBuilder.Value] = []
        for (k, m) in members.enumerated() {
            guard case .regressor(let p, 1) = try SklearnConverter.graphLowering(for: m).addNodes(m, to: b, input: x, width: width, dtype: dtype) else {
                throw SklearnError.invalid(path: m.path, reason: "an AdaBoostRegressor member that is not a single-output regressor")
            }
            columns.append(try b.node("Unsqueeze", [p, axis1], name: "member_prediction\(k)"))
        }
        let n = Int64(members.count)
        let predictions = columns.count == 1 ? columns[0] : try b.node("Concat", columns, attributes: ["axis": .int(1)], name: "member_predictions")
        let sorted = try b.node("TopK", [predictions, try b.initializer([n], shape: [1], name: "member_count")], outputCount: 2,
                                attributes: ["axis": .int(1), "largest": .int(0), "sorted": .int(1)], name: "sorted_predictions")
        let sortedWeights = try b.node("Gather", [try b.initializer(Array(weights.prefix(members.count)), shape: [n], name: "member_weights"), sorted[1]],
                                       attributes: ["axis": .int(0)], name: "sorted_weights")
        let cdf = try b.node("CumSum", [sortedWeights, try b.initializer([Int64(1)], shape: [], name: "cumsum_axis")], name: "weight_cdf")
        let total = try b.node("Slice", [cdf, try b.initializer([n - 1], shape: [1], name: "last_start"), try b.initializer([n], shape: [1], name: "last_end"), axis1], name: "weight_total")
        let reached = try b.node("GreaterOrEqual", [cdf, try b.node("Mul", [total, try b.initializer([0.5], shape: [], name: "half")], name: "half_total")], name: "median_or_above")
        let position = try b.node("ArgMax", [try b.node("Cast", [reached], attributes: ["to": .dataType(.int32)], name: "median_or_above_int")],
                                  attributes: ["axis": .int(1), "keepdims": .int(1)], name: "median_position")
        let median = try b.node("GatherElements", [sorted[0], position], attributes: ["axis": .int(1)], name: "median_prediction")
        return .regressor(try b.node("Reshape", [median, try b.initializer([Int64(-1)], shape: [1], name: "flatten_median")], name: "predictions"), targets: 1)
    }
}
