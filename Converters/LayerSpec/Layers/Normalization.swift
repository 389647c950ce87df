import ONNX

/// nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True) (GroupNormalization,
/// per-channel scale as in opset 21), nn.InstanceNorm1d/2d/3d(num_features, eps=1e-5,
/// momentum=0.1, affine=False, track_running_stats=False) (InstanceNormalization; with
/// running statistics torch normalises with them at inference, as BatchNormalization
/// does) and nn.RMSNorm(normalized_shape, eps=None, elementwise_affine=True)
/// (x / sqrt(mean(x²) + eps) * weight over the trailing dims; eps None is the float
/// type's machine epsilon, as torch uses).
struct Normalization: LayerLowering {
    var typeNames: [String] { ["GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "RMSNorm"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        func ones(_ n: Int, _ v: Double, _ name: String) throws -> GraphBuilder.Value { try c.constant([Double](repeating: v, count: n), shape: [n], name: name) }
        switch c.args.type {
        case "GroupNorm":
            let groups = try c.args.int("num_groups", atLeast: 1), channels = try c.args.int("num_channels", atLeast: 1)
            let eps = try c.args.double("eps", default: 1e-5), affine = try c.args.bool("affine", default: true)
            guard groups >= 1, channels % groups == 0 else { throw c.args.unsupported("num_groups", "num_channels \(channels) must divide by num_groups \(groups)") }
            guard x.rank >= 2, try c.fixed(x.shape[1], "the channel dimension") == channels else { throw c.shapeError("expects \(channels) channels in dimension 1") }
            guard (c.builder.opsets[Domain.onnx] ?? 0) >= 21 else { throw c.args.unsupported("num_groups", "GroupNorm needs --opset 21 or later (per-channel GroupNormalization)") }
            let scale = affine ? try c.weight("weight", shape: [channels]) : try ones(channels, 1, "scale")
            let bias = affine ? try c.weight("bias", shape: [channels]) : try ones(channels, 0, "bias")
            return LayerValue(try c.node("GroupNormalization", [x.value, scale, bias], ["num_groups": .int(Int64(groups)), "epsilon": .float(Float(eps))]), x.shape)
        case "RMSNorm":
            let normalized = try c.args.intList("normalized_shape")
            let affine = try c.args.bool("elementwise_affine", default: true)
            let epsRaw = try c.args.raw("eps")
            let eps = epsRaw == nil || epsRaw?.value == .null ? (c.dtype == .double ? Double.ulpOfOne : Double(Float.ulpOfOne)) : try c.args.double("eps")
            guard !normalized.isEmpty, normalized.count <= x.rank,
                  try x.shape.suffix(normalized.count).map({ try c.fixed($0, "a normalized dimension") }) == normalized else {
                throw c.shapeError("normalized_shape \(normalized) does not match the input's trailing dims \(x.shape)")
            }
            let axes = (x.rank - normalized.count..<x.rank).map { Int64($0) }
            let meanSquare = try c.node("ReduceMean", [try c.node("Mul", [x.value, x.value]), try c.int64s(axes, name: "axes")], ["keepdims": .int(1)])
            let rms = try c.node("Sqrt", [try c.node("Add", [meanSquare, try c.constant([eps], shape: [], name: "eps")])])
            var y = try c.node("Div", [x.value, rms])
            if affine { y = try c.node("Mul", [y, try c.weight("weight", shape: normalized)]) }
            return LayerValue(y, x.shape)
        default:
            let n = try c.args.int("num_features", atLeast: 1)
            let eps = try c.args.double("eps", default: 1e-5)
            _ = try c.args.raw("momentum")
            let affine = try c.args.bool("affine", default: false), running = try c.args.bool("track_running_stats", default: false)
            let k = Int(String(c.args.type.suffix(2).prefix(1))) ?? 2
            guard x.rank == k + 2, try c.fixed(x.shape[1], "the channel dimension") == n else { throw c.shapeError("expects [N, \(n), \(k) spatial dims]") }
            let scale = affine ? try c.weight("weight", shape: [n]) : try ones(n, 1, "scale")
            let bias = affine ? try c.weight("bias", shape: [n]) : try ones(n, 0, "bias")
            if running {
                let mean = try c.weight("running_mean", shape: [n]), variance = try c.weight("running_var", shape: [n])
                c.ignoreWeight("num_batches_tracked")
                return LayerValue(try c.node("BatchNormalization", [x.value, scale, bias, mean, variance], ["epsilon": .float(Float(eps))]), x.shape)
            }
            return LayerValue(try c.node("InstanceNormalization", [x.value, scale, bias], ["epsilon": .float(Float(eps))]), x.shape)
        }
    }
}
