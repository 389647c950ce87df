import Foundation
import ONNX
import PythonObjects

/// One feature's fitted categories, an encoder's `categories_[f]`: numbers (NaN among
/// them when it was fitted, last as np.unique sorts it), or strings (object arrays of
/// str, or numpy's fixed-width `<U`/`S` arrays), with the missing value (None or NaN,
/// which scikit-learn keeps last) when it was fitted. A string input gives a missing
/// value as the empty string.
enum SklearnCategories {
    case numbers([Double])
    case strings([String], missing: Bool)

    /// The categories at `node` (a 1-d array).
    init(_ node: PyNode) throws {
        let a = try node.array(rank: 1)
        if let objects = a.objects {
            var strings: [String] = [], numbers: [Double] = []
            var nones = 0, nans = 0
            for (i, o) in objects.enumerated() {
                switch o {
                case .string(let s): strings.append(s)
                case .none: nones += 1
                case .float(let d) where d.isNaN: nans += 1
                case .float, .int, .bool, .numpyScalar: numbers.append(try PyNode(o, path: "\(node.path)[\(i)]").double())
                default: throw SklearnError.invalid(path: "\(node.path)[\(i)]", reason: "a category of \(o.kindName) (only numbers and strings are converted)")
                }
            }
            if strings.isEmpty {
                guard nones == 0 else { throw SklearnError.invalid(path: node.path, reason: "None among numeric categories") }
                self = .numbers(numbers + Array(repeating: .nan, count: nans))
                return
            }
            guard numbers.isEmpty else { throw SklearnError.invalid(path: node.path, reason: "categories mix strings and numbers") }
            guard nones + nans <= 1 else {
                throw SklearnError.invalid(path: node.path, reason: "both None and NaN are categories; a string input has one missing value (the empty string), so they cannot be told apart")
            }
            if nones + nans == 1, strings.contains("") {
                throw SklearnError.invalid(path: node.path, reason: "both the empty string and a missing value are categories; a string input gives a missing value as the empty string, so they cannot be told apart")
            }
            self = .strings(strings, missing: nones + nans == 1)
            return
        }
        if a.dtype.kind == "U" || a.dtype.kind == "S" {
            guard case .strings(let s) = try SklearnTreeConverter.labels(node) else { throw SklearnError.invalid(path: node.path, reason: "unreadable string categories") }
            self = .strings(s, missing: false)
            return
        }
        self = .numbers(try a.doubles(path: node.path))
    }

    /// The number of categories (a fitted missing value counts as one).
    var count: Int {
        switch self {
        case .numbers(let v): return v.count
        case .strings(let s, let m): return s.count + (m ? 1 : 0)
        }
    }

    var isStrings: Bool { if case .strings = self { return true } else { return false } }

    /// The feature's column as numbers and the numeric categories to match them with: a
    /// numeric column and its categories as they are; a string column becomes its
    /// category's index (LabelEncoder with string keys), the missing value ("") NaN and
    /// an unknown string -1, matched with the categories 0, 1, ... (and NaN when missing
    /// was fitted), so numeric lowerings serve both. `reader` and `feature` are for messages.
    func numericColumn(_ column: SklearnColumns.Column, reader: PyNode, feature f: Int, to b: GraphBuilder, dtype: DataType) throws -> (value: GraphBuilder.Value, categories: [Double]) {
        let what = "\(SklearnColumns.describe(reader))'s categories_[\(f)]"
        switch self {
        case .numbers(let v):
            guard !column.isString else {
                throw SklearnError.invalid(path: reader.path + ".categories_[\(f)]", reason: "\(what) are numbers, but its input column '\(column.name)' holds strings")
            }
            return (column.value, v)
        case .strings(let s, let missing):
            guard column.isString else {
                throw SklearnError.invalid(path: reader.path + ".categories_[\(f)]",
                                           reason: "\(what) are strings, but its input column '\(column.name)' is numeric (declare it string in --input-schema)")
            }
            guard (b.opsets[Domain.ml] ?? 0) >= 2 else {
                throw SklearnError.invalid(path: reader.path + ".categories_[\(f)]", reason: "string categories need --ml-opset 2 or later (LabelEncoder with string keys)")
            }
            var keys = s, codes = s.indices.map { Float($0) }
            if missing { keys.append(""); codes.append(.nan) }
            var v = try b.node("LabelEncoder", [column.value], attributes: ["keys_strings": .strings(keys), "values_floats": .floats(codes), "default_float": .float(-1)],
                               domain: Domain.ml, name: "category_codes\(f)")
            if dtype == .double { v = try b.node("Cast", [v], attributes: ["to": .dataType(.double)], name: "category_codes_double\(f)") }
            return (v, s.indices.map { Double($0) } + (missing ? [.nan] : []))
        }
    }

    /// Whether the categories at `node` are strings (for the input-type inference); an
    /// unreadable array counts as not strings (the lowering reports it).
    static func areStrings(_ node: PyNode) -> Bool {
        (try? SklearnCategories(node))?.isStrings ?? false
    }
}

extension SklearnConverter {
    /// The string-category columns of an encoder's `categories_`, for `stringColumns`.
    static func stringCategoryColumns(_ node: PyNode, width: Int) throws -> [Int: String] {
        guard let cats = try node.optionalAttribute("categories_")?.items() else { return [:] }
        var out: [Int: String] = [:]
        for (f, c) in cats.enumerated() where f < width && SklearnCategories.areStrings(c) {
            out[f] = "\(SklearnColumns.describe(node)) at \(node.path) has string categories_[\(f)]"
        }
        return out
    }
}
