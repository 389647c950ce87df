import ONNX

/// nn.BatchNorm1d/2d/3d(num_features, eps=1e-5, momentum=0.1, affine=True,
/// track_running_stats=True) at inference: BatchNormalization with the running
/// statistics. Without running statistics torch normalises with the batch's own,
/// which is not an inference model: refused.
struct BatchNorm: LayerLowering {
    var typeNames: [String] { ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        let n = try c.args.int("num_features", atLeast: 1)
        let eps = try c.args.double("eps", default: 1e-5)
        _ = try c.args.raw("momentum")   // training only
        let affine = try c.args.bool("affine", default: true)
        guard try c.args.bool("track_running_stats", default: true) else {
            throw c.args.unsupported("track_running_stats", "false normalises with batch statistics at inference; only running statistics convert")
        }
        let ranks: [Int]
        switch c.args.type {
        case "BatchNorm1d": ranks = [2, 3]
        case "BatchNorm2d": ranks = [4]
        default: ranks = [5]
        }
        guard ranks.contains(x.rank) else { throw c.shapeError("expects rank \(ranks.map(String.init).joined(separator: " or ")), got \(x.rank)") }
        guard try c.fixed(x.shape[1], "the channel dimension") == n else {
            throw c.shapeError("num_features is \(n) but the input has \(x.shape[1]) channels")
        }
        let scale = affine ? try c.weight("weight", shape: [n]) : try c.constant([Double](repeating: 1, count: n), shape: [n], name: "scale")
        let bias = affine ? try c.weight("bias", shape: [n]) : try c.constant([Double](repeating: 0, count: n), shape: [n], name: "bias")
        let mean = try c.weight("running_mean", shape: [n]), variance = try c.weight("running_var", shape: [n])
        c.ignoreWeight("num_batches_tracked")
        let y = try c.node("BatchNormalization", [x.value, scale, bias, mean, variance], ["epsilon": .float(Float(eps))])
        return LayerValue(y, x.shape)
    }
}
