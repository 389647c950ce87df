import ONNX

/// Shared machinery for elementwise ops: each op states its function once per compute
/// type (Float for float/float16/bfloat16, Double, Int64 for every integer type) and
/// this applies it with broadcasting, converting back to the input's element type.
enum Arithmetic {
    enum Family { case float, double, integer, bool, string }

    static func family(_ t: DataType) -> Family? {
        switch t {
        case .float, .float16, .bfloat16: return .float
        case .double: return .double
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .int4, .uint4, .int2, .uint2: return .integer
        case .bool: return .bool
        case .string: return .string
        default: return nil
        }
    }

    /// `f(a, b)` elementwise with broadcasting; the result has a's element type.
    static func binary(
        _ a: TensorValue, _ b: TensorValue, _ context: RunContext,
        float: (Float, Float) -> Float, double: (Double, Double) -> Double, integer: ((Int64, Int64) throws -> Int64)?
    ) throws -> TensorValue {
        guard a.dataType == b.dataType else {
            throw context.invalid("inputs have different element types (\(a.dataType) and \(b.dataType))")
        }
        func fail() -> InterpreterError { .shapeMismatch(node: context.nodeName, message: "shapes \(a.shape) and \(b.shape) do not broadcast") }
        switch family(a.dataType) {
        case .float?:
            if case .float(let x) = a.storage, case .float(let y) = b.storage {
                guard let r = Broadcast.binary(x, a.shape, y, b.shape, float) else { throw fail() }
                return TensorValue(floats: r.values, shape: r.shape)
            }
            guard let r = Broadcast.binary(try a.floats(), a.shape, try b.floats(), b.shape, float) else { throw fail() }
            return try .converting(r.values, to: a.dataType, shape: r.shape)
        case .double?:
            guard let r = Broadcast.binary(try a.doubles(), a.shape, try b.doubles(), b.shape, double) else { throw fail() }
            return TensorValue(doubles: r.values, shape: r.shape)
        case .integer?:
            guard let integer else { throw InterpreterError.unsupportedType(a.dataType, context: "\(context.nodeName)") }
            var failure: Error?
            guard let r = Broadcast.binary(try a.int64s(), a.shape, try b.int64s(), b.shape, { x, y -> Int64 in
                do { return try integer(x, y) } catch { if failure == nil { failure = error }; return 0 }
            }) else { throw fail() }
            if let failure { throw failure }
            return try .converting(r.values, to: a.dataType, shape: r.shape)
        default:
            throw InterpreterError.unsupportedType(a.dataType, context: "\(context.nodeName)")
        }
    }

    /// `f(x)` elementwise; the result has x's element type.
    static func unary(
        _ t: TensorValue, _ context: RunContext,
        float: (Float) -> Float, double: (Double) -> Double, integer: ((Int64) -> Int64)? = nil
    ) throws -> TensorValue {
        switch family(t.dataType) {
        case .float?:
            if case .float(let x) = t.storage { return TensorValue(floats: x.map(float), shape: t.shape) }
            return try .converting(try t.floats().map(float), to: t.dataType, shape: t.shape)
        case .double?:
            return TensorValue(doubles: try t.doubles().map(double), shape: t.shape)
        case .integer?:
            guard let integer else { throw InterpreterError.unsupportedType(t.dataType, context: "\(context.nodeName)") }
            return try .converting(try t.int64s().map(integer), to: t.dataType, shape: t.shape)
        default:
            throw InterpreterError.unsupportedType(t.dataType, context: "\(context.nodeName)")
        }
    }
}
