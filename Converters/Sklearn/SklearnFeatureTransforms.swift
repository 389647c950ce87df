import ONNX
import PythonObjects

/// RobustScaler, VarianceThreshold, PolynomialFeatures, KBinsDiscretizer (ordinal) and
/// VotingClassifier (soft here, hard in SklearnHardVoting) / VotingRegressor.
struct SklearnFeatureTransforms: SklearnGraphLowering {
    static let robust = "sklearn.preprocessing._data.RobustScaler"
    static let variance = "sklearn.feature_selection._variance_threshold.VarianceThreshold"
    static let polynomial = "sklearn.preprocessing._polynomial.PolynomialFeatures"
    static let kbins = "sklearn.preprocessing._discretization.KBinsDiscretizer"
    static let votingClassifier = "sklearn.ensemble._voting.VotingClassifier"
    static let votingRegressor = "sklearn.ensemble._voting.VotingRegressor"
    var classNames: [String] { [Self.robust, Self.variance, Self.polynomial, Self.kbins, Self.votingClassifier, Self.votingRegressor] }

    func columns(_ x: GraphBuilder.Value, _ cols: [Int], _ b: GraphBuilder, name: String) throws -> GraphBuilder.Value {
        try b.node("Gather", [x, try b.initializer(cols.map(Int64.init), shape: [Int64(cols.count)], name: "\(name)_columns")], attributes: ["axis": .int(1)], name: name)
    }

    /// scikit-learn's order of monomials: by degree, then combinations in lexicographic order.
    static func monomials(features: Int, degree: Int, interactionOnly: Bool, includeBias: Bool) -> [[Int]] {
        var out: [[Int]] = []
        func combos(_ start: Int, _ left: Int, _ current: [Int]) {
            if left == 0 { out.append(current); return }
            guard start < features else { return }
            for f in start..<features { combos(interactionOnly ? f + 1 : f, left - 1, current + [f]) }
        }
        for d in (includeBias ? 0 : 1)...degree { combos(0, d, []) }
        return out
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let w = Int64(width)
        switch node.className ?? "" {
        case Self.robust:
            var v = x
            if let c = node.optionalAttribute("center_"), !c.isNone {
                v = try b.node("Sub", [v, try b.floats(try c.doubles(), shape: [w], dtype: dtype, name: "center")], name: "centered")
            }
            if let s = node.optionalAttribute("scale_"), !s.isNone {
                v = try b.node("Div", [v, try b.floats(try s.doubles(), shape: [w], dtype: dtype, name: "scale")], name: "scaled")
            }
            return .transformed(v, width: width)
        case Self.variance:
            let t = try node.attribute("threshold").double()
            let keep = try node.attribute("variances_").doubles().enumerated().compactMap { $1 > t ? $0 : nil }
            guard !keep.isEmpty else { throw SklearnError.invalid(path: node.path, reason: "no feature passes the threshold") }
            return .transformed(try columns(x, keep, b, name: "selected"), width: keep.count)
        case Self.polynomial:
            let degree = try node.attribute("degree").int()
            let interaction = (try? node.attribute("interaction_only").value).map { if case .bool(true) = $0 { return true } else { return false } } ?? false
            let bias = (try? node.attribute("include_bias").value).map { if case .bool(false) = $0 { return false } else { return true } } ?? true
            let terms = Self.monomials(features: width, degree: degree, interactionOnly: interaction, includeBias: bias)
            if let n = node.optionalAttribute("n_output_features_"), try n.int() != terms.count {
                throw SklearnError.invalid(path: n.path, reason: "\(try n.int()) output features, computed \(terms.count) (min_degree is not converted)")
            }
            var parts: [GraphBuilder.Value] = []
            let one = try b.node("Add", [try b.node("Mul", [try columns(x, [0], b, name: "first_column"), try b.floats([0], shape: [], dtype: dtype, name: "zero")], name: "zeros"),
                                         try b.floats([1], shape: [], dtype: dtype, name: "one")], name: "ones")
            for (k, term) in terms.enumerated() {
                if term.isEmpty { parts.append(one); continue }
                var v = try columns(x, [term[0]], b, name: "term\(k)_0")
                for (m, f) in term.dropFirst().enumerated() { v = try b.node("Mul", [v, try columns(x, [f], b, name: "term\(k)_\(m + 1)")], name: "term\(k)_product\(m)") }
                parts.append(v)
            }
            return .transformed(try b.node("Concat", parts, attributes: ["axis": .int(1)], name: "polynomial"), width: terms.count)
        case Self.kbins:
            guard try node.attribute("encode").string() == "ordinal" else {
                throw SklearnError.invalid(path: node.path + ".encode", reason: "only encode='ordinal' is converted (one-hot output: chain an OneHotEncoder)")
            }
            let edges = try node.attribute("bin_edges_").items()
            guard edges.count == width else { throw SklearnError.invalid(path: node.path + ".bin_edges_", reason: "\(edges.count) edge lists for \(width) columns") }
            var parts: [GraphBuilder.Value] = []
            for (f, e) in edges.enumerated() {
                // searchsorted(edges[1:-1], x, side="right"): how many inner edges are <= x.
                let inner = Array(try e.doubles().dropFirst().dropLast())
                let column = try columns(x, [f], b, name: "bin_column\(f)")
                if inner.isEmpty {
                    parts.append(try b.node("Mul", [column, try b.floats([0], shape: [], dtype: dtype, name: "zero_bin\(f)")], name: "bins\(f)"))
                    continue
                }
                let ge = try b.node("GreaterOrEqual", [column, try b.floats(inner, shape: [Int64(inner.count)], dtype: dtype, name: "edges\(f)")], name: "past_edges\(f)")
                parts.append(try b.node("ReduceSum", [try b.node("Cast", [ge], attributes: ["to": .dataType(dtype)], name: "past_edges_float\(f)"),
                                                      try b.initializer([Int64(1)], shape: [1], name: "axis1_bins\(f)")], attributes: ["keepdims": .int(1)], name: "bins\(f)"))
            }
            return .transformed(parts.count == 1 ? parts[0] : try b.node("Concat", parts, attributes: ["axis": .int(1)], name: "bins"), width: width)
        case Self.votingRegressor:
            let members = try node.attribute("estimators_").items()
            let weights = try memberWeights(node, count: members.count)
            var total: GraphBuilder.Value? = nil
            for (k, m) in members.enumerated() {
                guard case .regressor(let p, 1) = try SklearnConverter.graphLowering(for: m).addNodes(m, to: b, input: x, width: width, dtype: dtype) else {
                    throw SklearnError.invalid(path: m.path, reason: "a voting member that is not a single-output regressor")
                }
                let weighted = try b.node("Mul", [p, try b.floats([weights[k]], shape: [], dtype: dtype, name: "weight\(k)")], name: "weighted\(k)")
                total = try total.map { try b.node("Add", [$0, weighted], name: "vote_sum\(k)") } ?? weighted
            }
            let sum = weights.reduce(0, +)
            return .regressor(try b.node("Div", [try nonEmpty(total, node), try b.floats([sum], shape: [], dtype: dtype, name: "weight_total")], name: "predictions"), targets: 1)
        default:
            let voting = try node.attribute("voting").string()
            if voting == "hard" { return try SklearnHardVoting.addNodes(node, to: b, input: x, width: width, dtype: dtype) }
            guard voting == "soft" else {
                throw SklearnError.invalid(path: node.path + ".voting", reason: "VotingClassifier voting '\(voting)' is not converted")
            }
            let members = try node.attribute("estimators_").items()
            let weights = try memberWeights(node, count: members.count)
            var total: GraphBuilder.Value? = nil
            var classes = 0
            for (k, m) in members.enumerated() {
                guard case .classifier(_, let probs, let c) = try SklearnConverter.graphLowering(for: m).addNodes(m, to: b, input: x, width: width, dtype: dtype) else {
                    throw SklearnError.invalid(path: m.path, reason: "a soft-voting member without probabilities")
                }
                classes = c
                let weighted = try b.node("Mul", [probs, try b.floats([weights[k]], shape: [], dtype: dtype, name: "weight\(k)")], name: "weighted\(k)")
                total = try total.map { try b.node("Add", [$0, weighted], name: "vote_sum\(k)") } ?? weighted
            }
            let probs = try b.node("Div", [try nonEmpty(total, node), try b.floats([weights.reduce(0, +)], shape: [], dtype: dtype, name: "weight_total")], name: "probabilities")
            let labels = try SklearnClassTable(try node.attribute("le_").attribute("classes_"))
            guard labels.count == classes else {
                throw SklearnError.invalid(path: node.path + ".le_", reason: "the label encoder's classes do not fit the members")
            }
            let index = try b.node("ArgMax", [probs], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
            let label = try b.node("Gather", [try labels.table(b), index], attributes: ["axis": .int(0)], name: "label")
            return .classifier(label: label, probabilities: probs, classes: classes)
        }
    }

    /// `_weights_not_none`: the weights of the members not set to "drop" (`weights` has
    /// one per entry of `estimators`, `estimators_` only the fitted ones); 1 each without
    /// weights.
    func memberWeights(_ node: PyNode, count: Int) throws -> [Double] {
        guard let w = node.optionalAttribute("weights"), !w.isNone else { return Array(repeating: 1, count: count) }
        let all = try w.items().map { try $0.double() }
        let specs = try node.attribute("estimators").items()
        guard specs.count == all.count else { throw SklearnError.invalid(path: w.path, reason: "\(all.count) weights for \(specs.count) estimators") }
        var values: [Double] = []
        for (spec, weight) in zip(specs, all) {
            if case .string("drop") = try spec.item(1).value { continue }
            values.append(weight)
        }
        guard values.count == count else { throw SklearnError.invalid(path: w.path, reason: "\(values.count) weights for \(count) fitted members") }
        return values
    }
}
