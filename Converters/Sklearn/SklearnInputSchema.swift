import ConversionKit
import ONNX
import PythonObjects

/// How a scikit-learn model's input becomes graph inputs (README, "Decisions"):
///
/// - every column numeric, no `--input-schema`: one float input `input` [N, F], as always;
/// - some column read as strings (an encoder's `categories_` or a SimpleImputer's
///   `statistics_` are strings there: scikit-learn does not record input dtypes): one
///   [N, 1] input per column, named after `feature_names_in_` (or x0, x1, ... as
///   scikit-learn names unnamed columns), string for those columns and float otherwise;
/// - `--input-schema name:type,...`: one input per column with those names and types, in
///   that order, checked against the model.
enum SklearnInputSchema {
    /// One graph input: its name, type and the model column it feeds.
    struct Entry: Equatable {
        var name: String
        var kind: InputColumn.Kind
        var column: Int
    }

    /// Graph output names a column cannot take.
    static let outputNames: Set<String> = ["output", "label", "probabilities", "scores", "predictions"]

    /// The graph inputs for `root` taking `width` columns, or nil for the single float
    /// input [N, width].
    static func entries(root: PyNode, width: Int, hints: SourceHints) throws -> [Entry]? {
        let strings = try SklearnConverter.stringColumns(root, width: width)
        var names = try featureNames(root)
        if let n = names, n.count != width { names = nil }
        let entries: [Entry]
        if let schema = hints.inputSchema {
            let listed = names.map { " (\($0.joined(separator: ", ")))" } ?? ""
            guard schema.count == width else {
                throw SklearnError.invalid(path: root.path, reason: "--input-schema declares \(schema.count) column\(schema.count == 1 ? "" : "s"); the model takes \(width)\(listed)")
            }
            var seen: Set<String> = []
            for c in schema where !seen.insert(c.name).inserted {
                throw SklearnError.invalid(path: root.path, reason: "--input-schema declares column '\(c.name)' twice")
            }
            entries = try schema.enumerated().map { k, c in
                var column = k
                if let names {
                    guard let i = names.firstIndex(of: c.name) else {
                        throw SklearnError.invalid(path: root.path, reason: "--input-schema: unknown column '\(c.name)'; the model's columns are\(listed)")
                    }
                    column = i
                }
                if let why = strings[column], c.kind != .string {
                    throw SklearnError.invalid(path: root.path, reason: "--input-schema declares column '\(c.name)' \(c.kind.rawValue), but \(why), so it reads strings")
                }
                return Entry(name: c.name, kind: c.kind, column: column)
            }
        } else {
            if strings.isEmpty { return nil }
            let columnNames = names ?? (0..<width).map { "x\($0)" }
            entries = columnNames.enumerated().map { Entry(name: $1, kind: strings[$0] != nil ? .string : .float, column: $0) }
        }
        for e in entries where outputNames.contains(e.name) || e.name.isEmpty {
            throw SklearnError.invalid(path: root.path, reason: "column '\(e.name)' cannot name a graph input (it is empty or an output's name); rename it with --input-schema")
        }
        return entries
    }

    /// Declares the inputs (in `entries` order) and gives the model's columns in its own
    /// order: int64 inputs are cast to the float type inside the graph.
    static func addInputs(_ entries: [Entry], to b: GraphBuilder, dtype: DataType) throws -> SklearnColumns {
        var columns = [SklearnColumns.Column?](repeating: nil, count: entries.count)
        for e in entries {
            let type: DataType = e.kind == .string ? .string : e.kind == .int64 ? .int64 : dtype
            var v = try b.input(e.name, type, [.symbolic("N"), .fixed(1)])
            if e.kind == .int64 { v = try b.node("Cast", [v], attributes: ["to": .dataType(dtype)], name: "\(e.name)_as_float") }
            columns[e.column] = SklearnColumns.Column(value: v, isString: e.kind == .string, name: e.name)
        }
        return SklearnColumns(columns: columns.compactMap { $0 })
    }

    /// The input's column names: `feature_names_in_` of the estimator, or of the first
    /// step or member that records them (as `SklearnConverter.inputWidth` finds widths).
    static func featureNames(_ node: PyNode) throws -> [String]? {
        if let n = node.optionalAttribute("feature_names_in_") { return try strings(n) }
        if let steps = node.optionalAttribute("steps"), let first = try? steps.item(0).item(1) { return try featureNames(first) }
        if let list = node.optionalAttribute("transformer_list"), let first = try? list.item(0).item(1) { return try featureNames(first) }
        if let est = node.optionalAttribute("estimator_"), est.className != nil { return try featureNames(est) }
        return nil
    }

    /// The strings of a 1-d array of names (object or fixed-width).
    static func strings(_ node: PyNode) throws -> [String] {
        switch try SklearnTreeConverter.labels(node) {
        case .strings(let s): return s
        case .integers: throw SklearnError.invalid(path: node.path, reason: "numbers where column names were expected")
        }
    }
}
