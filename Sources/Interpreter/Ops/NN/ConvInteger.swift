import ONNX

/// ConvInteger: convolution of (x - x_zero_point) and (w - w_zero_point) in int32;
/// padding reads x_zero_point (so contributes zero). w_zero_point is a scalar or one
/// per output channel.
struct ConvInteger: Operator {
    static let opType = "ConvInteger"
    static let sinceVersions: [Int64] = [10]
    let attributes: ConvAttributes

    init(_ c: OpContext) throws { attributes = try ConvAttributes(c) }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), w = try context.tensor(inputs, 1)
        for t in [x, w] where t.dataType != .int8 && t.dataType != .uint8 {
            throw InterpreterError.unsupportedType(t.dataType, context: "ConvInteger")
        }
        let g = try ConvGeometry(x: x.shape, w: w.shape, attributes, context)
        var xv = try x.int64s(), wv = try w.int64s()
        if let zx = try context.optionalTensor(inputs, 2) {
            let z = try zx.int64s()
            guard z.count == 1 else { throw context.invalid("x_zero_point must be a scalar, has \(z.count) elements") }
            for i in xv.indices { xv[i] -= z[0] }
        }
        if let zw = try context.optionalTensor(inputs, 3) {
            let z = try zw.int64s()
            let per = g.outChannels > 0 ? wv.count / g.outChannels : 0
            if z.count == 1 {
                for i in wv.indices { wv[i] -= z[0] }
            } else if z.count == g.outChannels {
                for i in wv.indices { wv[i] -= z[i / max(1, per)] }
            } else {
                throw context.invalid("w_zero_point has \(z.count) elements; expected 1 or \(g.outChannels)")
            }
        }
        let y = ConvCompute.genericConv(xv, wv, bias: nil, g, zero: 0, mul: { $0 &* $1 }, add: { $0 &+ $1 })
        return [.tensor(try .converting(y, to: .int32, shape: [g.batch, g.outChannels] + g.output))]
    }
}
