import ONNX

/// nn.Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None) for
/// modes nearest, (bi/tri)linear and bicubic (Resize with torch's coordinate rules:
/// nearest floors asymmetric source coordinates; the others use half-pixel centres, or
/// corners with align_corners), nn.UpsamplingNearest2d and nn.UpsamplingBilinear2d
/// (align_corners=True), and nn.PixelShuffle(upscale_factor) (DepthToSpace, CRD).
struct Resampling: LayerLowering {
    var typeNames: [String] { ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "PixelShuffle"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        if c.args.type == "PixelShuffle" {
            let r = try c.args.int("upscale_factor", atLeast: 1)
            guard r <= 1 << 15 else { throw c.args.unsupported("upscale_factor", "\(r) is larger than any image") }
            guard x.rank == 4, let ch = x.shape[1].fixedValue, ch % Int64(r * r) == 0 else { throw c.shapeError("expects [N, C*r*r, H, W]") }
            let out = [x.shape[0], .fixed(ch / Int64(r * r))] + (try x.shape[2...].map { ShapeDimension.fixed(Int64(try c.fixed($0, "a spatial dimension") * r)) })
            return LayerValue(try c.node("DepthToSpace", [x.value], ["blocksize": .int(Int64(r)), "mode": .string("CRD")]), out)
        }
        let k = x.rank - 2
        guard k >= 1 else { throw c.shapeError("expects [N, C, *spatial]") }
        var mode = "nearest", alignCorners = false
        switch c.args.type {
        case "UpsamplingNearest2d": break
        case "UpsamplingBilinear2d": mode = "bilinear"; alignCorners = true
        default:
            mode = try c.args.string("mode", default: "nearest")
            if let a = try c.args.raw("align_corners"), a.value != .null { alignCorners = try c.args.bool("align_corners", default: false) }
            _ = try c.args.raw("recompute_scale_factor")
        }
        let spatial = try x.shape[2...].map { try c.fixed($0, "a spatial dimension") }
        var sizes: [Int]
        var scales: [Double]? = nil
        if let s = try c.args.raw("size"), s.value != .null {
            sizes = try c.args.ints("size", count: k)
        } else if try c.args.raw("scale_factor") != nil {
            let f: [Double]
            if let raw = try c.args.raw("scale_factor"), case .number = raw.value { f = [Double](repeating: try raw.double(), count: k) } else {
                f = try (try c.args.raw("scale_factor")?.elements() ?? []).map { try $0.double() }
            }
            guard f.count == k, f.allSatisfy({ $0 > 0 }) else { throw c.args.unsupported("scale_factor", "needs \(k) positive factors") }
            scales = f
            sizes = zip(spatial, f).map { Int((Double($0) * $1).rounded(.down)) }
        } else {
            throw LayerSpecError.spec(path: c.where_, reason: "\(c.args.type) needs 'size' or 'scale_factor'")
        }
        let onnxMode: String, transform: String
        switch mode {
        case "nearest": onnxMode = "nearest"; transform = "asymmetric"
        case "linear", "bilinear", "trilinear": onnxMode = "linear"; transform = alignCorners ? "align_corners" : "pytorch_half_pixel"
        case "bicubic": onnxMode = "cubic"; transform = alignCorners ? "align_corners" : "pytorch_half_pixel"
        default: throw c.args.unsupported("mode", "'\(mode)' is not converted")
        }
        var attributes: [String: AttributeValue] = ["mode": .string(onnxMode), "coordinate_transformation_mode": .string(transform)]
        if onnxMode == "nearest" { attributes["nearest_mode"] = .string("floor") }
        if onnxMode == "cubic" { attributes["cubic_coeff_a"] = .float(-0.75) }
        let y: GraphBuilder.Value
        if let scales {
            // torch computes source coordinates from the given factor, not from the sizes.
            let s = try c.builder.initializer(([1, 1] + scales).map { Float($0) }, shape: [Int64(k + 2)], name: "\(c.path)/scales")
            y = try c.node("Resize", [x.value, nil, s], attributes)
        } else {
            // Sizes for N and C come from the input at run time.
            let shape = try c.node("Shape", [x.value])
            let head = try c.node("Slice", [shape, try c.int64s([0], name: "start"), try c.int64s([2], name: "end")])
            let full = try c.node("Concat", [head, try c.int64s(sizes.map { Int64($0) }, name: "sizes")], ["axis": .int(0)])
            y = try c.node("Resize", [x.value, nil, nil, full], attributes)
        }
        return LayerValue(y, Array(x.shape.prefix(2)) + sizes.map { .fixed(Int64($0)) })
    }
}
