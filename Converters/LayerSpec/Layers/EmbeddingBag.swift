import ONNX

/// nn.EmbeddingBag(num_embeddings, embedding_dim, mode='mean', ...) on fixed-length
/// bags: int64 indices [B, L] (no offsets), each bag's rows reduced by mean, sum or max.
struct EmbeddingBag: LayerLowering {
    var typeNames: [String] { ["EmbeddingBag"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        let n = try c.args.int("num_embeddings", atLeast: 1), dim = try c.args.int("embedding_dim", atLeast: 1)
        let mode = try c.args.string("mode", default: "mean")
        guard let op = ["mean": "ReduceMean", "sum": "ReduceSum", "max": "ReduceMax"][mode] else { throw c.args.unsupported("mode", "'\(mode)' is not mean, sum or max") }
        if let m = try c.args.raw("max_norm"), m.value != .null { throw c.args.unsupported("max_norm", "renormalising rows at lookup is not converted") }
        if let p = try c.args.raw("padding_idx"), p.value != .null { throw c.args.unsupported("padding_idx", "bags that skip a padding index are not converted") }
        guard try !c.args.bool("include_last_offset", default: false) else { throw c.args.unsupported("include_last_offset", "offsets are not an input here") }
        _ = try c.args.raw("norm_type"); _ = try c.args.raw("scale_grad_by_freq"); _ = try c.args.raw("sparse")
        guard x.rank == 2 else { throw c.shapeError("takes fixed-length bags [B, L]") }
        let w = try c.weight("weight", shape: [n, dim])
        let rows = try c.node("Gather", [w, x.value], ["axis": .int(0)])
        return LayerValue(try c.node(op, [rows, try c.int64s([1], name: "bag_axis")], ["keepdims": .int(0)]), [x.shape[0], .fixed(Int64(dim))])
    }
}
