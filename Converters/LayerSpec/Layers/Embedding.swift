import ONNX

/// nn.Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None, ...):
/// Gather of the weight rows by int64 indices; output is the indices' shape plus
/// [embedding_dim]. (padding_idx only affects training.)
struct Embedding: LayerLowering {
    var typeNames: [String] { ["Embedding"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        let n = try c.args.int("num_embeddings", atLeast: 1), dim = try c.args.int("embedding_dim", atLeast: 1)
        _ = try c.args.raw("padding_idx")
        if let m = try c.args.raw("max_norm"), m.value != .null { throw c.args.unsupported("max_norm", "renormalising rows at lookup is not converted") }
        _ = try c.args.raw("norm_type"); _ = try c.args.raw("scale_grad_by_freq"); _ = try c.args.raw("sparse")
        let t = try c.builder.type(of: x.value)?.tensorElementType
        guard t == .int64 || t == .int32 else { throw c.shapeError("takes int64 indices (declare the input's dtype as int64)") }
        let w = try c.weight("weight", shape: [n, dim])
        return LayerValue(try c.node("Gather", [w, x.value], ["axis": .int(0)]), x.shape + [.fixed(Int64(dim))])
    }
}
