import DocumentReaders
import ONNX

/// nn.Conv1d/2d/3d(in_channels, out_channels, kernel_size, stride=1, padding=0,
/// dilation=1, groups=1, bias=True, padding_mode='zeros'): Conv with torch's symmetric
/// padding (or 'same'/'valid'). Input [N, C, *spatial].
struct Convolution: LayerLowering {
    var typeNames: [String] { ["Conv1d", "Conv2d", "Conv3d"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        let a = try ConvolutionArguments(c, x: x)
        let (k, inC, outC, kernel, stride, dilation, groups) = (a.k, a.inC, a.outC, a.kernel, a.stride, a.dilation, a.groups)
        let spatial = try (0..<k).map { try c.fixed(x.shape[2 + $0], "spatial dimension \($0)") }
        var pads: [Int]
        switch try c.args.raw("padding")?.value {
        case .string("valid")?: pads = [Int](repeating: 0, count: 2 * k)
        case .string("same")?:
            // torch puts the odd extra padding at the end.
            guard stride.allSatisfy({ $0 == 1 }) else { throw c.args.unsupported("padding", "'same' needs stride 1") }
            let total = (0..<k).map { dilation[$0] * (kernel[$0] - 1) }
            pads = total.map { $0 / 2 } + total.map { $0 - $0 / 2 }
        case .string(let s)?: throw c.args.unsupported("padding", "'\(s)' is not 'same', 'valid' or a size")
        default:
            let p = try c.args.ints("padding", count: k, default: 0, atLeast: 0)
            pads = p + p
        }
        var out: [ShapeDimension] = [x.shape[0], .fixed(Int64(outC))]
        for d in 0..<k {
            let size = (spatial[d] + pads[d] + pads[k + d] - dilation[d] * (kernel[d] - 1) - 1) / stride[d] + 1
            guard size >= 1 else { throw c.shapeError("spatial dimension \(d) of size \(spatial[d]) is too small for the kernel") }
            out.append(.fixed(Int64(size)))
        }
        let w = try c.weight("weight", shape: [outC, inC / groups] + kernel)
        let b = a.bias ? try c.weight("bias", shape: [outC]) : nil
        let y = try c.node("Conv", [x.value, w, b], [
            "kernel_shape": .ints(kernel.map { Int64($0) }), "strides": .ints(stride.map { Int64($0) }),
            "dilations": .ints(dilation.map { Int64($0) }), "pads": .ints(pads.map { Int64($0) }), "group": .int(Int64(groups)),
        ])
        return LayerValue(y, out)
    }
}

/// The arguments Conv*d and ConvTranspose*d share, read and checked against the input:
/// the spatial rank from the type name (`Conv2d`, `ConvTranspose1d`), channels, kernel,
/// stride, dilation, groups, bias and padding_mode 'zeros'.
struct ConvolutionArguments {
    let k: Int, inC: Int, outC: Int, kernel: [Int], stride: [Int], dilation: [Int], groups: Int, bias: Bool

    init(_ c: LayerContext, x: LayerValue) throws {
        k = Int(String(c.args.type.suffix(2).prefix(1))) ?? 2
        inC = try c.args.int("in_channels", atLeast: 1); outC = try c.args.int("out_channels", atLeast: 1)
        kernel = try c.args.ints("kernel_size", count: k, atLeast: 1)
        stride = try c.args.ints("stride", count: k, default: 1, atLeast: 1)
        dilation = try c.args.ints("dilation", count: k, default: 1, atLeast: 1)
        groups = try c.args.int("groups", default: 1, atLeast: 1)
        bias = try c.args.bool("bias", default: true)
        let mode = try c.args.string("padding_mode", default: "zeros")
        guard mode == "zeros" else { throw c.args.unsupported("padding_mode", "only 'zeros' is converted, not '\(mode)'") }
        guard groups >= 1, inC % groups == 0, outC % groups == 0 else {
            throw c.args.unsupported("groups", "in_channels \(inC) and out_channels \(outC) must both divide by groups \(groups)")
        }
        guard x.rank == k + 2 else { throw c.shapeError("expects [N, C, \(k) spatial dims], got rank \(x.rank)") }
        guard try c.fixed(x.shape[1], "the channel dimension") == inC else {
            throw c.shapeError("in_channels is \(inC) but the input has \(x.shape[1]) channels")
        }
    }
}
