import ONNX

/// nn.ConvTranspose1d/2d/3d(in_channels, out_channels, kernel_size, stride=1,
/// padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros'):
/// ConvTranspose with the same sizes torch computes, (in - 1) * stride - 2 * padding +
/// dilation * (kernel - 1) + output_padding + 1. Weight [in, out / groups, *kernel].
struct TransposedConvolution: LayerLowering {
    var typeNames: [String] { ["ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        let a = try ConvolutionArguments(c, x: x)
        let (k, inC, outC, kernel, stride, dilation, groups) = (a.k, a.inC, a.outC, a.kernel, a.stride, a.dilation, a.groups)
        let padding = try c.args.ints("padding", count: k, default: 0, atLeast: 0)
        let outputPadding = try c.args.ints("output_padding", count: k, default: 0, atLeast: 0)
        for d in 0..<k where outputPadding[d] >= max(stride[d], dilation[d]) {
            throw c.args.unsupported("output_padding", "must be smaller than stride or dilation (torch's rule)")
        }
        var out: [ShapeDimension] = [x.shape[0], .fixed(Int64(outC))]
        for d in 0..<k {
            let size = try c.fixed(x.shape[2 + d], "spatial dimension \(d)")
            let o = (size - 1) * stride[d] - 2 * padding[d] + dilation[d] * (kernel[d] - 1) + outputPadding[d] + 1
            guard o >= 1 else { throw c.shapeError("spatial dimension \(d) would be empty") }
            out.append(.fixed(Int64(o)))
        }
        let w = try c.weight("weight", shape: [inC, outC / groups] + kernel)
        let b = a.bias ? try c.weight("bias", shape: [outC]) : nil
        let y = try c.node("ConvTranspose", [x.value, w, b], [
            "kernel_shape": .ints(kernel.map { Int64($0) }), "strides": .ints(stride.map { Int64($0) }),
            "dilations": .ints(dilation.map { Int64($0) }), "pads": .ints((padding + padding).map { Int64($0) }),
            "output_padding": .ints(outputPadding.map { Int64($0) }), "group": .int(Int64(groups)),
        ])
        return LayerValue(y, out)
    }
}
