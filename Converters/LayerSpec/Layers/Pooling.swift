import ONNX

/// nn.MaxPool1d/2d/3d(kernel_size, stride=None, padding=0, dilation=1,
/// return_indices=False, ceil_mode=False) and nn.AvgPool1d/2d/3d(kernel_size,
/// stride=None, padding=0, ceil_mode=False, count_include_pad=True,
/// divisor_override=None). Input [N, C, *spatial].
struct Pooling: LayerLowering {
    var typeNames: [String] { ["MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        let isMax = c.args.type.hasPrefix("Max")
        let k = Int(String(c.args.type.suffix(2).prefix(1))) ?? 2
        guard x.rank == k + 2 else { throw c.shapeError("expects [N, C, \(k) spatial dims], got rank \(x.rank)") }
        let kernel = try c.args.ints("kernel_size", count: k, atLeast: 1)
        let stride: [Int]
        if let s = try c.args.raw("stride"), !(s.value == .null) { stride = try c.args.ints("stride", count: k, atLeast: 1) } else { stride = kernel }
        let padding = try c.args.ints("padding", count: k, default: 0, atLeast: 0)
        let ceil = try c.args.bool("ceil_mode", default: false)
        var dilation = [Int](repeating: 1, count: k)
        var attributes: [String: AttributeValue] = [:]
        if isMax {
            dilation = try c.args.ints("dilation", count: k, default: 1, atLeast: 1)
            guard try !c.args.bool("return_indices", default: false) else { throw c.args.unsupported("return_indices", "indices are not an output here") }
            attributes["dilations"] = .ints(dilation.map { Int64($0) })
        } else {
            attributes["count_include_pad"] = .int(try c.args.bool("count_include_pad", default: true) ? 1 : 0)
            if k > 1, let d = try c.args.raw("divisor_override"), !(d.value == .null) {
                throw c.args.unsupported("divisor_override", "only None converts")
            }
        }
        for d in 0..<k where 2 * padding[d] > kernel[d] {
            throw c.args.unsupported("padding", "torch requires padding <= kernel_size / 2 (\(padding[d]) for kernel \(kernel[d]))")
        }
        var out: [ShapeDimension] = Array(x.shape.prefix(2))
        for d in 0..<k {
            let size = try c.fixed(x.shape[2 + d], "spatial dimension \(d)")
            let span = size + 2 * padding[d] - dilation[d] * (kernel[d] - 1) - 1
            guard span >= 0 else { throw c.shapeError("spatial dimension \(d) of size \(size) is smaller than the window") }
            let o = (ceil ? (span + stride[d] - 1) / stride[d] : span / stride[d]) + 1
            // torch drops a last window that would start in the right padding.
            if ceil, (o - 1) * stride[d] >= size + padding[d] {
                throw c.args.unsupported("ceil_mode", "a last window that starts in the padding is dropped by torch but not by ONNX (dimension \(d))")
            }
            out.append(.fixed(Int64(o)))
        }
        attributes["kernel_shape"] = .ints(kernel.map { Int64($0) })
        attributes["strides"] = .ints(stride.map { Int64($0) })
        attributes["pads"] = .ints((padding + padding).map { Int64($0) })
        attributes["ceil_mode"] = .int(ceil ? 1 : 0)
        return LayerValue(try c.node(isMax ? "MaxPool" : "AveragePool", [x.value], attributes), out)
    }
}

/// nn.AdaptiveAvgPool1d/2d/3d(output_size) and nn.AdaptiveMaxPool1d/2d/3d(output_size,
/// return_indices=False): global pooling for output size 1, otherwise a fixed window
/// when each input size divides by its output size (torch's windows are then exactly
/// that); other sizes have overlapping windows of varying width and are refused.
struct AdaptivePooling: LayerLowering {
    var typeNames: [String] { ["AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        let isMax = c.args.type.hasPrefix("AdaptiveMax")
        let k = Int(String(c.args.type.suffix(2).prefix(1))) ?? 2
        guard x.rank == k + 2 else { throw c.shapeError("expects [N, C, \(k) spatial dims], got rank \(x.rank)") }
        if isMax, try c.args.bool("return_indices", default: false) { throw c.args.unsupported("return_indices", "indices are not an output here") }
        let spatial = try (0..<k).map { try c.fixed(x.shape[2 + $0], "spatial dimension \($0)") }
        // output_size: an int, or a list whose None entries keep the input size.
        var sizes: [Int] = []
        guard let raw = try c.args.raw("output_size") else { throw LayerSpecError.spec(path: c.where_, reason: "\(c.args.type) needs 'output_size'") }
        if case .number = raw.value {
            sizes = [Int](repeating: try c.args.int("output_size"), count: k)
        } else {
            let items = try raw.elements()
            guard items.count == k else { throw c.args.unsupported("output_size", "expected \(k) sizes") }
            for (d, item) in items.enumerated() { sizes.append(item.value == .null ? spatial[d] : try item.integer()) }
        }
        let out = Array(x.shape.prefix(2)) + sizes.map { ShapeDimension.fixed(Int64($0)) }
        if sizes.allSatisfy({ $0 == 1 }) {
            return LayerValue(try c.node(isMax ? "GlobalMaxPool" : "GlobalAveragePool", [x.value]), out)
        }
        guard zip(spatial, sizes).allSatisfy({ $1 >= 1 && $0 % $1 == 0 }) else {
            throw c.args.unsupported("output_size", "\(sizes) does not divide the input's \(spatial); only whole windows convert")
        }
        let kernel = zip(spatial, sizes).map { Int64($0 / $1) }
        return LayerValue(try c.node(isMax ? "MaxPool" : "AveragePool", [x.value], ["kernel_shape": .ints(kernel), "strides": .ints(kernel)]), out)
    }
}
