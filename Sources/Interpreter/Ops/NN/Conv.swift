import ONNX

/// Conv: N-D convolution with groups, strides, dilations and explicit or automatic
/// padding. Float32 (and float16/bfloat16, computed in float32) runs im2col plus the
/// blocked GEMM; double runs a reference loop.
struct Conv: Operator {
    static let opType = "Conv"
    static let sinceVersions: [Int64] = [1, 11, 22]
    let attributes: ConvAttributes

    init(_ c: OpContext) throws { attributes = try ConvAttributes(c) }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), w = try context.tensor(inputs, 1)
        let b = try context.optionalTensor(inputs, 2)
        guard x.dataType == w.dataType else { throw context.invalid("X and W have different element types") }
        let g = try ConvGeometry(x: x.shape, w: w.shape, attributes, context)
        if let b, b.count != g.outChannels {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "B has \(b.count) elements for \(g.outChannels) output channels")
        }
        let shape = [g.batch, g.outChannels] + g.output
        switch x.dataType {
        case .float, .float16, .bfloat16:
            let y = ConvCompute.floatConv(try x.floats(), try w.floats(), bias: try b?.floats(), g)
            return [.tensor(x.dataType == .float ? TensorValue(floats: y, shape: shape) : try .converting(y, to: x.dataType, shape: shape))]
        case .double:
            let y = ConvCompute.genericConv(try x.doubles(), try w.doubles(), bias: try b?.doubles(), g, zero: 0, mul: *, add: +)
            return [.tensor(TensorValue(doubles: y, shape: shape))]
        default:
            throw InterpreterError.unsupportedType(x.dataType, context: "Conv")
        }
    }
}
