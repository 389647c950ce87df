import ONNX
import PythonObjects

/// What a lowering reads: the model's single float input [N, F] (or a matrix an earlier
/// step made), or one [N, 1] value per column when the graph has an input per column
/// (string columns, `--input-schema`; README, "Decisions").
struct SklearnColumns {
    /// A column that is a value of its own: a float tensor [N, 1] in the graph's float
    /// type, or a string tensor [N, 1].
    struct Column {
        var value: GraphBuilder.Value
        var isString: Bool
        /// The graph input's name, for messages.
        var name: String
    }

    enum Storage {
        case matrix(GraphBuilder.Value)
        case separate([Column])
    }

    let storage: Storage
    /// The number of columns.
    let width: Int

    /// The columns of one float matrix [N, width].
    init(matrix: GraphBuilder.Value, width: Int) {
        storage = .matrix(matrix)
        self.width = width
    }

    /// Columns that are values of their own.
    init(columns: [Column]) {
        storage = .separate(columns)
        width = columns.count
    }

    /// Whether any column holds strings.
    var hasStrings: Bool {
        if case .separate(let c) = storage { return c.contains(where: \.isString) }
        return false
    }

    /// Column `f` as [N, 1].
    func column(_ f: Int, to b: GraphBuilder) throws -> Column {
        switch storage {
        case .matrix(let x): return Column(value: try SklearnCategoryMatch.column(x, f, to: b), isString: false, name: "column \(f)")
        case .separate(let c): return c[f]
        }
    }

    /// The columns `indices`, in that order (a ColumnTransformer entry): a Gather of a
    /// matrix, or the chosen columns.
    func selecting(_ indices: [Int], to b: GraphBuilder, name: String) throws -> SklearnColumns {
        switch storage {
        case .matrix(let x):
            let selected = try b.node("Gather", [x, try b.initializer(indices.map(Int64.init), shape: [Int64(indices.count)], name: "\(name)_indices")],
                                      attributes: ["axis": .int(1)], name: name)
            return SklearnColumns(matrix: selected, width: indices.count)
        case .separate(let c): return SklearnColumns(columns: indices.map { c[$0] })
        }
    }

    /// All columns as one float matrix [N, width], for `reader`, which reads numbers;
    /// a string column is an error that names it and the reader.
    func floatMatrix(to b: GraphBuilder, reader: PyNode) throws -> GraphBuilder.Value {
        switch storage {
        case .matrix(let x): return x
        case .separate(let c):
            if let s = c.first(where: \.isString) {
                throw SklearnError.invalid(path: reader.path, reason: "\(SklearnColumns.describe(reader)) reads numbers, but its input column '\(s.name)' holds strings "
                                           + "(string columns can reach OneHotEncoder, OrdinalEncoder, TargetEncoder and SimpleImputer)")
            }
            guard !c.isEmpty else { throw SklearnError.invalid(path: reader.path, reason: "no input columns") }
            if c.count == 1 { return c[0].value }
            return try b.node("Concat", c.map(\.value), attributes: ["axis": .int(1)], name: "columns")
        }
    }

    /// "OneHotEncoder" for a node's class ("passthrough" for that string), for messages.
    static func describe(_ node: PyNode) -> String {
        if case .string(let s) = node.value { return s }
        return String((node.className ?? node.value.kindName).split(separator: ".").last ?? "")
    }
}

/// What a column-reading lowering gives: a lowering's outputs, or columns that still may
/// hold strings (SimpleImputer on string columns, the identity FunctionTransformer).
enum SklearnColumnOutputs {
    case outputs(SklearnOutputs)
    case columns(SklearnColumns)

    /// As a transformer's float matrix [N, width]; `node` made it (`what` names it in
    /// messages, by default its class).
    func transformed(_ b: GraphBuilder, _ node: PyNode, what: String? = nil) throws -> (GraphBuilder.Value, Int) {
        switch self {
        case .outputs(.transformed(let v, let w)): return (v, w)
        case .outputs: throw SklearnError.invalid(path: node.path, reason: "\(SklearnColumns.describe(node)) is not a transformer here")
        case .columns(let c):
            if c.hasStrings, case .separate(let cols) = c.storage, let s = cols.first(where: \.isString) {
                throw SklearnError.invalid(path: node.path, reason: "\(what ?? SklearnColumns.describe(node)) passes the string column '\(s.name)' on unencoded; "
                                           + "its output would mix strings and numbers (encode or drop that column)")
            }
            return (try c.floatMatrix(to: b, reader: node), c.width)
        }
    }

    /// As a whole lowering's outputs (a matrix when columns came out).
    func outputs(_ b: GraphBuilder, _ node: PyNode) throws -> SklearnOutputs {
        if case .outputs(let o) = self { return o }
        let (v, w) = try transformed(b, node)
        return .transformed(v, width: w)
    }
}

/// A lowering that reads its input column by column (encoders, imputers, compositions,
/// pipelines), so that string columns can reach it. Others read a float matrix; a string
/// column given to one of them is an error naming the column and the estimator.
protocol SklearnColumnLowering: SklearnGraphLowering {
    /// Adds the estimator's nodes reading `columns`.
    func addNodes(_ node: PyNode, to b: GraphBuilder, columns: SklearnColumns, dtype: DataType) throws -> SklearnColumnOutputs
    /// The columns (of `width`) the estimator reads as strings: those whose fitted
    /// categories or statistics are strings, each with the attribute that says so.
    /// scikit-learn does not record the input's dtypes; this is how the converter
    /// tells a string column.
    func stringColumns(_ node: PyNode, width: Int) throws -> [Int: String]
}

extension SklearnColumnLowering {
    /// The float-matrix entry point: the matrix's columns.
    func addNodes(_ node: PyNode, to b: GraphBuilder, input: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        try addNodes(node, to: b, columns: SklearnColumns(matrix: input, width: width), dtype: dtype).outputs(b, node)
    }
}

extension SklearnConverter {
    /// Lowers `node` reading `columns`: column by column when its lowering can, else on
    /// the columns as one float matrix.
    static func addNodes(_ node: PyNode, to b: GraphBuilder, columns: SklearnColumns, dtype: DataType,
                         lowering given: SklearnGraphLowering? = nil) throws -> SklearnColumnOutputs {
        let lowering = try given ?? graphLowering(for: node)
        if let c = lowering as? SklearnColumnLowering { return try c.addNodes(node, to: b, columns: columns, dtype: dtype) }
        return .outputs(try lowering.addNodes(node, to: b, input: try columns.floatMatrix(to: b, reader: node), width: columns.width, dtype: dtype))
    }

    /// The columns (of `width`) `node` reads as strings, with the attribute that says so.
    static func stringColumns(_ node: PyNode, width: Int) throws -> [Int: String] {
        if case .string = node.value { return [:] }   // "drop", "passthrough"
        if node.isNone { return [:] }
        guard let c = try graphLowering(for: node) as? SklearnColumnLowering else { return [:] }
        return try c.stringColumns(node, width: width)
    }
}
