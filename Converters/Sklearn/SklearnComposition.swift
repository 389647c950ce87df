import ONNX
import PythonObjects

/// FeatureUnion (every transformer on the whole input, outputs side by side),
/// ColumnTransformer (each transformer on its columns: index lists, slices, boolean
/// masks, names through `feature_names_in_`; "drop", "passthrough", remainder) and
/// FunctionTransformer (identity only: any other function is refused by name, since
/// converting it would mean running it). All three read columns one by one, so string
/// columns reach the encoders inside them.
struct SklearnComposition: SklearnColumnLowering {
    static let union = "sklearn.pipeline.FeatureUnion"
    static let columns = "sklearn.compose._column_transformer.ColumnTransformer"
    static let function = "sklearn.preprocessing._function_transformer.FunctionTransformer"
    var classNames: [String] { [Self.union, Self.columns, Self.function] }

    func addNodes(_ node: PyNode, to b: GraphBuilder, columns: SklearnColumns, dtype: DataType) throws -> SklearnColumnOutputs {
        switch node.className ?? "" {
        case Self.function:
            guard node.optionalAttribute("func")?.isNone ?? true else {
                let f = node.optionalAttribute("func").map { "\($0.value.kindName)" } ?? ""
                throw SklearnError.invalid(path: node.path + ".func", reason: "FunctionTransformer with \(f) is not converted (only the identity, func=None)")
            }
            return .columns(columns)
        case Self.union:
            if let w = node.optionalAttribute("transformer_weights"), !w.isNone {
                throw SklearnError.invalid(path: w.path, reason: "transformer_weights are not converted yet")
            }
            var parts: [(GraphBuilder.Value, Int)] = []
            for item in try node.attribute("transformer_list").items() {
                let est = try item.item(1)
                if case .string("drop") = est.value { continue }
                if case .string("passthrough") = est.value { parts.append((try SklearnColumnOutputs.columns(columns).transformed(b, node))); continue }
                parts.append(try SklearnConverter.addNodes(est, to: b, columns: columns, dtype: dtype).transformed(b, est))
            }
            return .outputs(try concat(parts, b, node))
        default:
            var parts: [(GraphBuilder.Value, Int)] = []
            for (k, (name, est, cols)) in try entries(node, width: columns.width).enumerated() {
                if cols.isEmpty { continue }
                if case .string("drop") = est.value { continue }
                let selected = try columns.selecting(cols, to: b, name: "select\(k)")
                let what = "ColumnTransformer entry '\(name)' (\(SklearnColumns.describe(est)))"
                if case .string("passthrough") = est.value { parts.append(try SklearnColumnOutputs.columns(selected).transformed(b, est, what: what)); continue }
                parts.append(try SklearnConverter.addNodes(est, to: b, columns: selected, dtype: dtype).transformed(b, est, what: what))
            }
            return .outputs(try concat(parts, b, node))
        }
    }

    func stringColumns(_ node: PyNode, width: Int) throws -> [Int: String] {
        switch node.className ?? "" {
        case Self.function: return [:]
        case Self.union:
            var out: [Int: String] = [:]
            for item in try node.attribute("transformer_list").items() {
                out.merge(try SklearnConverter.stringColumns(try item.item(1), width: width)) { a, _ in a }
            }
            return out
        default:
            var out: [Int: String] = [:]
            for (_, est, cols) in try entries(node, width: width) where !cols.isEmpty {
                for (k, why) in try SklearnConverter.stringColumns(est, width: cols.count) where k < cols.count && out[cols[k]] == nil { out[cols[k]] = why }
            }
            return out
        }
    }

    /// A ColumnTransformer's fitted entries (remainder included): each name and
    /// transformer (or "drop" / "passthrough") with the input columns it reads.
    func entries(_ node: PyNode, width: Int) throws -> [(String, PyNode, [Int])] {
        let names = try node.optionalAttribute("feature_names_in_").map { try SklearnInputSchema.strings($0) }
        let resolved = node.optionalAttribute("_transformer_to_input_indices")
        return try node.attribute("transformers_").items().map { item in
            let spec = try item.item(2)
            let name = (try? item.item(0).string()) ?? ""
            var fallback: PyNode? = nil
            if let resolved, case .dict(let d) = resolved.value,
               let v = d.entries.first(where: { if case .string(name) = $0.key { return true } else { return false } })?.value {
                fallback = PyNode(v, path: "\(resolved.path)['\(name)']")
            }
            return (name, try item.item(1), try columnIndices(spec, width: width, names: names, resolved: fallback))
        }
    }

    func concat(_ parts: [(GraphBuilder.Value, Int)], _ b: GraphBuilder, _ node: PyNode) throws -> SklearnOutputs {
        guard !parts.isEmpty else { throw SklearnError.invalid(path: node.path, reason: "no transformer produces output") }
        if parts.count == 1 { return .transformed(parts[0].0, width: parts[0].1) }
        return .transformed(try b.node("Concat", parts.map(\.0), attributes: ["axis": .int(1)], name: "concatenated"), width: parts.reduce(0) { $0 + $1.1 })
    }

    /// The input columns a ColumnTransformer entry names: an index, a slice, a list of
    /// indices, booleans or names (`names`: the ColumnTransformer's `feature_names_in_`),
    /// or an array of those. Anything else (a pandas Index) takes the indices scikit-learn
    /// resolved at fit, `_transformer_to_input_indices` (`resolved`).
    func columnIndices(_ c: PyNode, width: Int, names: [String]?, resolved: PyNode?) throws -> [Int] {
        func named(_ n: String) throws -> Int {
            guard let names else {
                throw SklearnError.invalid(path: c.path, reason: "column '\(n)' is selected by name, but the ColumnTransformer has no feature_names_in_ (it was not fitted on a DataFrame)")
            }
            guard let i = names.firstIndex(of: n) else {
                throw SklearnError.invalid(path: c.path, reason: "column '\(n)' is not among feature_names_in_ (\(names.joined(separator: ", ")))")
            }
            return i
        }
        func index(_ v: Int) throws -> Int {
            let i = v < 0 ? v + width : v
            guard i >= 0, i < width else { throw SklearnError.invalid(path: c.path, reason: "column \(v) of \(width)") }
            return i
        }
        switch c.value {
        case .int(let i): return [try index(Int(i))]
        case .slice(let start, let stop, let step):
            func int(_ v: PyValue, _ d: Int) throws -> Int { if case .int(let i) = v { return Int(i) }; if case .none = v { return d }; throw SklearnError.invalid(path: c.path, reason: "slice bound \(v.kindName)") }
            let st = try int(step, 1)
            guard st > 0 else { throw SklearnError.invalid(path: c.path, reason: "negative slice steps are not converted") }
            var a = try int(start, 0), z = try int(stop, width)
            if a < 0 { a += width }
            if z < 0 { z += width }
            return Array(stride(from: max(0, a), to: min(width, z), by: st))
        case .list, .tuple:
            let items = try c.items()
            if items.isEmpty { return [] }
            if items.allSatisfy({ if case .bool = $0.value { return true } else { return false } }) {
                guard items.count == width else { throw SklearnError.invalid(path: c.path, reason: "a mask of \(items.count) for \(width) columns") }
                return items.enumerated().compactMap { k, v in if case .bool(true) = v.value { return k } else { return nil } }
            }
            return try items.map { item in
                if case .string(let n) = item.value { return try named(n) }
                return try index(try item.int())
            }
        case .ndarray(let a):
            if a.dtype.kind == "b" {
                let m = try a.doubles()
                guard m.count == width else { throw SklearnError.invalid(path: c.path, reason: "a mask of \(m.count) for \(width) columns") }
                return m.enumerated().compactMap { $1 != 0 ? $0 : nil }
            }
            if a.objects != nil || a.dtype.kind == "U" || a.dtype.kind == "S" { return try SklearnInputSchema.strings(c).map(named) }
            return try c.int64s().map { try index(Int($0)) }
        case .string(let n): return [try named(n)]
        default:
            if let resolved { return try resolved.items().map { try index(try $0.int()) } }
            throw SklearnError.invalid(path: c.path, reason: "columns given as \(c.value.kindName)")
        }
    }
}
