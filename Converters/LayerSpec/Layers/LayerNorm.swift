import ONNX

/// nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True):
/// LayerNormalization over the trailing `normalized_shape` dims.
struct LayerNorm: LayerLowering {
    var typeNames: [String] { ["LayerNorm"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        let normalized = try c.args.intList("normalized_shape")
        let eps = try c.args.double("eps", default: 1e-5)
        let affine = try c.args.bool("elementwise_affine", default: true)
        let hasBias = try c.args.bool("bias", default: true)
        guard !normalized.isEmpty, normalized.count <= x.rank else { throw c.shapeError("normalized_shape \(normalized) does not fit rank \(x.rank)") }
        let tail = try x.shape.suffix(normalized.count).map { try c.fixed($0, "a normalized dimension") }
        guard tail == normalized else { throw c.shapeError("normalized_shape is \(normalized) but the input ends with \(tail)") }
        let count = normalized.reduce(1, *)
        let scale = affine ? try c.weight("weight", shape: normalized) : try c.constant([Double](repeating: 1, count: count), shape: normalized, name: "scale")
        let bias = affine && hasBias ? try c.weight("bias", shape: normalized) : nil
        let y = try c.node("LayerNormalization", [x.value, scale, bias], ["axis": .int(Int64(-normalized.count)), "epsilon": .float(Float(eps))])
        return LayerValue(y, x.shape)
    }
}
