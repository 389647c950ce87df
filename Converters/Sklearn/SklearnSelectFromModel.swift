import Foundation
import ONNX
import PythonObjects

/// SelectFromModel over an estimator with a stored `coef_` (the linear models): the
/// importances are |coef_| (or the norm of each column of a 2-d coef_ with
/// `norm_order`), the threshold is a number, "mean", "median", "k*mean" / "k*median" or
/// scikit-learn's default (1e-5 after an L1 penalty, else the mean), and `max_features`
/// keeps the largest first, as `_get_support_mask` does. Estimators whose importances
/// are computed properties (trees' feature_importances_) and callable getters are refused.
struct SklearnSelectFromModel: SklearnGraphLowering {
    static let selectFromModel = "sklearn.feature_selection._from_model.SelectFromModel"
    var classNames: [String] { [Self.selectFromModel] }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let mask = try Self.support(node)
        guard mask.count == width else { throw SklearnError.invalid(path: node.path, reason: "importances for \(mask.count) features, \(width) input columns") }
        let keep = mask.enumerated().compactMap { $1 ? $0 : nil }
        guard !keep.isEmpty else { throw SklearnError.invalid(path: node.path, reason: "SelectFromModel keeps no feature (scikit-learn returns an empty array)") }
        let cols = try b.initializer(keep.map(Int64.init), shape: [Int64(keep.count)], name: "selected_columns")
        return .transformed(try b.node("Gather", [x, cols], attributes: ["axis": .int(1)], name: "selected"), width: keep.count)
    }

    static func support(_ node: PyNode) throws -> [Bool] {
        let est = try node.optionalAttribute("estimator_") ?? node.attribute("estimator")
        if let g = node.optionalAttribute("importance_getter") {
            if case .string("auto") = g.value {} else {
                throw SklearnError.invalid(path: g.path, reason: "SelectFromModel importance_getter other than 'auto' is not converted")
            }
        }
        let scores = try importances(est, normOrder: node.optionalAttribute("norm_order"))
        let threshold = try thresholdValue(node, estimator: est, importances: scores)
        var mask = Array(repeating: true, count: scores.count)
        if let m = node.optionalAttribute("max_features_") ?? node.optionalAttribute("max_features"), !m.isNone {
            let k = try m.int()
            // argsort(-scores, kind="mergesort")[:k]: the largest, ties to the lower index.
            let order = scores.indices.sorted { -scores[$0] < -scores[$1] || (-scores[$0] == -scores[$1] && $0 < $1) }
            mask = Array(repeating: false, count: scores.count)
            for i in order.prefix(max(0, k)) { mask[i] = true }
        }
        for (i, s) in scores.enumerated() where s < threshold { mask[i] = false }
        return mask
    }

    /// `_get_feature_importances(..., transform_func="norm")` for a stored coef_.
    static func importances(_ est: PyNode, normOrder: PyNode?) throws -> [Double] {
        guard let coef = est.optionalAttribute("coef_") else {
            throw SklearnError.invalid(path: est.path, reason: "SelectFromModel over \(est.className ?? est.value.kindName) is not converted: only estimators with a stored coef_ (feature_importances_ is computed, not stored)")
        }
        let a = try coef.array()
        let v = try coef.doubles()
        if a.shape.count == 1 { return v.map(abs) }
        guard a.shape.count == 2 else { throw SklearnError.invalid(path: coef.path, reason: "a \(a.shape.count)-d coef_") }
        let rows = a.shape[0], cols = a.shape[1]
        let column = { (c: Int) in (0..<rows).map { v[$0 * cols + c] } }
        let order: Double
        if let o = normOrder, !o.isNone { order = try o.double() } else { order = 2 }
        return (0..<cols).map { c in
            let x = column(c)
            // np.linalg.norm(axis=0, ord=order), reducing the rows in order.
            if order == .infinity { return x.map(abs).max() ?? 0 }
            if order == -.infinity { return x.map(abs).min() ?? 0 }
            if order == 0 { return Double(x.filter { $0 != 0 }.count) }
            if order == 1 { return x.reduce(0) { $0 + abs($1) } }
            if order == 2 { return x.reduce(0) { $0 + $1 * $1 }.squareRoot() }
            return pow(x.reduce(0) { $0 + pow(abs($1), order) }, 1 / order)
        }
    }

    /// `_calculate_threshold`.
    static func thresholdValue(_ node: PyNode, estimator est: PyNode, importances: [Double]) throws -> Double {
        let t = try node.attribute("threshold")
        switch t.value {
        case .none: return try isL1Penalized(est) ? 1e-5 : mean(importances)
        case .string(let s):
            if s.contains("*") {
                let parts = s.split(separator: "*", omittingEmptySubsequences: false)
                guard parts.count == 2, let scale = Double(parts[0].trimmingCharacters(in: .whitespaces)) else {
                    throw SklearnError.invalid(path: t.path, reason: "SelectFromModel threshold '\(s)' is not a scale times a reference")
                }
                switch parts[1].trimmingCharacters(in: .whitespaces) {
                case "median": return scale * median(importances)
                case "mean": return scale * mean(importances)
                default: throw SklearnError.invalid(path: t.path, reason: "SelectFromModel threshold '\(s)': unknown reference")
                }
            }
            switch s {
            case "median": return median(importances)
            case "mean": return mean(importances)
            default: throw SklearnError.invalid(path: t.path, reason: "SelectFromModel threshold '\(s)' is not converted")
            }
        default: return try t.double()
        }
    }

    /// The estimators after whose fit scikit-learn's default threshold is 1e-5.
    static func isL1Penalized(_ est: PyNode) throws -> Bool {
        let name = String((est.className ?? "").split(separator: ".").last ?? "")
        func close(_ n: PyNode?) -> Bool {
            guard let n, let v = try? n.double() else { return false }
            return abs(v - 1) <= 1e-8 + 1e-5
        }
        if case .string("l1")? = est.optionalAttribute("penalty")?.value { return true }
        if name.contains("Lasso") { return true }
        if name == "ElasticNet" || name == "LogisticRegression" { return close(est.optionalAttribute("l1_ratio")) }
        if name == "ElasticNetCV" { return close(est.optionalAttribute("l1_ratio_")) }
        if name == "LogisticRegressionCV", let r = est.optionalAttribute("l1_ratio_") {
            if case .ndarray = r.value { return try r.doubles().allSatisfy { abs($0 - 1) <= 1e-8 + 1e-5 } }
            return close(r)
        }
        return false
    }

    /// np.mean of a 1-d float64 array: numpy's pairwise sum (8 partial sums below 128
    /// elements, halves above), divided by the count.
    static func mean(_ v: [Double]) -> Double { pairwiseSum(v[...]) / Double(v.count) }

    static func pairwiseSum(_ a: ArraySlice<Double>) -> Double {
        let n = a.count, s = a.startIndex
        if n < 8 { return a.reduce(0, +) }
        if n <= 128 {
            var r = (0..<8).map { a[s + $0] }
            var i = 8
            while i < n - n % 8 {
                for k in 0..<8 { r[k] += a[s + i + k] }
                i += 8
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n { res += a[s + i]; i += 1 }
            return res
        }
        var half = n / 2
        half -= half % 8
        return pairwiseSum(a[s..<(s + half)]) + pairwiseSum(a[(s + half)...])
    }

    /// np.median: the middle value, or the mean of the two middle values.
    static func median(_ v: [Double]) -> Double {
        let a = v.sorted(), n = a.count
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2
    }
}
