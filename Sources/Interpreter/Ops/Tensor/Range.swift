import ONNX

/// Range: start, start + delta, ... up to (not including) limit; the count is
/// max(ceil((limit - start) / delta), 0). Integers are computed exactly; floats in
/// double and rounded to the element type; opset 27 adds float16/bfloat16, computed in
/// the stash type (float32 by default).
struct RangeOp: Operator {
    static let opType = "Range"
    static let sinceVersions: [Int64] = [11, 27]
    /// Opset 27: the precision float16/bfloat16 ranges are computed in (1 float, 11 double).
    let stashType: Int64?
    init(_ c: OpContext) throws {
        stashType = c.sinceVersion >= 27 ? try c.int("stash_type", default: 1) : nil
        if let s = stashType, s != 1, s != 11 {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "stash_type", message: "must be 1 (float) or 11 (double), is \(s)")
        }
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let start = try context.tensor(inputs, 0), limit = try context.tensor(inputs, 1), delta = try context.tensor(inputs, 2)
        guard start.count == 1, limit.count == 1, delta.count == 1 else { throw context.invalid("start, limit and delta must be scalars") }
        guard start.dataType == limit.dataType, start.dataType == delta.dataType else {
            throw context.invalid("start, limit and delta have different element types")
        }
        let type = start.dataType
        switch TensorSupport.numericKind(type) {
        case .integer?:
            let s = try start.int64s()[0], l = try limit.int64s()[0], d = try delta.int64s()[0]
            guard d != 0 else { throw context.invalid("delta is 0") }
            // ceil((l - s) / d) exactly, in unsigned arithmetic (l - s may not fit in Int64).
            var count: UInt64 = 0
            if d > 0, l > s { count = (UInt64(bitPattern: l &- s) - 1) / d.magnitude + 1 }
            if d < 0, s > l { count = (UInt64(bitPattern: s &- l) - 1) / d.magnitude + 1 }
            guard count <= 1 << 32 else { throw context.invalid("range of \(count) elements is too large") }
            let n = Int(count)
            var v = [Int64](repeating: 0, count: n)
            for i in 0..<n { v[i] = s &+ Int64(i) &* d }
            return [.tensor(try .converting(v, to: type, shape: [n]))]
        case .float?, .double?:
            let s = try start.doubles()[0], l = try limit.doubles()[0], d = try delta.doubles()[0]
            guard d != 0, s.isFinite, l.isFinite, d.isFinite else { throw context.invalid("invalid range \(s), \(l), \(d)") }
            let count = max(0, ((l - s) / d).rounded(.up))
            guard count <= Double(1 << 32) else { throw context.invalid("range of \(count) elements is too large") }
            let n = Int(count)
            if (type == .float16 || type == .bfloat16) && stashType != 11 {
                // Accumulated in float32, then rounded to the element type.
                let fs = Float(s), fd = Float(d)
                return [.tensor(try .converting((0..<n).map { fs + Float($0) * fd }, to: type, shape: [n]))]
            }
            return [.tensor(try .converting((0..<n).map { s + Double($0) * d }, to: type, shape: [n]))]
        default:
            throw InterpreterError.unsupportedType(type, context: "Range")
        }
    }
}
