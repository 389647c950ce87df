import ONNX

/// nn.Bilinear(in1_features, in2_features, out_features, bias=True):
/// y[..., o] = Σᵢⱼ x1[..., i] W[o, i, j] x2[..., j] + b[o], as one Einsum.
struct Bilinear: LayerLowering {
    var typeNames: [String] { ["Bilinear"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        guard inputs.count == 2 else { throw c.shapeError("takes two inputs (list them in 'inputs'), given \(inputs.count)") }
        let a = inputs[0], b = inputs[1]
        let n1 = try c.args.int("in1_features"), n2 = try c.args.int("in2_features"), out = try c.args.int("out_features")
        let hasBias = try c.args.bool("bias", default: true)
        guard let l1 = a.shape.last, let l2 = b.shape.last, try c.fixed(l1, "the first input's features") == n1,
              try c.fixed(l2, "the second input's features") == n2, a.rank == b.rank else {
            throw c.shapeError("expects inputs [..., \(n1)] and [..., \(n2)] of the same rank")
        }
        let w = try c.weight("weight", shape: [out, n1, n2])
        var y = try c.node("Einsum", [a.value, w, b.value], ["equation": .string("...i,oij,...j->...o")])
        if hasBias { y = try c.node("Add", [y, try c.weight("bias", shape: [out])]) }
        return LayerValue(y, Array(a.shape.dropLast()) + [.fixed(Int64(out))])
    }
}
