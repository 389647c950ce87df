import ONNX

/// Helpers shared by the ops under Ops/Misc (losses, signal processing, detection,
/// string ops). Kept private to this family so that it does not depend on the other
/// families' support files.
enum MiscSupport {
    /// `axis` in `[-rank, rank)` made non-negative, or an error naming the node.
    static func axis(_ axis: Int64, rank: Int, _ context: RunContext, what: String = "axis") throws -> Int {
        let r = Int64(rank)
        guard axis >= -r, axis < r else { throw context.invalid("\(what) \(axis) is out of range for rank \(rank)") }
        return Int(axis < 0 ? axis + r : axis)
    }

    /// True for the element types the floating-point ops compute on.
    static func isReal(_ t: DataType) -> Bool {
        t == .float || t == .double || t == .float16 || t == .bfloat16
    }

    /// Throws unless `t` is a floating-point type the op handles.
    static func requireReal(_ t: TensorValue, _ what: String, _ context: RunContext) throws {
        guard isReal(t.dataType) else {
            throw InterpreterError.unsupportedType(t.dataType, context: "\(context.nodeName) \(what)")
        }
    }

    /// The single value of a scalar (or one-element) tensor as an integer.
    static func scalarInt(_ t: TensorValue, _ what: String, _ context: RunContext) throws -> Int64 {
        guard t.count == 1 else { throw context.invalid("\(what) must hold one value (shape \(t.shape))") }
        guard t.dataType.isInteger || t.dataType == .bool else {
            throw context.invalid("\(what) must be an integer tensor, not \(t.dataType)")
        }
        return try t.int64s()[0]
    }

    /// The single value of a scalar (or one-element) tensor as a Double.
    static func scalarDouble(_ t: TensorValue, _ what: String, _ context: RunContext) throws -> Double {
        guard t.count == 1 else { throw context.invalid("\(what) must hold one value (shape \(t.shape))") }
        guard t.dataType != .string, t.dataType != .complex64, t.dataType != .complex128 else {
            throw context.invalid("\(what) must be a numeric tensor, not \(t.dataType)")
        }
        return try t.doubles()[0]
    }

    /// A Double result stored as `type` (float types round to nearest).
    static func real(_ values: [Double], _ type: DataType, shape: [Int]) throws -> TensorValue {
        if type == .float { return TensorValue(floats: values.map { Float($0) }, shape: shape) }
        return try TensorValue.converting(values, to: type, shape: shape)
    }

    /// A Float result stored as `type`.
    static func real(_ values: [Float], _ type: DataType, shape: [Int]) throws -> TensorValue {
        if type == .float { return TensorValue(floats: values, shape: shape) }
        if type == .double { return TensorValue(doubles: values.map { Double($0) }, shape: shape) }
        return try TensorValue.converting(values, to: type, shape: shape)
    }

    /// The product of dims, rejecting negative dims and absurd sizes.
    static func count(_ shape: [Int], _ context: RunContext) throws -> Int {
        var n = 1
        for d in shape {
            guard d >= 0 else { throw context.invalid("negative dimension in \(shape)") }
            let (r, o) = n.multipliedReportingOverflow(by: d)
            guard !o, r <= 1 << 36 else { throw context.invalid("shape \(shape) is too large") }
            n = r
        }
        return n
    }

    /// The element type named by an `output_datatype` / `dtype` / `to` attribute.
    static func dataType(_ code: Int64, _ what: String, _ c: OpContext) throws -> DataType {
        let t = DataType(rawValue: Int32(truncatingIfNeeded: code))
        guard t.isKnown, Int64(t.rawValue) == code else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: what, message: "\(code) is not an element type")
        }
        return t
    }
}
