import ONNX

/// LabelEncoder (ai.onnx.ml 1, 2, 4). v1 maps strings to their index in
/// classes_strings (default_int64) or int64 indices to strings (default_string), the
/// input's type picking the direction. v2
/// and v4 map keys_* to values_* (string, int64, float; v4 also keys_tensor /
/// values_tensor of int16, int32, double and default_tensor), unknown keys giving the
/// default of the value type. Float keys match NaN inputs; a repeated key keeps its
/// first value, as onnxruntime does (the v4 spec says the last takes precedence).
struct LabelEncoder: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "LabelEncoder"
    static let sinceVersions: [Int64] = [1, 2, 4]

    /// A key in canonical form: floats by value (NaN as one key, -0 as 0).
    enum Key: Hashable {
        case string(String)
        case int(Int64)
        case float(UInt64)

        static func of(_ d: Double) -> Key { d.isNaN ? .float(0x7FF8_0000_0000_0000) : .float((d == 0 ? 0.0 : d).bitPattern) }
    }
    enum KeyKind { case string, int, float }

    let keyKind: KeyKind
    let keyType: DataType
    let index: [Key: Int]
    /// The values with the default appended at the end.
    let values: TensorValue
    /// LabelEncoder v1's table (both directions).
    struct V1 { let classes: [String]; let defaultInt: Int64; let defaultString: String }
    let v1: V1?

    init(_ c: OpContext) throws {
        func bad(_ a: String, _ m: String) -> InterpreterError { .badAttribute(node: c.nodeName, attribute: a, message: m) }
        if c.sinceVersion == 1 {
            // The input's type picks the direction at run time (as in onnxruntime).
            let classes = try c.strings("classes_strings", default: [])
            var idx: [Key: Int] = [:]
            for (i, s) in classes.enumerated() { idx[.string(s)] = i }   // a repeated class keeps its last index
            let table = V1(classes: classes, defaultInt: try c.int("default_int64", default: -1),
                           defaultString: try c.string("default_string", default: "_Unused"))
            v1 = table
            keyKind = .string
            keyType = .string
            index = idx
            values = TensorValue(int64s: classes.indices.map { Int64($0) } + [table.defaultInt], shape: [classes.count + 1])
            return
        }
        v1 = nil
        // Keys.
        var keys: [Key] = []
        var kinds: [(KeyKind, DataType)] = []
        if c.sinceVersion >= 4, let t = try c.tensorIfPresent("keys_tensor") {
            switch t.dataType {
            case .string: keys = try t.strings().map { .string($0) }; kinds.append((.string, .string))
            case .float, .double: keys = try t.doubles().map { Key.of($0) }; kinds.append((.float, t.dataType))
            case .int64, .int32, .int16: keys = try t.int64s().map { .int($0) }; kinds.append((.int, t.dataType))
            default: throw bad("keys_tensor", "element type \(t.dataType) is not supported")
            }
        }
        if c.has("keys_strings") { keys = try c.strings("keys_strings").map { .string($0) }; kinds.append((.string, .string)) }
        if c.has("keys_int64s") { keys = try c.ints("keys_int64s").map { .int($0) }; kinds.append((.int, .int64)) }
        if c.has("keys_floats") { keys = try c.floats("keys_floats").map { Key.of(Double($0)) }; kinds.append((.float, .float)) }
        guard kinds.count == 1 else { throw bad("keys_*", "exactly one keys_* attribute must be given") }
        keyKind = kinds[0].0
        keyType = kinds[0].1
        // Values and the default of their type.
        var vals: [TensorValue] = []
        if c.sinceVersion >= 4, let t = try c.tensorIfPresent("values_tensor") { vals.append(try t.reshaped([t.count])) }
        if c.has("values_strings") { let v = try c.strings("values_strings"); vals.append(TensorValue(strings: v, shape: [v.count])) }
        if c.has("values_int64s") { let v = try c.ints("values_int64s"); vals.append(TensorValue(int64s: v, shape: [v.count])) }
        if c.has("values_floats") { let v = try c.floats("values_floats"); vals.append(TensorValue(floats: v, shape: [v.count])) }
        guard vals.count == 1, let v = vals.first else { throw bad("values_*", "exactly one values_* attribute must be given") }
        guard v.count == keys.count else { throw bad("values_*", "has \(v.count) values for \(keys.count) keys") }
        var def: TensorValue
        if c.sinceVersion >= 4, let t = try c.tensorIfPresent("default_tensor") {
            guard t.dataType == v.dataType, t.count >= 1 else { throw bad("default_tensor", "must hold one \(v.dataType) value") }
            def = t.gathered([0], shape: [1])
        } else {
            switch v.dataType {
            case .string: def = TensorValue(strings: [try c.string("default_string", default: "_Unused")], shape: [1])
            case .float, .double: def = try TensorValue.converting([Double(try c.float("default_float", default: -0.0))], to: v.dataType, shape: [1])
            default: def = try TensorValue.converting([try c.int("default_int64", default: -1)], to: v.dataType, shape: [1])
            }
        }
        guard let joined = TensorStorage.concatenated([v.storage, def.storage]) else { throw bad("default_*", "does not match the values' type") }
        values = TensorValue(unchecked: v.dataType, shape: [v.count + 1], storage: joined)
        var idx: [Key: Int] = [:]
        for (i, k) in keys.enumerated() where idx[k] == nil { idx[k] = i }
        index = idx
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        if let v1, x.dataType != .string {
            guard x.dataType == .int64 || x.dataType == .int32 else { throw context.invalid("LabelEncoder v1 takes strings or int64, not \(x.dataType)") }
            let out = try x.int64s().map { $0 >= 0 && $0 < Int64(v1.classes.count) ? v1.classes[Int($0)] : v1.defaultString }
            return [.tensor(TensorValue(strings: out, shape: x.shape))]
        }
        let missing = values.count - 1
        let picks: [Int]
        switch keyKind {
        case .string:
            guard x.dataType == .string else { throw context.invalid("the input is \(x.dataType); the keys are strings") }
            picks = try x.strings().map { index[.string($0)] ?? missing }
        case .int:
            guard x.dataType == .int64 || x.dataType == .int32 || x.dataType == .int16 else { throw context.invalid("the input is \(x.dataType); the keys are integers") }
            picks = try x.int64s().map { index[.int($0)] ?? missing }
        case .float:
            guard x.dataType == .float || x.dataType == .double else { throw context.invalid("the input is \(x.dataType); the keys are floats") }
            picks = try x.doubles().map { index[Key.of($0)] ?? missing }
        }
        return [.tensor(values.gathered(picks, shape: x.shape))]
    }
}
