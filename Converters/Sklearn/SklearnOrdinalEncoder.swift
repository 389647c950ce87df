import ONNX
import PythonObjects

/// OrdinalEncoder with numeric categories: each value becomes its index in
/// `categories_[f]`; NaN, when NaN was a category during fit, becomes
/// `encoded_missing_value`; an unknown value becomes `unknown_value` with
/// handle_unknown="use_encoded_value". With handle_unknown="error" scikit-learn raises on
/// an unknown value; a graph cannot, so it gives NaN there.
struct SklearnOrdinalEncoder: SklearnGraphLowering {
    static let ordinal = "sklearn.preprocessing._encoders.OrdinalEncoder"
    var classNames: [String] { [Self.ordinal] }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        if case .bool(true)? = node.optionalAttribute("_infrequent_enabled")?.value {
            throw SklearnError.invalid(path: node.path + "._infrequent_enabled", reason: "OrdinalEncoder with infrequent categories (min_frequency / max_categories) is not converted")
        }
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
            guard case .ndarray(let a) = c.value, a.objects == nil, a.dtype.isNumeric else {
                throw SklearnError.invalid(path: c.path, reason: "OrdinalEncoder categories of \(c.value.kindName) are not converted (only numeric)")
            }
            let all = try c.doubles(rank: 1)
            // NaN, when a category, is the last one (np.unique sorts it there).
            let known = all.filter { !$0.isNaN }
            let hasMissing = known.count < all.count
            let column = try b.node("Gather", [x, try b.initializer([Int64(f)], shape: [1], name: "ordinal_column\(f)_index")], attributes: ["axis": .int(1)], name: "ordinal_column\(f)")
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
                let indexFloat = try b.node("Cast", [index], attributes: ["to": .dataType(dtype)], name: "ordinal_index_float\(f)")
                let isFound = try b.node("Greater", [found, try b.floats([0], shape: [], dtype: dtype, name: "zero")], name: "ordinal_is_found\(f)")
                code = try b.node("Where", [isFound, indexFloat, try b.floats([unknown], shape: [], dtype: dtype, name: "unknown_value")], name: "ordinal_code\(f)")
            }
            if hasMissing {
                code = try b.node("Where", [try b.node("IsNaN", [column], name: "ordinal_missing\(f)"), try b.floats([encodedMissing], shape: [], dtype: dtype, name: "encoded_missing_value"), code],
                                  name: "ordinal_code_missing\(f)")
            }
            parts.append(code)
        }
        return .transformed(parts.count == 1 ? parts[0] : try b.node("Concat", parts, attributes: ["axis": .int(1)], name: "ordinal"), width: width)
    }
}
