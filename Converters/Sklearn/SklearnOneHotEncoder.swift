import ONNX
import PythonObjects

/// OneHotEncoder.transform on numeric or string categories, one feature at a time: a
/// known category sets its column; NaN (numeric) or the empty string (string inputs) is
/// the missing value, its own column when it was fitted; drop (first, if_binary, explicit)
/// leaves a column out. An unknown category gives zeros, as handle_unknown="ignore" does,
/// also when the encoder was fitted with "error" (a graph cannot raise). Infrequent
/// categories (min_frequency, max_categories) share one column, which unknown ones join
/// with handle_unknown="infrequent_if_exist" (or "warn").
struct SklearnOneHotEncoder: SklearnColumnLowering {
    static let className = "sklearn.preprocessing._encoders.OneHotEncoder"
    var classNames: [String] { [Self.className] }

    func stringColumns(_ node: PyNode, width: Int) throws -> [Int: String] {
        try SklearnConverter.stringCategoryColumns(node, width: width)
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, columns: SklearnColumns, dtype: DataType) throws -> SklearnColumnOutputs {
        let width = columns.width
        // drop: per feature, the index of the category whose column is left out (None: none).
        var dropped: [Int?] = []
        if let d = node.optionalAttribute("drop_idx_"), !d.isNone { dropped = try d.items().map { $0.isNone ? nil : try $0.int() } }
        let infrequent = node.optionalAttribute("_infrequent_enabled").map { if case .bool(true) = $0.value { return true } else { return false } } ?? false
        let cats = try node.attribute("categories_").items()
        guard cats.count == width else { throw SklearnError.invalid(path: node.path + ".categories_", reason: "\(cats.count) category lists for \(width) columns") }
        guard dropped.isEmpty || dropped.count == width else { throw SklearnError.invalid(path: node.path + ".drop_idx_", reason: "\(dropped.count) entries for \(width) columns") }
        var parts: [GraphBuilder.Value] = []
        var total = 0
        for (f, c) in cats.enumerated() {
            let categories = try SklearnCategories(c)
            let (column, values) = try categories.numericColumn(try columns.column(f, to: b), reader: node, feature: f, to: b, dtype: dtype)
            let hits = try SklearnCategoryMatch.hits(column, categories: values, to: b, dtype: dtype, name: "\(f)")
            var onehot = try b.node("Cast", [hits], attributes: ["to": .dataType(dtype)], name: "onehot\(f)")
            var count = values.count
            if infrequent {
                let grouping = try Grouping(node, feature: f, categories: values.count)
                onehot = try grouping.apply(onehot, to: b, dtype: dtype, feature: f)
                count = grouping.outputs
            } else if f < dropped.count, let d = dropped[f] {
                guard d >= 0, d < values.count else { throw SklearnError.invalid(path: node.path + ".drop_idx_[\(f)]", reason: "\(d) is not a category index of feature \(f)") }
                let kept = (0..<values.count).filter { $0 != d }.map { Int64($0) }
                onehot = try b.node("Gather", [onehot, try b.initializer(kept, shape: [Int64(kept.count)], name: "kept\(f)")], attributes: ["axis": .int(1)], name: "onehot_kept\(f)")
                count -= 1
            }
            parts.append(onehot)
            total += count
        }
        return .outputs(.transformed(parts.count == 1 ? parts[0] : try b.node("Concat", parts, attributes: ["axis": .int(1)], name: "onehot"), width: total))
    }

    /// One feature's infrequent grouping: which output column each category (and an
    /// unknown value) sets, from `_default_to_infrequent_mappings`, `_infrequent_indices`,
    /// `_drop_idx_after_grouping` and handle_unknown, as OneHotEncoder._transform and
    /// transform compute them.
    struct Grouping {
        /// Per category, then for an unknown value: the output column, or nil for none.
        let target: [Int?]
        let outputs: Int

        init(_ node: PyNode, feature f: Int, categories: Int) throws {
            let path = node.path
            func entry(_ name: String) throws -> PyNode? {
                guard let list = node.optionalAttribute(name), !list.isNone else { return nil }
                let items = try list.items()
                guard f < items.count else { throw SklearnError.invalid(path: list.path, reason: "no entry for feature \(f)") }
                return items[f].isNone ? nil : items[f]
            }
            var grouped = Array(0..<categories)
            if let m = try entry("_default_to_infrequent_mappings") {
                grouped = try m.int64s(rank: 1).map(Int.init)
                guard grouped.count == categories else { throw SklearnError.invalid(path: m.path, reason: "\(grouped.count) entries for \(categories) categories") }
            }
            let groups = (grouped.max() ?? -1) + 1
            guard grouped.allSatisfy({ $0 >= 0 }) else { throw SklearnError.invalid(path: path + "._default_to_infrequent_mappings[\(f)]", reason: "a negative column") }
            var unknown: Int? = nil
            let handle = try node.attribute("handle_unknown").string()
            if let inf = try entry("_infrequent_indices"), ["infrequent_if_exist", "warn"].contains(handle) {
                guard let first = try inf.int64s(rank: 1).first, first >= 0, Int(first) < categories else {
                    throw SklearnError.invalid(path: inf.path, reason: "not an index of the \(categories) categories")
                }
                unknown = grouped[Int(first)]
            }
            var drop: Int? = nil
            if let d = try entry("_drop_idx_after_grouping") { drop = try d.int() }
            func column(_ g: Int?) -> Int? {
                guard let g else { return nil }
                if let drop { return g == drop ? nil : (g > drop ? g - 1 : g) }
                return g
            }
            target = grouped.map { column($0) } + [column(unknown)]
            outputs = groups - (drop.map { $0 < groups ? 1 : 0 } ?? 0)
            if let n = try entry("_n_features_outs"), try n.int() != outputs {
                throw SklearnError.invalid(path: path + "._n_features_outs[\(f)]", reason: "\(try n.int()) output columns, but the grouping gives \(outputs)")
            }
        }

        /// The grouped columns [N, outputs] from the per-category one-hot [N, C]: one
        /// 0/1 matrix product, with an unknown value's column fed by 1 - max(row).
        func apply(_ onehot: GraphBuilder.Value, to b: GraphBuilder, dtype: DataType, feature f: Int) throws -> GraphBuilder.Value {
            let c = target.count - 1
            let known = try b.node("ReduceMax", [onehot, try b.initializer([Int64(1)], shape: [1], name: "axis1")], attributes: ["keepdims": .int(1)], name: "onehot_known\(f)")
            let unknown = try b.node("Sub", [try b.floats([1], shape: [], dtype: dtype, name: "one"), known], name: "onehot_unknown\(f)")
            let rows = try b.node("Concat", [onehot, unknown], attributes: ["axis": .int(1)], name: "onehot_with_unknown\(f)")
            var m = [Double](repeating: 0, count: (c + 1) * outputs)
            for (r, t) in target.enumerated() { if let t { m[r * outputs + t] = 1 } }
            return try b.node("MatMul", [rows, try b.floats(m, shape: [Int64(c + 1), Int64(outputs)], dtype: dtype, name: "infrequent_grouping\(f)")], name: "onehot_grouped\(f)")
        }
    }
}
