import ONNX
import PythonObjects

/// Which of a feature's fitted categories each row holds: Bool [N, C] from a column
/// [N, 1]. NaN is a category when it was fitted (scikit-learn keeps it last), and
/// `Equal` never matches NaN, so that category is matched with IsNaN.
enum SklearnCategoryMatch {
    static func hits(_ column: GraphBuilder.Value, categories values: [Double], to b: GraphBuilder, dtype: DataType, name: String) throws -> GraphBuilder.Value {
        var hits = try b.node("Equal", [column, try b.floats(values, shape: [Int64(values.count)], dtype: dtype, name: "categories_\(name)")], name: "matches_\(name)")
        if let nan = values.firstIndex(where: { $0.isNaN }) {
            let isNaN = try b.node("IsNaN", [column], name: "missing_\(name)")
            let nanColumn = try b.initializer((0..<values.count).map { $0 == nan }, shape: [Int64(values.count)], name: "nan_category_\(name)")
            hits = try b.node("Or", [hits, try b.node("And", [isNaN, nanColumn], name: "nan_match_\(name)")], name: "matches_or_nan_\(name)")
        }
        return hits
    }

    /// Column `f` of `x` as [N, 1].
    static func column(_ x: GraphBuilder.Value, _ f: Int, to b: GraphBuilder) throws -> GraphBuilder.Value {
        try b.node("Slice", [x, try b.initializer([Int64(f)], shape: [1], name: "c\(f)_start"), try b.initializer([Int64(f + 1)], shape: [1], name: "c\(f)_end"),
                             try b.initializer([Int64(1)], shape: [1], name: "axis1_\(f)")], name: "column\(f)")
    }
}

/// TargetEncoder.transform (numeric or string categories; the missing value, NaN or the
/// empty string in a string input, a category when it was fitted): each known category
/// becomes its fitted encoding, an unknown one `target_mean_`; one column per feature, or
/// per feature and class (feature-major) for a multiclass target.
struct SklearnTargetEncoder: SklearnColumnLowering {
    var classNames: [String] { ["sklearn.preprocessing._target_encoder.TargetEncoder"] }

    func stringColumns(_ node: PyNode, width: Int) throws -> [Int: String] {
        try SklearnConverter.stringCategoryColumns(node, width: width)
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, columns: SklearnColumns, dtype: DataType) throws -> SklearnColumnOutputs {
        let width = columns.width
        let cats = try node.attribute("categories_").items()
        guard cats.count == width else { throw SklearnError.invalid(path: node.path + ".categories_", reason: "\(cats.count) category lists for \(width) columns") }
        let encodings = try node.attribute("encodings_").items()
        let type = try node.attribute("target_type_").string()
        let means: [Double]
        let perFeature: Int
        if type == "multiclass" {
            means = try node.attribute("target_mean_").doubles(rank: 1)
            perFeature = means.count
        } else {
            means = [try node.attribute("target_mean_").double()]
            perFeature = 1
        }
        guard encodings.count == width * perFeature else {
            throw SklearnError.invalid(path: node.path + ".encodings_", reason: "\(encodings.count) encodings for \(width) features x \(perFeature)")
        }
        var parts: [GraphBuilder.Value] = []
        for f in 0..<width {
            let (column, values) = try SklearnCategories(cats[f]).numericColumn(try columns.column(f, to: b), reader: node, feature: f, to: b, dtype: dtype)
            let hits = try b.node("Cast", [try SklearnCategoryMatch.hits(column, categories: values, to: b, dtype: dtype, name: "te\(f)")],
                                  attributes: ["to": .dataType(dtype)], name: "te_onehot\(f)")
            let known = try b.node("ReduceMax", [hits, try b.initializer([Int64(1)], shape: [1], name: "te_axis\(f)")], attributes: ["keepdims": .int(1)], name: "te_known\(f)")
            let unknown = try b.node("Sub", [try b.floats([1], shape: [], dtype: dtype, name: "te_one\(f)"), known], name: "te_unknown\(f)")
            // [C, perFeature]: the encodings of this feature's categories, one column per class.
            var table = [Double](repeating: 0, count: values.count * perFeature)
            for j in 0..<perFeature {
                let e = try encodings[f * perFeature + j].doubles(rank: 1)
                guard e.count == values.count else { throw SklearnError.invalid(path: encodings[f * perFeature + j].path, reason: "\(e.count) encodings for \(values.count) categories") }
                for c in 0..<values.count { table[c * perFeature + j] = e[c] }
            }
            let encoded = try b.node("MatMul", [hits, try b.floats(table, shape: [Int64(values.count), Int64(perFeature)], dtype: dtype, name: "te_table\(f)")], name: "te_encoded\(f)")
            let fallback = try b.node("Mul", [unknown, try b.floats(means, shape: [Int64(perFeature)], dtype: dtype, name: "te_mean\(f)")], name: "te_fallback\(f)")
            parts.append(try b.node("Add", [encoded, fallback], name: "te_feature\(f)"))
        }
        let out = parts.count == 1 ? parts[0] : try b.node("Concat", parts, attributes: ["axis": .int(1)], name: "target_encoded")
        return .outputs(.transformed(out, width: width * perFeature))
    }
}
