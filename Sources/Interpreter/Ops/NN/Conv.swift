import ONNX

/// Conv: N-D convolution with groups, strides, dilations and explicit or automatic
/// padding. Float32 (and float16/bfloat16, computed in float32) runs im2col plus the
/// blocked GEMM; double runs a reference loop.
struct Conv: ActivationFusable {
    static let opType = "Conv"
    static let sinceVersions: [Int64] = [1, 11, 22]
    let attributes: ConvAttributes
    /// A Relu folded in when the graph was prepared.
    private(set) var activation: FusedActivation?
    /// A MaxPool (2x2, stride 2) folded in after the activation.
    private(set) var pool: MaxPool?

    init(_ c: OpContext) throws { attributes = try ConvAttributes(c) }

    func fusing(_ activation: FusedActivation) -> (any Operator)? {
        guard self.activation == nil, pool == nil else { return nil }
        var f = self
        f.activation = activation
        return f
    }

    func fusing(maxPool: MaxPool) -> (any Operator)? {
        guard pool == nil, maxPool.fusable2x2 else { return nil }
        var f = self
        f.pool = maxPool
        return f
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), w = try context.tensor(inputs, 1)
        let b = try context.optionalTensor(inputs, 2)
        guard x.dataType == w.dataType else { throw context.invalid("X and W have different element types") }
        let g = try ConvGeometry(x: x.shape, w: w.shape, attributes, context)
        if let b, b.count != g.outChannels {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "B has \(b.count) elements for \(g.outChannels) output channels")
        }
        let shape = [g.batch, g.outChannels] + g.output
        if pool != nil, x.dataType == .float, g.output.count == 2, g.output.allSatisfy({ $0 >= 2 }), DirectConv.applies(g) {
            // The direct kernel pools pairs of rows as it computes them.
            let r = ConvCompute.floatConv(try x.floats(), try w.floats(), bias: try b?.floats(), g, relu: activation == .relu, pool: true)
            return [.tensor(TensorValue(floats: r, shape: [g.batch, g.outChannels, g.output[0] / 2, g.output[1] / 2]))]
        }
        let y: TensorValue
        switch x.dataType {
        case .float:
            // float32 clamps while it writes; the other types apply the activation after.
            let r = ConvCompute.floatConv(try x.floats(), try w.floats(), bias: try b?.floats(), g, relu: activation == .relu)
            y = TensorValue(floats: r, shape: shape)
        case .float16, .bfloat16:
            let r = ConvCompute.floatConv(try x.floats(), try w.floats(), bias: try b?.floats(), g)
            y = try .converting(r, to: x.dataType, shape: shape)
        case .double:
            let r = ConvCompute.genericConv(try x.doubles(), try w.doubles(), bias: try b?.doubles(), g, zero: 0, mul: *, add: +)
            y = TensorValue(doubles: r, shape: shape)
        default:
            throw InterpreterError.unsupportedType(x.dataType, context: "Conv")
        }
        let activated = try activation.map { try $0.apply(y, context) } ?? y
        if let pool { return try pool.run([.tensor(activated)], context) }
        return [.tensor(activated)]
    }
}
