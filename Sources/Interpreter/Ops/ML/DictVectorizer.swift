import ONNX

/// DictVectorizer (ai.onnx.ml 1): a map (string or int64 keys) becomes a [1, V] tensor
/// of the map's value type, one column per vocabulary entry (string_vocabulary or
/// int64_vocabulary), zero (or "") where the key is absent.
struct DictVectorizer: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "DictVectorizer"
    static let sinceVersions: [Int64] = [1]

    let strings: [String]
    let ints: [Int64]

    init(_ c: OpContext) throws {
        strings = try c.strings("string_vocabulary", default: [])
        ints = try c.ints("int64_vocabulary", default: [])
        guard strings.isEmpty || ints.isEmpty else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "string_vocabulary", message: "only one of string_vocabulary and int64_vocabulary may be given")
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        guard let v = inputs.first ?? nil, case .map(let keys, let values) = v else { throw context.invalid("DictVectorizer takes a map") }
        guard keys.count == values.count else { throw context.invalid("the map has \(keys.count) keys and \(values.count) values") }
        let position: [Int]
        if keys.dataType == .string {
            var entry: [String: Int] = [:]
            for (i, k) in try keys.strings().enumerated() { entry[k] = i }
            position = strings.map { entry[$0] ?? -1 }
        } else {
            var entry: [Int64: Int] = [:]
            for (i, k) in try keys.int64s().enumerated() { entry[k] = i }
            position = ints.map { entry[$0] ?? -1 }
        }
        let width = position.count
        // Value type from the first value (or float for an empty map).
        var scalars: [TensorValue] = []
        for (i, value) in values.enumerated() {
            guard case .tensor(let t) = value, t.count == 1 else { throw context.invalid("map value \(i) is not a scalar tensor") }
            scalars.append(t)
        }
        let type = scalars.first?.dataType ?? .float
        let zero = try TensorValue.zeros(type, shape: [1])
        var parts: [TensorStorage] = []
        parts.reserveCapacity(width)
        for p in position { parts.append(p >= 0 ? scalars[p].storage : zero.storage) }
        guard let joined = parts.isEmpty ? try TensorStorage.zeros(type, count: 0) : TensorStorage.concatenated(parts) else {
            throw context.invalid("the map's values have different types")
        }
        return [.tensor(TensorValue(unchecked: type, shape: [1, width], storage: joined))]
    }
}
