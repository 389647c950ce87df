import ONNX
import PythonObjects

/// OrdinalEncoder on numeric or string categories: each value becomes its index in
/// `categories_[f]`; the missing value (NaN, or the empty string in a string input),
/// when it was a category during fit, becomes `encoded_missing_value`; an unknown value
/// becomes `unknown_value` with handle_unknown="use_encoded_value". With
/// handle_unknown="error" scikit-learn raises on an unknown value; a graph cannot, so it
/// gives NaN there. Infrequent categories (min_frequency, max_categories) share one code,
/// from `_default_to_infrequent_mappings`.
struct SklearnOrdinalEncoder: SklearnColumnLowering {
    static let ordinal = "sklearn.preprocessing._encoders.OrdinalEncoder"
    var classNames: [String] { [Self.ordinal] }

    func stringColumns(_ node: PyNode, width: Int) throws -> [Int: String] {
        try SklearnConverter.stringCategoryColumns(node, width: width)
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, columns: SklearnColumns, dtype: DataType) throws -> SklearnColumnOutputs {
        let width = columns.width
        let infrequent = node.optionalAttribute("_infrequent_enabled").map { if case .bool(true) = $0.value { return true } else { return false } } ?? false
        let cats = try node.attribute("categories_").items()
        guard cats.count == width else { throw SklearnError.invalid(path: node.path + ".categories_", reason: "\(cats.count) category lists for \(width) columns") }
        let unknown: Double
        switch try node.attribute("handle_unknown").string() {
        case "use_encoded_value": unknown = try node.attribute("unknown_value").double()
        case "error": unknown = .nan
        case let other: throw SklearnError.invalid(path: node.path + ".handle_unknown", reason: "OrdinalEncoder handle_unknown '\(other)' is not converted")
        }
        let missingNode = try node.attribute("encoded_missing_value")
        let encodedMissing = try missingNode.double()
        var parts: [GraphBuilder.Value] = []
        for (f, c) in cats.enumerated() {
            let (column, all) = try SklearnCategories(c).numericColumn(try columns.column(f, to: b), reader: node, feature: f, to: b, dtype: dtype)
            // NaN, when a category, is the last one (np.unique sorts it there).
            let known = all.filter { !$0.isNaN }
            let hasMissing = known.count < all.count
            let codes = infrequent ? try groupedCodes(node, feature: f, known: known.count) : nil
            var code: GraphBuilder.Value
            if known.isEmpty {
                code = try b.node("Add", [try b.node("Mul", [column, try b.floats([0], shape: [], dtype: dtype, name: "zero")], name: "ordinal_zeros\(f)"),
                                          try b.floats([unknown], shape: [], dtype: dtype, name: "unknown_value")], name: "ordinal_unknown\(f)")
            } else {
                let table = try SklearnDistributionTransforms.equalityBounds(known, b, dtype, name: "ordinal_categories\(f)")
                let hits = try b.node("Cast", [try b.node("Equal", [column, table], name: "ordinal_matches\(f)")], attributes: ["to": .dataType(dtype)], name: "ordinal_matches_float\(f)")
                let axis = try b.initializer([Int64(1)], shape: [1], name: "axis1")
                let found = try b.node("ReduceMax", [hits, axis], attributes: ["keepdims": .int(1)], name: "ordinal_found\(f)")
                let index = try b.node("ArgMax", [hits], attributes: ["axis": .int(1), "keepdims": .int(1)], name: "ordinal_index\(f)")
                let indexFloat = try codes.map { try b.node("Gather", [try b.floats($0, shape: [Int64($0.count)], dtype: dtype, name: "ordinal_grouped_codes\(f)"), index],
                                                              attributes: ["axis": .int(0)], name: "ordinal_grouped\(f)") }
                    ?? b.node("Cast", [index], attributes: ["to": .dataType(dtype)], name: "ordinal_index_float\(f)")
                let isFound = try b.node("Greater", [found, try b.floats([0], shape: [], dtype: dtype, name: "zero")], name: "ordinal_is_found\(f)")
                code = try b.node("Where", [isFound, indexFloat, try b.floats([unknown], shape: [], dtype: dtype, name: "unknown_value")], name: "ordinal_code\(f)")
            }
            if hasMissing {
                code = try b.node("Where", [try b.node("IsNaN", [column], name: "ordinal_missing\(f)"), try b.floats([encodedMissing], shape: [], dtype: dtype, name: "encoded_missing_value"), code],
                                  name: "ordinal_code_missing\(f)")
            }
            parts.append(code)
        }
        return .outputs(.transformed(parts.count == 1 ? parts[0] : try b.node("Concat", parts, attributes: ["axis": .int(1)], name: "ordinal"), width: width))
    }

    /// The code of each known (not missing) category of feature `f` once infrequent ones
    /// are grouped: `_default_to_infrequent_mappings[f]`, or the index when the feature
    /// has none. The missing value is not grouped (scikit-learn keeps its encoding).
    func groupedCodes(_ node: PyNode, feature f: Int, known: Int) throws -> [Double] {
        guard let list = node.optionalAttribute("_default_to_infrequent_mappings"), !list.isNone else { return (0..<known).map(Double.init) }
        let items = try list.items()
        guard f < items.count else { throw SklearnError.invalid(path: list.path, reason: "no entry for feature \(f)") }
        if items[f].isNone { return (0..<known).map(Double.init) }
        let m = try items[f].int64s(rank: 1)
        guard m.count >= known else { throw SklearnError.invalid(path: items[f].path, reason: "\(m.count) entries for \(known) categories") }
        return m.prefix(known).map(Double.init)
    }
}
