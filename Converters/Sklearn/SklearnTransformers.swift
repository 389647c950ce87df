import ONNX
import PythonObjects

/// Column-wise transformers: MinMaxScaler, MaxAbsScaler, Normalizer, Binarizer,
/// SimpleImputer (numeric strategies), MissingIndicator, PCA, IncrementalPCA and
/// TruncatedSVD, each as scikit-learn's `transform` computes it.
struct SklearnTransformers: SklearnGraphLowering {
    static let minMax = "sklearn.preprocessing._data.MinMaxScaler"
    static let maxAbs = "sklearn.preprocessing._data.MaxAbsScaler"
    static let normalizer = "sklearn.preprocessing._data.Normalizer"
    static let binarizer = "sklearn.preprocessing._data.Binarizer"
    static let imputer = "sklearn.impute._base.SimpleImputer"
    static let pca = "sklearn.decomposition._pca.PCA"
    static let incrementalPCA = "sklearn.decomposition._incremental_pca.IncrementalPCA"
    static let truncatedSVD = "sklearn.decomposition._truncated_svd.TruncatedSVD"
    static let missingIndicator = "sklearn.impute._base.MissingIndicator"
    var classNames: [String] { [Self.minMax, Self.maxAbs, Self.normalizer, Self.binarizer, Self.imputer, Self.pca, Self.incrementalPCA, Self.truncatedSVD, Self.missingIndicator] }

    func vector(_ node: PyNode, _ name: String, width: Int) throws -> [Double] {
        let a = try node.attribute(name)
        // Object arrays of numbers (SimpleImputer's constant strategy) read element-wise.
        let v: [Double]
        if case .ndarray(let arr) = a.value, arr.objects != nil { v = try a.items().map { try $0.double() } } else { v = try a.doubles() }
        guard v.count == width else { throw SklearnError.invalid(path: a.path, reason: "\(v.count) values for \(width) columns") }
        return v
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let w = Int64(width)
        switch node.className ?? "" {
        case Self.minMax:
            // X * scale_ + min_ (clip=True also clips to feature_range).
            var v = try b.node("Mul", [x, try b.floats(try vector(node, "scale_", width: width), shape: [w], dtype: dtype, name: "scale")], name: "scaled")
            v = try b.node("Add", [v, try b.floats(try vector(node, "min_", width: width), shape: [w], dtype: dtype, name: "min")], name: "shifted")
            if case .bool(true)? = node.optionalAttribute("clip")?.value {
                let range = try node.attribute("feature_range").items().map { try $0.double() }
                guard range.count == 2 else { throw SklearnError.invalid(path: node.path + ".feature_range", reason: "not a pair") }
                v = try b.node("Max", [v, try b.floats([range[0]], shape: [], dtype: dtype, name: "range_low")], name: "clip_low")
                v = try b.node("Min", [v, try b.floats([range[1]], shape: [], dtype: dtype, name: "range_high")], name: "clip_high")
            }
            return .transformed(v, width: width)
        case Self.maxAbs:
            return .transformed(try b.node("Div", [x, try b.floats(try vector(node, "scale_", width: width), shape: [w], dtype: dtype, name: "scale")], name: "scaled"), width: width)
        case Self.normalizer:
            let norm = try node.attribute("norm").string()
            let axis = try b.initializer([Int64(1)], shape: [1], name: "axis1")
            let n: GraphBuilder.Value
            switch norm {
            case "l2": n = try b.node("ReduceL2", [x, axis], attributes: ["keepdims": .int(1)], name: "row_norm")
            case "l1": n = try b.node("ReduceL1", [x, axis], attributes: ["keepdims": .int(1)], name: "row_norm")
            case "max": n = try b.node("ReduceMax", [try b.node("Abs", [x], name: "magnitude"), axis], attributes: ["keepdims": .int(1)], name: "row_norm")
            default: throw SklearnError.invalid(path: node.path + ".norm", reason: "norm '\(norm)' is not l1, l2 or max")
            }
            // Rows of norm 0 are left as they are (scikit-learn divides by 1 there).
            let zero = try b.floats([0], shape: [], dtype: dtype, name: "zero")
            let one = try b.floats([1], shape: [], dtype: dtype, name: "one")
            let safe = try b.node("Where", [try b.node("Equal", [n, zero], name: "zero_norm"), one, n], name: "safe_norm")
            return .transformed(try b.node("Div", [x, safe], name: "normalized"), width: width)
        case Self.binarizer:
            let t = try node.attribute("threshold").double()
            let above = try b.node("Greater", [x, try b.floats([t], shape: [], dtype: dtype, name: "threshold")], name: "above")
            return .transformed(try b.node("Cast", [above], attributes: ["to": .dataType(dtype)], name: "binary"), width: width)
        case Self.imputer:
            let strategy = try node.attribute("strategy").string()
            guard ["mean", "median", "constant", "most_frequent"].contains(strategy) else {
                throw SklearnError.invalid(path: node.path + ".strategy", reason: "strategy '\(strategy)' is not converted")
            }
            if case .bool(true)? = node.optionalAttribute("add_indicator")?.value {
                throw SklearnError.invalid(path: node.path + ".add_indicator", reason: "add_indicator is not converted yet")
            }
            if let mv = node.optionalAttribute("missing_values"), case .float(let m) = mv.value, !m.isNaN {
                throw SklearnError.invalid(path: mv.path, reason: "missing_values \(m) is not converted (only NaN)")
            }
            let stats = try vector(node, "statistics_", width: width)
            if stats.contains(where: \.isNaN) {
                throw SklearnError.invalid(path: node.path + ".statistics_", reason: "columns without statistics are dropped by scikit-learn; not converted yet")
            }
            let fill = try b.floats(stats, shape: [w], dtype: dtype, name: "statistics")
            return .transformed(try b.node("Where", [try b.node("IsNaN", [x], name: "missing"), fill, x], name: "imputed"), width: width)
        case Self.missingIndicator:
            return try missingIndicator(node, to: b, input: x, width: width, dtype: dtype)
        case Self.pca, Self.incrementalPCA, Self.truncatedSVD:
            // (X - mean_) · components_ᵀ, divided by sqrt(explained_variance_) when whitened
            // (_BasePCA); TruncatedSVD has neither mean_ nor whiten: X · components_ᵀ.
            let comps = try node.attribute("components_")
            let c = try comps.array(rank: 2)
            let k = c.shape[0]
            guard c.shape[1] == width else { throw SklearnError.invalid(path: comps.path, reason: "\(c.shape[1]) columns for \(width) inputs") }
            let cv = try comps.doubles()
            var t = [Double](repeating: 0, count: width * k)
            for r in 0..<k { for col in 0..<width { t[col * k + r] = cv[r * width + col] } }
            var v = x
            if let mean = node.optionalAttribute("mean_"), !mean.isNone {
                v = try b.node("Sub", [v, try b.floats(try vector(node, "mean_", width: width), shape: [w], dtype: dtype, name: "mean")], name: "centered")
            }
            v = try b.node("MatMul", [v, try b.floats(t, shape: [w, Int64(k)], dtype: dtype, name: "components")], name: "projected")
            if case .bool(true)? = node.optionalAttribute("whiten")?.value {
                let ev = try node.attribute("explained_variance_").doubles()
                guard ev.count == k else { throw SklearnError.invalid(path: node.path + ".explained_variance_", reason: "\(ev.count) values for \(k) components") }
                // _BasePCA raises scales below the float64 epsilon to it.
                let scales = ev.map { max($0.squareRoot(), Double.ulpOfOne) }
                v = try b.node("Div", [v, try b.floats(scales, shape: [Int64(k)], dtype: dtype, name: "whitening")], name: "whitened")
            }
            return .transformed(v, width: k)
        default:
            throw SklearnError.unsupported(className: node.className ?? "", path: node.path, supported: classNames)
        }
    }
}

extension SklearnTransformers {
    /// MissingIndicator: 1 where a value is missing (NaN, or equal to `missing_values`),
    /// for the columns in `features_` ("missing-only": those missing during fit; "all":
    /// every column); 0 elsewhere. scikit-learn returns booleans; the graph keeps its
    /// float type so the mask can join other features. `error_on_new` cannot raise in a
    /// graph: a column missing only at transform time is just not in the output.
    func missingIndicator(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        if case .bool(true)? = node.optionalAttribute("_precomputed")?.value {
            throw SklearnError.invalid(path: node.path + "._precomputed", reason: "MissingIndicator fitted on a precomputed mask is not converted")
        }
        let mv = try node.attribute("missing_values")
        let missing: GraphBuilder.Value
        switch mv.value {
        case .float(let m) where m.isNaN: missing = try b.node("IsNaN", [x], name: "missing")
        case .float, .int, .numpyScalar:
            missing = try b.node("Equal", [x, try b.floats([try mv.double()], shape: [], dtype: dtype, name: "missing_value")], name: "missing")
        default: throw SklearnError.invalid(path: mv.path, reason: "MissingIndicator missing_values \(mv.value.kindName) is not converted (only numbers and NaN)")
        }
        let features = try node.attribute("features_").int64s()
        guard !features.isEmpty else { throw SklearnError.invalid(path: node.path + ".features_", reason: "no column had missing values during fit (scikit-learn returns an empty array)") }
        guard features.allSatisfy({ $0 >= 0 && $0 < Int64(width) }) else { throw SklearnError.invalid(path: node.path + ".features_", reason: "a column outside 0..<\(width)") }
        let mask = try b.node("Cast", [missing], attributes: ["to": .dataType(dtype)], name: "missing_mask")
        if features.count == width && features == (0..<Int64(width)).map({ $0 }) { return .transformed(mask, width: width) }
        let cols = try b.initializer(features, shape: [Int64(features.count)], name: "indicator_columns")
        return .transformed(try b.node("Gather", [mask, cols], attributes: ["axis": .int(1)], name: "indicator"), width: features.count)
    }
}

/// SimpleImputer reaches string columns: its fitted `statistics_` holds a string for
/// each (most_frequent, or constant with a string fill_value), and the missing value of a
/// string input is the empty string (scikit-learn's NaN or None), or `missing_values`
/// when that is a string. Its output keeps the columns apart, strings and numbers, for
/// the encoder after it. The other transformers read a float matrix.
extension SklearnTransformers: SklearnColumnLowering {
    /// One column's fitted statistic.
    enum Statistic { case number(Double), string(String) }

    func statistics(_ node: PyNode) throws -> [Statistic] {
        let stats = try node.attribute("statistics_")
        if case .ndarray(let a) = stats.value, a.objects == nil, a.dtype.kind != "U", a.dtype.kind != "S" { return try stats.doubles(rank: 1).map { .number($0) } }
        if case .ndarray(let a) = stats.value, a.dtype.kind == "U" || a.dtype.kind == "S" {
            guard case .strings(let s) = try SklearnTreeConverter.labels(stats) else { return [] }
            return s.map { .string($0) }
        }
        return try stats.items().map { item in
            if case .string(let s) = item.value { return .string(s) }
            return .number(try item.double())
        }
    }

    func stringColumns(_ node: PyNode, width: Int) throws -> [Int: String] {
        guard node.className == Self.imputer, node.optionalAttribute("statistics_") != nil else { return [:] }
        var out: [Int: String] = [:]
        for (f, s) in try statistics(node).enumerated() where f < width {
            if case .string = s { out[f] = "SimpleImputer at \(node.path) has the string statistics_[\(f)]" }
        }
        return out
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, columns: SklearnColumns, dtype: DataType) throws -> SklearnColumnOutputs {
        guard node.className == Self.imputer, case .separate(let input) = columns.storage, columns.hasStrings else {
            return .outputs(try addNodes(node, to: b, input: try columns.floatMatrix(to: b, reader: node), width: columns.width, dtype: dtype))
        }
        let strategy = try node.attribute("strategy").string()
        guard ["most_frequent", "constant"].contains(strategy) else {
            throw SklearnError.invalid(path: node.path + ".strategy", reason: "strategy '\(strategy)' on string columns is not converted (most_frequent and constant are)")
        }
        if case .bool(true)? = node.optionalAttribute("add_indicator")?.value {
            throw SklearnError.invalid(path: node.path + ".add_indicator", reason: "add_indicator is not converted yet")
        }
        guard (b.opsets[Domain.onnx] ?? 0) >= 19 else {
            throw SklearnError.invalid(path: node.path, reason: "SimpleImputer on string columns needs --opset 19 or later (Equal on strings)")
        }
        let stats = try statistics(node)
        guard stats.count == input.count else { throw SklearnError.invalid(path: node.path + ".statistics_", reason: "\(stats.count) values for \(input.count) columns") }
        // The missing value: NaN and None are the empty string of a string input.
        let mv = try node.attribute("missing_values")
        var missingString = "", missingNumber = Double.nan
        switch mv.value {
        case .none: break
        case .float(let m) where m.isNaN: break
        case .string(let s): missingString = s
        case .float, .int, .numpyScalar: missingNumber = try mv.double()
        default: throw SklearnError.invalid(path: mv.path, reason: "missing_values \(mv.value.kindName) is not converted")
        }
        var out: [SklearnColumns.Column] = []
        for (f, (column, stat)) in zip(input, stats).enumerated() {
            var c = column
            switch (column.isString, stat) {
            case (true, .string(let s)):
                let missing = try b.node("Equal", [column.value, try b.initializer(strings: [missingString], shape: [], name: "missing_string")], name: "missing\(f)")
                c.value = try b.node("Where", [missing, try b.initializer(strings: [s], shape: [], name: "statistic\(f)"), column.value], name: "imputed\(f)")
            case (false, .number(let v)):
                let missing = missingNumber.isNaN ? try b.node("IsNaN", [column.value], name: "missing\(f)")
                    : try b.node("Equal", [column.value, try b.floats([missingNumber], shape: [], dtype: dtype, name: "missing_value")], name: "missing\(f)")
                if v.isNaN { throw SklearnError.invalid(path: node.path + ".statistics_[\(f)]", reason: "columns without statistics are dropped by scikit-learn; not converted yet") }
                c.value = try b.node("Where", [missing, try b.floats([v], shape: [], dtype: dtype, name: "statistic\(f)"), column.value], name: "imputed\(f)")
            case (true, .number):
                throw SklearnError.invalid(path: node.path + ".statistics_[\(f)]", reason: "SimpleImputer's statistics_[\(f)] is a number, but its input column '\(column.name)' holds strings")
            case (false, .string):
                throw SklearnError.invalid(path: node.path + ".statistics_[\(f)]", reason: "SimpleImputer's statistics_[\(f)] is a string, but its input column '\(column.name)' is numeric (declare it string in --input-schema)")
            }
            out.append(c)
        }
        return .columns(SklearnColumns(columns: out))
    }
}
