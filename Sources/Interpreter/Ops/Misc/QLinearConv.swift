import ONNX

/// QLinearConv: y = saturate(round(conv(x - x_zp, w - w_zp) + B) * x_scale * w_scale /
/// y_scale) + y_zp), the convolution accumulating in int32 (padding contributes zero).
/// x's scale and zero point are per tensor; w's per tensor or per output channel; y's
/// per tensor. The multiplier x_scale * w_scale / y_scale is computed in float32 and
/// applied in double precision, as the reference does.
struct QLinearConv: Operator {
    static let opType = "QLinearConv"
    static let sinceVersions: [Int64] = [10]
    let attributes: QuantizedKernels.ConvAttributes

    init(_ c: OpContext) throws { attributes = try QuantizedKernels.ConvAttributes(c) }

    /// One value, or one per output channel.
    private func perChannel(_ t: TensorValue, _ channels: Int, _ what: String, _ context: RunContext) throws -> [Double] {
        let v = try t.doubles()
        if v.count == 1 { return [Double](repeating: v[0], count: channels) }
        guard t.rank == 1, v.count == channels else {
            throw context.invalid("\(what) has shape \(t.shape); expected a scalar or \(channels) values")
        }
        return v
    }

    private func scalar(_ t: TensorValue, _ what: String, _ context: RunContext) throws -> Double {
        let v = try t.doubles()
        guard v.count == 1 else { throw context.invalid("\(what) must be a scalar, has shape \(t.shape)") }
        return v[0]
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), w = try context.tensor(inputs, 3)
        try QuantizedSupport.requireInt8(x, "x", context)
        try QuantizedSupport.requireInt8(w, "w", context)
        let xScale = try context.tensor(inputs, 1), wScale = try context.tensor(inputs, 4), yScale = try context.tensor(inputs, 6)
        for (t, n) in [(xScale, "x_scale"), (wScale, "w_scale"), (yScale, "y_scale")] { try QuantizedSupport.requireScale(t, n, context) }
        let xZero = try context.optionalTensor(inputs, 2), wZero = try context.optionalTensor(inputs, 5), yZero = try context.optionalTensor(inputs, 7)
        let outType = yZero?.dataType ?? x.dataType
        guard let range = QuantizedSupport.range(outType) else { throw InterpreterError.unsupportedType(outType, context: "\(context.nodeName) y_zero_point") }

        let g = try attributes.geometry(x: x.shape, w: w.shape, context)
        let channels = g.outChannels
        var xv = try x.int64s(), wv = try w.int64s()
        if let xZero {
            let z = Int64(try scalar(xZero, "x_zero_point", context))
            for i in xv.indices { xv[i] -= z }
        }
        if let wZero {
            let z = try perChannel(wZero, channels, "w_zero_point", context)
            let per = channels > 0 ? wv.count / channels : 0
            for i in wv.indices { wv[i] -= Int64(z[i / max(1, per)]) }
        }
        var bias: [Int64]? = nil
        if let b = try context.optionalTensor(inputs, 8) {
            guard b.dataType == .int32 else { throw InterpreterError.unsupportedType(b.dataType, context: "\(context.nodeName) B") }
            bias = try b.int64s()
            guard bias?.count == channels else { throw context.invalid("B has \(b.count) values for \(channels) output channels") }
        }
        let acc = QuantizedKernels.conv(xv.map { Int32(truncatingIfNeeded: $0) }, wv.map { Int32(truncatingIfNeeded: $0) },
                                        bias: bias.map { $0.map { Int32(truncatingIfNeeded: $0) } }, g)
        let sx = Float(try scalar(xScale, "x_scale", context)), sy = Float(try scalar(yScale, "y_scale", context))
        let sw = try perChannel(wScale, channels, "w_scale", context)
        let zy = try yZero.map { try scalar($0, "y_zero_point", context) } ?? 0
        let mult = sw.map { Double(sx * Float($0) / sy) }
        let plane = g.outPlane
        var y = [Int64](repeating: 0, count: acc.count)
        for i in acc.indices {
            let oc = plane > 0 ? (i / plane) % max(1, channels) : 0
            y[i] = QuantizedSupport.saturate(Double(acc[i]) * mult[oc] + zy, range)
        }
        return [.tensor(try .converting(y, to: outType, shape: [g.batch, channels] + g.output))]
    }
}
