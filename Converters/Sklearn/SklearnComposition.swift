import ONNX
import PythonObjects

/// FeatureUnion (every transformer on the whole input, outputs side by side),
/// ColumnTransformer (each transformer on its columns: index lists, slices, boolean
/// masks; "drop", "passthrough", remainder) and FunctionTransformer (identity only: any
/// other function is refused by name, since converting it would mean running it).
struct SklearnComposition: SklearnGraphLowering {
    static let union = "sklearn.pipeline.FeatureUnion"
    static let columns = "sklearn.compose._column_transformer.ColumnTransformer"
    static let function = "sklearn.preprocessing._function_transformer.FunctionTransformer"
    var classNames: [String] { [Self.union, Self.columns, Self.function] }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        switch node.className ?? "" {
        case Self.function:
            guard node.optionalAttribute("func")?.isNone ?? true else {
                let f = node.optionalAttribute("func").map { "\($0.value.kindName)" } ?? ""
                throw SklearnError.invalid(path: node.path + ".func", reason: "FunctionTransformer with \(f) is not converted (only the identity, func=None)")
            }
            return .transformed(x, width: width)
        case Self.union:
            if let w = node.optionalAttribute("transformer_weights"), !w.isNone {
                throw SklearnError.invalid(path: w.path, reason: "transformer_weights are not converted yet")
            }
            var parts: [(GraphBuilder.Value, Int)] = []
            for item in try node.attribute("transformer_list").items() {
                let est = try item.item(1)
                if case .string("drop") = est.value { continue }
                if case .string("passthrough") = est.value { parts.append((x, width)); continue }
                parts.append(try transformed(est, b, x, width, dtype))
            }
            return try concat(parts, b)
        default:
            var parts: [(GraphBuilder.Value, Int)] = []
            for (k, item) in try node.attribute("transformers_").items().enumerated() {
                let est = try item.item(1)
                let cols = try columnIndices(try item.item(2), width: width)
                if cols.isEmpty { continue }
                if case .string("drop") = est.value { continue }
                let selected = try b.node("Gather", [x, try b.initializer(cols.map(Int64.init), shape: [Int64(cols.count)], name: "columns\(k)")],
                                          attributes: ["axis": .int(1)], name: "select\(k)")
                if case .string("passthrough") = est.value { parts.append((selected, cols.count)); continue }
                parts.append(try transformed(est, b, selected, cols.count, dtype))
            }
            return try concat(parts, b)
        }
    }

    func transformed(_ est: PyNode, _ b: GraphBuilder, _ x: GraphBuilder.Value, _ width: Int, _ dtype: DataType) throws -> (GraphBuilder.Value, Int) {
        guard case .transformed(let v, let w) = try SklearnConverter.graphLowering(for: est).addNodes(est, to: b, input: x, width: width, dtype: dtype) else {
            throw SklearnError.invalid(path: est.path, reason: "\(est.className ?? "") inside a union of transformers is not a transformer")
        }
        return (v, w)
    }

    func concat(_ parts: [(GraphBuilder.Value, Int)], _ b: GraphBuilder) throws -> SklearnOutputs {
        guard !parts.isEmpty else { throw SklearnError.invalid(path: "", reason: "no transformer produces output") }
        if parts.count == 1 { return .transformed(parts[0].0, width: parts[0].1) }
        return .transformed(try b.node("Concat", parts.map(\.0), attributes: ["axis": .int(1)], name: "concatenated"), width: parts.reduce(0) { $0 + $1.1 })
    }

    /// The input columns a ColumnTransformer entry names.
    func columnIndices(_ c: PyNode, width: Int) throws -> [Int] {
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
            if items.allSatisfy({ if case .bool = $0.value { return true } else { return false } }) {
                guard items.count == width else { throw SklearnError.invalid(path: c.path, reason: "a mask of \(items.count) for \(width) columns") }
                return items.enumerated().compactMap { k, v in if case .bool(true) = v.value { return k } else { return nil } }
            }
            return try items.map { try index(try $0.int()) }
        case .ndarray(let a):
            if a.dtype.kind == "b" {
                let m = try a.doubles()
                guard m.count == width else { throw SklearnError.invalid(path: c.path, reason: "a mask of \(m.count) for \(width) columns") }
                return m.enumerated().compactMap { $1 != 0 ? $0 : nil }
            }
            return try c.int64s().map { try index(Int($0)) }
        case .string: throw SklearnError.invalid(path: c.path, reason: "columns selected by name need --input-schema, which is not implemented yet")
        default: throw SklearnError.invalid(path: c.path, reason: "columns given as \(c.value.kindName)")
        }
    }
}
