import ONNX

/// nn.Linear(in_features, out_features, bias=True): y = x Wᵀ + b over the last axis.
/// Rank-2 inputs use Gemm with transB (the weight stays as torch stores it); other
/// ranks use MatMul with the transposed weight.
struct Linear: LayerLowering {
    var typeNames: [String] { ["Linear"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        let inF = try c.args.int("in_features"), outF = try c.args.int("out_features")
        let hasBias = try c.args.bool("bias", default: true)
        guard let last = x.shape.last else { throw c.shapeError("needs an input of rank >= 1") }
        guard try c.fixed(last, "the last input dimension") == inF else {
            throw c.shapeError("in_features is \(inF) but the input's last dimension is \(last)")
        }
        let out = Array(x.shape.dropLast()) + [.fixed(Int64(outF))]
        if x.rank == 2 {
            let w = try c.weight("weight", shape: [outF, inF])
            let bias = hasBias ? try c.weight("bias", shape: [outF]) : nil
            return LayerValue(try c.node("Gemm", [x.value, w, bias], ["transB": .int(1)]), out)
        }
        let values = try c.weightValues("weight", shape: [outF, inF])
        let bias = hasBias ? try c.weight("bias", shape: [outF]) : nil
        var transposed = [Double](repeating: 0, count: values.count)
        for o in 0..<outF { for i in 0..<inF { transposed[i * outF + o] = values[o * inF + i] } }
        var y = try c.node("MatMul", [x.value, try c.constant(transposed, shape: [inF, outF], name: "weight_t")])
        if let bias { y = try c.node("Add", [y, bias]) }
        return LayerValue(y, out)
    }
}
