import ONNX

/// DynamicQuantizeLinear: uint8 quantization of a float32 tensor with a scale and zero
/// point computed from its range (widened to include 0), in float32 arithmetic:
/// scale = (max - min) / 255 (1 when every element is 0), zero_point =
/// clip(round(0 - min / scale), 0, 255), y = clip(round(x / scale) + zero_point, 0, 255),
/// rounding half to even.
struct DynamicQuantizeLinear: Operator {
    static let opType = "DynamicQuantizeLinear"
    static let sinceVersions: [Int64] = [11]
    init(_ c: OpContext) throws {}

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.dataType == .float else { throw InterpreterError.unsupportedType(x.dataType, context: "\(context.nodeName) x") }
        let v = try x.floats()
        var hi: Float = 0, lo: Float = 0
        for e in v {
            // NaN elements are ignored by the range (they quantize to 0 below).
            if e > hi { hi = e }
            if e < lo { lo = e }
        }
        let scale: Float = hi == lo ? 1 : (hi - lo) / 255
        let zp = min(max(0 - lo / scale, 0), 255).rounded(.toNearestOrEven)
        var y = [UInt8](repeating: 0, count: v.count)
        for i in v.indices {
            let q = (v[i] / scale).rounded(.toNearestOrEven) + zp
            y[i] = q.isNaN ? 0 : UInt8(min(max(q, 0), 255))
        }
        return [
            .tensor(TensorValue(unchecked: .uint8, shape: x.shape, storage: .uint8(y))),
            .tensor(TensorValue(floats: [scale], shape: [])),
            .tensor(TensorValue(unchecked: .uint8, shape: [], storage: .uint8([UInt8(zp)]))),
        ]
    }
}
