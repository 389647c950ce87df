import ONNX

/// QuantizeLinear: y = saturate(round(x / y_scale) + y_zero_point), rounding halves to
/// even, per tensor, per axis or per block (see `QuantizationLayout`). The output type
/// is the zero point's, else `output_dtype` (opset 21+), else uint8: 8/16-bit, 4-bit
/// and 2-bit integers clamp to their range; float8 kinds convert x / y_scale (with
/// `saturate`), float4/float6 convert x / y_scale + zero point. The division happens
/// in `precision` (opset 23+) when given, else in x's type when x and y_scale agree
/// (float16 / float16 rounds to float16 like numpy), else in the wider type.
struct QuantizeLinear: Operator {
    static let opType = "QuantizeLinear"
    static let sinceVersions: [Int64] = [10, 13, 19, 21, 23, 24, 25, 28]
    let axis: Int64
    let blockSize: Int64
    let saturate: Bool
    let outputType: DataType?
    let precision: DataType?

    init(_ c: OpContext) throws {
        axis = c.sinceVersion >= 13 ? try c.int("axis", default: 1) : 1
        blockSize = c.sinceVersion >= 21 ? try c.int("block_size", default: 0) : 0
        saturate = c.sinceVersion >= 19 ? try c.int("saturate", default: 1) != 0 : true
        let od = c.sinceVersion >= 21 ? try c.int("output_dtype", default: 0) : 0
        outputType = od == 0 ? nil : DataType(rawValue: Int32(truncatingIfNeeded: od))
        let p = c.sinceVersion >= 23 ? try c.int("precision", default: 0) : 0
        precision = p == 0 ? nil : DataType(rawValue: Int32(truncatingIfNeeded: p))
        if let precision, Arithmetic.family(precision) != .float && precision != .double {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "precision", message: "must be a float type, not \(precision)")
        }
    }

    /// Rounds a quotient the way a division in `type` would have.
    static func rounder(_ type: DataType?) -> (Double) -> Double {
        switch type {
        case .float?: return { Double(Float($0)) }
        case .float16?: return { Double(Float(Float16($0))) }
        case .bfloat16?: return { Double(BFloat16(Float($0)).float) }
        default: return { $0 }
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), scale = try context.tensor(inputs, 1)
        let zeroPoint = try context.optionalTensor(inputs, 2)
        guard let fs = Arithmetic.family(scale.dataType), fs == .float || fs == .double else {
            throw context.invalid("y_scale must be a float tensor, not \(scale.dataType)")
        }
        if let zeroPoint, let outputType, zeroPoint.dataType != outputType {
            throw context.invalid("output_dtype \(outputType) differs from the zero point's type \(zeroPoint.dataType)")
        }
        let target = zeroPoint?.dataType ?? outputType ?? .uint8
        let layout = try QuantizationLayout(x: x.shape, parameter: scale.shape, axis: axis, blockSize: blockSize, name: "y_scale", context)
        var zp: [Double] = [0]
        var zpLayout = QuantizationLayout.perTensor
        if let zeroPoint {
            guard zeroPoint.shape == scale.shape || zeroPoint.count == 1 else {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "y_zero_point \(zeroPoint.shape) differs from y_scale \(scale.shape)")
            }
            zp = try zeroPoint.doubles()
            zpLayout = try QuantizationLayout(x: x.shape, parameter: zeroPoint.shape, axis: axis, blockSize: blockSize, name: "y_zero_point", context)
        }
        let divisionType: DataType?
        if let precision {
            divisionType = precision
        } else if Arithmetic.family(x.dataType) == .integer || x.dataType == .double || scale.dataType == .double {
            divisionType = .double
        } else if x.dataType == scale.dataType {
            divisionType = x.dataType
        } else {
            divisionType = .float
        }
        let roundQuotient = QuantizeLinear.rounder(divisionType)
        let xs = try x.doubles(), ss = try scale.doubles()
        let n = xs.count
        var q = [Double](repeating: 0, count: n)
        for i in 0..<n { q[i] = roundQuotient(xs[i] / ss[layout.index(i)]) }

        if let (lo, hi) = QuantizationLayout.integerRange(target) {
            var v = [Int64](repeating: 0, count: n)
            for i in 0..<n {
                let r = q[i].isNaN ? 0 : q[i].rounded(.toNearestOrEven)
                v[i] = Int64(Swift.min(Swift.max(r + zp[zpLayout.index(i)], lo), hi))
            }
            return [.tensor(try Arithmetic.integerTensor(v, target, x.shape))]
        }
        switch target {
        case .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz:
            // The zero point of a float8 output must be zero; onnx's reference leaves it out.
            return [.tensor(try ElementCast.fromDoubles(q, to: target, shape: x.shape, saturate: saturate, rounding: .up))]
        case .float4e2m1, .float6e2m3, .float6e3m2:
            var v = [Double](repeating: 0, count: n)
            for i in 0..<n { v[i] = Double(Float(q[i]) + Float(zp[zpLayout.index(i)])) }
            return [.tensor(try ElementCast.fromDoubles(v, to: target, shape: x.shape, saturate: saturate, rounding: .up))]
        default:
            throw InterpreterError.unsupportedType(target, context: "\(context.nodeName): QuantizeLinear output")
        }
    }
}
