import ONNX

/// Constant: the value attribute (tensor, sparse tensor is not supported) or one of the
/// value_* shorthands (opset 12+).
struct Constant: Operator {
    static let opType = "Constant"
    static let sinceVersions: [Int64] = [1, 9, 11, 12, 13, 19, 21, 23, 24, 25]
    let value: TensorValue

    init(_ c: OpContext) throws {
        if let t = try c.tensorIfPresent("value") { value = t; return }
        if c.has("value_float") { value = TensorValue(floats: [try c.float("value_float")], shape: []); return }
        if c.has("value_floats") { let v = try c.floats("value_floats"); value = TensorValue(floats: v, shape: [v.count]); return }
        if c.has("value_int") { value = TensorValue(int64s: [try c.int("value_int")], shape: []); return }
        if c.has("value_ints") { let v = try c.ints("value_ints"); value = TensorValue(int64s: v, shape: [v.count]); return }
        if c.has("value_string") { value = TensorValue(strings: [try c.string("value_string")], shape: []); return }
        if c.has("value_strings") { let v = try c.strings("value_strings"); value = TensorValue(strings: v, shape: [v.count]); return }
        throw InterpreterError.badAttribute(node: c.nodeName, attribute: "value", message: "Constant needs one of value, value_float(s), value_int(s), value_string(s)")
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { [.tensor(value)] }
}
