import Foundation
import ONNX
import PythonObjects

/// The feature selectors whose fitted state fixes the kept columns: SelectKBest,
/// SelectPercentile, SelectFpr, SelectFdr, SelectFwe and GenericUnivariateSelect (from
/// `scores_` / `pvalues_` the way each `_get_support_mask` computes it), RFE, RFECV and
/// SequentialFeatureSelector (their `support_`). `transform` gathers those columns.
struct SklearnFeatureSelection: SklearnGraphLowering {
    static let module = "sklearn.feature_selection."
    static let kBest = module + "_univariate_selection.SelectKBest"
    static let percentile = module + "_univariate_selection.SelectPercentile"
    static let fpr = module + "_univariate_selection.SelectFpr"
    static let fdr = module + "_univariate_selection.SelectFdr"
    static let fwe = module + "_univariate_selection.SelectFwe"
    static let generic = module + "_univariate_selection.GenericUnivariateSelect"
    static let supportOwners = [module + "_rfe.RFE", module + "_rfe.RFECV", module + "_sequential.SequentialFeatureSelector"]
    var classNames: [String] { [Self.kBest, Self.percentile, Self.fpr, Self.fdr, Self.fwe, Self.generic] + Self.supportOwners }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let mask = try Self.support(node)
        guard mask.count == width else { throw SklearnError.invalid(path: node.path, reason: "a support mask of \(mask.count) for \(width) input columns") }
        let keep = mask.enumerated().compactMap { $1 ? $0 : nil }
        guard !keep.isEmpty else { throw SklearnError.invalid(path: node.path, reason: "\(Self.short(node)) keeps no feature (scikit-learn returns an empty array)") }
        let cols = try b.initializer(keep.map(Int64.init), shape: [Int64(keep.count)], name: "selected_columns")
        return .transformed(try b.node("Gather", [x, cols], attributes: ["axis": .int(1)], name: "selected"), width: keep.count)
    }

    static func short(_ node: PyNode) -> String { String((node.className ?? "").split(separator: ".").last ?? "") }

    /// The kept columns, as `get_support()` returns them.
    static func support(_ node: PyNode) throws -> [Bool] {
        let cls = node.className ?? ""
        if supportOwners.contains(cls) {
            let s = try node.attribute("support_")
            return try s.doubles().map { $0 != 0 }
        }
        if cls == generic {
            let mode = try node.attribute("mode").string()
            let param = try node.attribute("param")
            switch mode {
            case "k_best": return try kBestMask(try node.attribute("scores_").doubles(), k: param, path: param.path)
            case "percentile": return percentileMask(try node.attribute("scores_").doubles(), percentile: try param.double())
            case "fpr", "fdr", "fwe": return try alphaMask(mode, try node.attribute("pvalues_").doubles(), alpha: try param.double())
            default: throw SklearnError.invalid(path: node.path + ".mode", reason: "GenericUnivariateSelect mode '\(mode)' is not converted")
            }
        }
        switch cls {
        case kBest: return try kBestMask(try node.attribute("scores_").doubles(), k: try node.attribute("k"), path: node.path + ".k")
        case percentile: return percentileMask(try node.attribute("scores_").doubles(), percentile: try node.attribute("percentile").double())
        case fpr: return try alphaMask("fpr", try node.attribute("pvalues_").doubles(), alpha: try node.attribute("alpha").double())
        case fdr: return try alphaMask("fdr", try node.attribute("pvalues_").doubles(), alpha: try node.attribute("alpha").double())
        case fwe: return try alphaMask("fwe", try node.attribute("pvalues_").doubles(), alpha: try node.attribute("alpha").double())
        default: throw SklearnError.unsupported(className: cls, path: node.path, supported: SklearnFeatureSelection().classNames)
        }
    }

    /// NaN scores count as the lowest (`_clean_nans`).
    static func cleaned(_ scores: [Double]) -> [Double] { scores.map { $0.isNaN ? -Double.greatestFiniteMagnitude : $0 } }

    /// SelectKBest: the k last of a stable ascending sort (ties keep the later columns).
    static func kBestMask(_ raw: [Double], k kNode: PyNode, path: String) throws -> [Bool] {
        if case .string("all") = kNode.value { return Array(repeating: true, count: raw.count) }
        let k = try kNode.int()
        guard k >= 0, k <= raw.count else { throw SklearnError.invalid(path: path, reason: "k=\(k) for \(raw.count) features") }
        let scores = cleaned(raw)
        let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        var mask = Array(repeating: false, count: scores.count)
        for i in order.suffix(k) { mask[i] = true }
        return mask
    }

    /// SelectPercentile: scores above numpy's linear percentile at `100 - percentile`,
    /// plus the first tied columns up to `int(n * percentile / 100)`.
    static func percentileMask(_ raw: [Double], percentile: Double) -> [Bool] {
        if percentile == 100 { return Array(repeating: true, count: raw.count) }
        if percentile == 0 { return Array(repeating: false, count: raw.count) }
        let scores = cleaned(raw)
        let threshold = linearPercentile(scores, (100 - percentile) / 100)
        var mask = scores.map { $0 > threshold }
        let ties = scores.indices.filter { scores[$0] == threshold }
        let maxFeatures = Int(Double(scores.count) * percentile / 100)
        let room = maxFeatures - mask.filter { $0 }.count
        for i in ties.prefix(max(0, room)) { mask[i] = true }
        return mask
    }

    /// `np.percentile(values, 100 * q)` with method "linear", including numpy's `_lerp`
    /// (which interpolates from the upper value when the weight is at least 0.5).
    static func linearPercentile(_ values: [Double], _ q: Double) -> Double {
        let a = values.sorted()
        let virtual = Double(a.count - 1) * q
        let lo = min(max(Int(virtual.rounded(.down)), 0), a.count - 1)
        let hi = min(lo + 1, a.count - 1)
        let t = virtual - Double(lo)
        let diff = a[hi] - a[lo]
        return t >= 0.5 ? a[hi] - diff * (1 - t) : a[lo] + diff * t
    }

    /// SelectFpr, SelectFdr (Benjamini-Hochberg) and SelectFwe (Bonferroni) on p-values.
    static func alphaMask(_ mode: String, _ p: [Double], alpha: Double) throws -> [Bool] {
        let n = Double(p.count)
        switch mode {
        case "fpr": return p.map { $0 < alpha }
        case "fwe": return p.map { $0 < alpha / n }
        default:
            let sorted = p.sorted()
            let selected = sorted.enumerated().filter { $1 <= alpha / n * Double($0 + 1) }.map(\.1)
            guard let top = selected.max() else { return Array(repeating: false, count: p.count) }
            return p.map { $0 <= top }
        }
    }
}
