import ONNX

/// Range: start, start + delta, ... up to (not including) limit; the count is
/// max(ceil((limit - start) / delta), 0). Integers are computed exactly; floats in
/// double and rounded to the element type (opset 27 adds float16/bfloat16).
struct RangeOp: Operator {
    static let opType = "Range"
    static let sinceVersions: [Int64] = [11, 27]
    init(_ c: OpContext) throws {}
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
            let span = Double(l) - Double(s)
            let n = max(0, Int((span / Double(d)).rounded(.up)))
            guard n <= 1 << 32 else { throw context.invalid("range of \(n) elements is too large") }
            var v = [Int64](repeating: 0, count: n)
            for i in 0..<n { v[i] = s &+ Int64(i) &* d }
            return [.tensor(try .converting(v, to: type, shape: [n]))]
        case .float?, .double?:
            let s = try start.doubles()[0], l = try limit.doubles()[0], d = try delta.doubles()[0]
            guard d != 0, s.isFinite, l.isFinite, d.isFinite else { throw context.invalid("invalid range \(s), \(l), \(d)") }
            let n = max(0, Int(((l - s) / d).rounded(.up)))
            guard n <= 1 << 32 else { throw context.invalid("range of \(n) elements is too large") }
            if type == .float {
                // float32 inputs: accumulate as numpy's arange does for float32.
                let fs = Float(s), fd = Float(d)
                return [.tensor(TensorValue(floats: (0..<n).map { fs + Float($0) * fd }, shape: [n]))]
            }
            return [.tensor(try .converting((0..<n).map { s + Double($0) * d }, to: type, shape: [n]))]
        default:
            throw InterpreterError.unsupportedType(type, context: "Range")
        }
    }
}
