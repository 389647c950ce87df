import ONNX
import PythonObjects

/// StackingClassifier / StackingRegressor as scikit-learn's transform and predict: each
/// fitted member's `stack_method_` output (predict_proba without its first column when
/// the stack has two classes, decision_function or predict as one column each when 1-D),
/// side by side, then the input itself with passthrough, fed to `final_estimator_`.
/// Members and the final estimator of a classifier are fitted on encoded classes, so the
/// final label is decoded with the stack's `classes_`.
struct SklearnStacking: SklearnGraphLowering {
    static let classifier = "sklearn.ensemble._stacking.StackingClassifier"
    static let regressor = "sklearn.ensemble._stacking.StackingRegressor"
    var classNames: [String] { [Self.classifier, Self.regressor] }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let cls = node.className ?? ""
        let members = try node.attribute("estimators_").items()
        let methodsNode = try node.attribute("stack_method_")
        let methods = try methodsNode.items().map { try $0.string() }
        guard !members.isEmpty, methods.count == members.count else {
            throw SklearnError.invalid(path: methodsNode.path, reason: "\(methods.count) stack methods for \(members.count) fitted members")
        }
        let labels = cls == Self.classifier ? try SklearnClassTable(try node.attribute("classes_")) : nil
        var parts: [(GraphBuilder.Value, Int)] = []
        for (k, (m, method)) in zip(members, methods).enumerated() {
            let out = try SklearnConverter.graphLowering(for: m).addNodes(m, to: b, input: x, width: width, dtype: dtype)
            parts.append(try column(out, method: method, member: m, index: k, binary: labels?.count == 2, b: b, dtype: dtype))
        }
        if case .bool(true) = node.optionalAttribute("passthrough")?.value { parts.append((x, width)) }
        let metaWidth = parts.reduce(0) { $0 + $1.1 }
        let meta = parts.count == 1 ? parts[0].0 : try b.node("Concat", parts.map(\.0), attributes: ["axis": .int(1)], name: "meta_features")
        let final = try node.attribute("final_estimator_")
        let out = try SklearnConverter.graphLowering(for: final).addNodes(final, to: b, input: meta, width: metaWidth, dtype: dtype)
        guard let table = labels else {
            guard case .regressor = out else { throw SklearnError.invalid(path: final.path, reason: "a StackingRegressor's final estimator that is not a regressor") }
            return out
        }
        func decoded(_ encoded: GraphBuilder.Value) throws -> GraphBuilder.Value {
            guard encoded.elementType == nil || encoded.elementType == .int64 else {
                throw SklearnError.invalid(path: final.path, reason: "a final estimator with non-integer labels (it is fitted on encoded classes)")
            }
            return try b.node("Gather", [try table.table(b, name: "stack_classes"), encoded], attributes: ["axis": .int(0)], name: "label")
        }
        switch out {
        case .classifier(let l, let p, let c): return .classifier(label: try decoded(l), probabilities: p, classes: c)
        case .decision(let l, let s, let c): return .decision(label: try decoded(l), scores: s, columns: c)
        case .label(let l): return .label(try decoded(l))
        default: throw SklearnError.invalid(path: final.path, reason: "a StackingClassifier's final estimator that is not a classifier")
        }
    }

    /// One member's columns of the meta features [N, w].
    func column(_ out: SklearnOutputs, method: String, member m: PyNode, index k: Int, binary: Bool, b: GraphBuilder, dtype: DataType) throws -> (GraphBuilder.Value, Int) {
        func asColumn(_ v: GraphBuilder.Value) throws -> GraphBuilder.Value {
            try b.node("Unsqueeze", [v, try b.initializer([Int64(1)], shape: [1], name: "axis1_\(k)")], name: "member_column\(k)")
        }
        switch (method, out) {
        case ("predict_proba", .classifier(_, let p, let c)):
            guard binary else { return (p, c) }
            let last = try b.node("Slice", [p, try b.initializer([Int64(1)], shape: [1], name: "from1_\(k)"), try b.initializer([Int64(c)], shape: [1], name: "to\(c)_\(k)"),
                                            try b.initializer([Int64(1)], shape: [1], name: "slice_axis1_\(k)")], name: "member_positive_proba\(k)")
            return (last, c - 1)
        case ("decision_function", .decision(_, let s, let c)):
            return c == 1 ? (try asColumn(s), 1) : (s, c)
        case ("predict", .regressor(let p, let t)):
            return t == 1 ? (try asColumn(p), 1) : (p, t)
        case ("predict", .classifier(let l, _, _)), ("predict", .decision(let l, _, _)), ("predict", .label(let l)):
            guard l.elementType == nil || l.elementType == .int64 else {
                throw SklearnError.invalid(path: m.path, reason: "a stacked member predicting non-integer labels (members are fitted on encoded classes)")
            }
            return (try asColumn(try b.node("Cast", [l], attributes: ["to": .dataType(dtype)], name: "member_label\(k)")), 1)
        case ("predict_proba", _), ("decision_function", _), ("predict", _):
            throw SklearnError.invalid(path: m.path, reason: "stack_method_ '\(method)' of \(m.className ?? "this member") is not what its converter produces (\(kind(out)))")
        default:
            throw SklearnError.invalid(path: m.path, reason: "Stacking stack_method_ '\(method)' is not converted (predict_proba, decision_function, predict are)")
        }
    }

    func kind(_ out: SklearnOutputs) -> String {
        switch out {
        case .classifier: return "labels and probabilities"
        case .decision: return "labels and decision_function scores"
        case .label: return "labels alone"
        case .regressor: return "predictions"
        case .transformed: return "a transform"
        }
    }
}
