import ONNX

/// DequantizeLinear: y = (x - x_zero_point) * x_scale, per tensor, per axis or per
/// block (see `QuantizationLayout`), computed in float32 (float64 for a double scale)
/// like onnx's reference, then given `output_dtype` (opset 23+) or the scale's type.
/// float8/float4/float6 inputs decode their codes and ignore the (zero) zero point.
struct DequantizeLinear: Operator {
    static let opType = "DequantizeLinear"
    static let sinceVersions: [Int64] = [10, 13, 19, 21, 23, 24, 25, 28]
    let axis: Int64
    let blockSize: Int64
    let outputType: DataType?

    init(_ c: OpContext) throws {
        axis = c.sinceVersion >= 13 ? try c.int("axis", default: 1) : 1
        blockSize = c.sinceVersion >= 21 ? try c.int("block_size", default: 0) : 0
        let od = c.sinceVersion >= 23 ? try c.int("output_dtype", default: 0) : 0
        outputType = od == 0 ? nil : DataType(rawValue: Int32(truncatingIfNeeded: od))
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), scale = try context.tensor(inputs, 1)
        let zeroPoint = try context.optionalTensor(inputs, 2)
        guard let fs = Arithmetic.family(scale.dataType), fs == .float || fs == .double else {
            throw context.invalid("x_scale must be a float tensor, not \(scale.dataType)")
        }
        let target = outputType ?? scale.dataType
        let layout = try QuantizationLayout(x: x.shape, parameter: scale.shape, axis: axis, blockSize: blockSize, name: "x_scale", context)
        let isInteger = Arithmetic.family(x.dataType) == .integer
        guard isInteger || MiniFloatFormat.format(for: x.dataType) != nil else {
            throw InterpreterError.unsupportedType(x.dataType, context: "\(context.nodeName): DequantizeLinear input")
        }
        var zp: [Float] = [0]
        var zpLayout = QuantizationLayout.perTensor
        if let zeroPoint, isInteger {
            guard zeroPoint.dataType == x.dataType else {
                throw context.invalid("x_zero_point is \(zeroPoint.dataType) but x is \(x.dataType)")
            }
            zp = try zeroPoint.floats()
            zpLayout = try QuantizationLayout(x: x.shape, parameter: zeroPoint.shape, axis: axis, blockSize: blockSize, name: "x_zero_point", context)
        }
        let xs = try x.floats()
        let n = xs.count
        if scale.dataType == .double {
            let ss = try scale.doubles()
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n { y[i] = Double(xs[i] - zp[zpLayout.index(i)]) * ss[layout.index(i)] }
            return [.tensor(try ElementCast.fromDoubles(y, to: target, shape: x.shape, saturate: true, rounding: .up))]
        }
        let ss = try scale.floats()
        var y = [Float](repeating: 0, count: n)
        for i in 0..<n { y[i] = (xs[i] - zp[zpLayout.index(i)]) * ss[layout.index(i)] }
        return [.tensor(try ElementCast.fromFloats(y, to: target, shape: x.shape, saturate: true, rounding: .up))]
    }
}
