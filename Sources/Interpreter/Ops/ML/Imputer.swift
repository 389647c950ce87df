import ONNX

/// Imputer (ai.onnx.ml 1): elements equal to replaced_value_float (NaN matches NaN) or
/// replaced_value_int64 become the imputed value (one for all columns, or one per
/// column of a [N, C] input). The output keeps the input's type.
struct Imputer: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "Imputer"
    static let sinceVersions: [Int64] = [1]

    let floats: [Float]
    let ints: [Int64]
    let replacedFloat: Float
    let replacedInt: Int64

    init(_ c: OpContext) throws {
        floats = try c.floats("imputed_value_floats", default: [])
        ints = try c.ints("imputed_value_int64s", default: [])
        guard floats.isEmpty != ints.isEmpty else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "imputed_value_floats", message: "exactly one of imputed_value_floats and imputed_value_int64s must be given")
        }
        replacedFloat = try c.float("replaced_value_float", default: 0)
        replacedInt = try c.int("replaced_value_int64", default: 0)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.rank >= 1 else { throw context.invalid("the input needs at least one dimension") }
        let stride = x.rank == 1 ? x.shape[0] : x.shape[1]
        switch x.dataType {
        case .float, .double:
            guard !floats.isEmpty else { throw context.invalid("a float input needs imputed_value_floats") }
            let perColumn = floats.count == stride
            let v = try x.doubles()
            let r = Double(replacedFloat)
            let y = v.indices.map { i -> Double in
                let hit = (v[i].isNaN && r.isNaN) || v[i] == r
                return hit ? Double(floats[perColumn ? i % stride : 0]) : v[i]
            }
            return [.tensor(try TensorValue.converting(y, to: x.dataType, shape: x.shape))]
        case .int64, .int32:
            guard !ints.isEmpty else { throw context.invalid("an integer input needs imputed_value_int64s") }
            let perColumn = ints.count == stride
            let v = try x.int64s()
            let y = v.indices.map { v[$0] == replacedInt ? ints[perColumn ? $0 % stride : 0] : v[$0] }
            return [.tensor(try TensorValue.converting(y, to: x.dataType, shape: x.shape))]
        default:
            throw InterpreterError.unsupportedType(x.dataType, context: "Imputer")
        }
    }
}
