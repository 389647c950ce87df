import ONNX

/// ZipMap (ai.onnx.ml 1): each row of a float tensor [N, C] (or [C]) becomes a map
/// from class label (int64 or string) to score; the output is a sequence of N maps,
/// keys in ascending order (as onnxruntime's std::map), each value a float32 scalar.
struct ZipMap: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "ZipMap"
    static let sinceVersions: [Int64] = [1]

    let labels: MLLabels
    /// For each output key position, the input column (last duplicate wins).
    let order: [Int]
    let keys: TensorValue

    init(_ c: OpContext) throws {
        let ints = try c.ints("classlabels_int64s", default: [])
        let strings = try c.strings("classlabels_strings", default: [])
        guard ints.isEmpty != strings.isEmpty else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "classlabels_int64s", message: "exactly one of classlabels_int64s and classlabels_strings must be given")
        }
        if ints.isEmpty {
            labels = .strings(strings)
            var last: [String: Int] = [:]
            for (i, s) in strings.enumerated() { last[s] = i }
            let sorted = last.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            order = sorted.map { last[$0]! }
            keys = TensorValue(strings: sorted, shape: [sorted.count])
        } else {
            labels = .ints(ints)
            var last: [Int64: Int] = [:]
            for (i, v) in ints.enumerated() { last[v] = i }
            let sorted = last.keys.sorted()
            order = sorted.map { last[$0]! }
            keys = TensorValue(int64s: sorted, shape: [sorted.count])
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.rank == 1 || x.rank == 2 else { throw context.invalid("ZipMap takes a [N, C] or [C] tensor, not rank \(x.rank)") }
        let cols = x.shape[x.rank - 1]
        let rows = x.rank == 2 ? x.shape[0] : 1
        guard cols == labels.count else { throw context.invalid("the input has \(cols) columns for \(labels.count) labels") }
        let v = try x.floats()
        var maps: [Value] = []
        maps.reserveCapacity(rows)
        for r in 0..<rows {
            let values = order.map { Value.tensor(TensorValue(floats: [v[r * cols + $0]], shape: [])) }
            maps.append(.map(keys: keys, values: values))
        }
        let keyType: DataType = { if case .ints = labels { return .int64 } else { return .string } }()
        let elem = TypeProto(.map(keyType: keyType, value: TypeProto(.tensor(elemType: .float, shape: nil))))
        return [.sequence(maps, elementType: elem)]
    }
}
