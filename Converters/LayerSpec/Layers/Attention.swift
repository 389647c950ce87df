import DocumentReaders
import ONNX

/// nn.MultiheadAttention(embed_dim, num_heads, dropout=0, bias=True, add_bias_kv=False,
/// add_zero_attn=False, kdim=None, vdim=None, batch_first=False): self-attention on
/// one input, or query/key/value when three are listed, each optionally followed by an
/// attn_mask input ([target, source]; bool true = not attended, or additive float); the
/// output is torch's first tuple element (the attention output). The encoder layers
/// take an optional second input, the src_mask; the decoder layer a third, tgt_mask. nn.TransformerEncoderLayer(d_model, nhead,
/// dim_feedforward=2048, dropout=0.1, activation='relu', layer_norm_eps=1e-5,
/// batch_first=False, norm_first=False, bias=True) and nn.TransformerEncoder(
/// encoder_layer: {its arguments}, num_layers, norm: null or {normalized_shape, eps})
/// and nn.TransformerDecoderLayer (inputs target and memory; same arguments, no masks)
/// are built from the same pieces, with torch's weight names.
struct Attention: LayerLowering {
    var typeNames: [String] { ["MultiheadAttention", "TransformerEncoderLayer", "TransformerEncoder", "TransformerDecoderLayer"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        switch c.args.type {
        case "MultiheadAttention":
            let e = try c.args.int("embed_dim", atLeast: 1), h = try c.args.int("num_heads", atLeast: 1)
            _ = try c.args.double("dropout", default: 0)
            let bias = try c.args.bool("bias", default: true)
            guard try !c.args.bool("add_bias_kv", default: false) else { throw c.args.unsupported("add_bias_kv", "not converted") }
            guard try !c.args.bool("add_zero_attn", default: false) else { throw c.args.unsupported("add_zero_attn", "not converted") }
            for k in ["kdim", "vdim"] {
                if let v = try c.args.raw(k), v.value != .null, try v.integer() != e { throw c.args.unsupported(k, "only kdim = vdim = embed_dim converts") }
            }
            let batchFirst = try c.args.bool("batch_first", default: false)
            // x | x, mask | query, key, value | query, key, value, mask
            guard (1...4).contains(inputs.count) else { throw c.shapeError("takes x, [x, attn_mask], [query, key, value] or [query, key, value, attn_mask]") }
            let three = inputs.count >= 3
            let q = inputs[0], k = three ? inputs[1] : inputs[0], v = three ? inputs[2] : inputs[0]
            let mask = try Self.additiveMask(inputs.count == 2 ? inputs[1] : inputs.count == 4 ? inputs[3] : nil, c)
            for x in [q, k, v] {
                guard x.rank == 3, try c.fixed(x.shape[2], "the embedding dimension") == e else { throw c.shapeError("expects [seq, batch, \(e)] inputs") }
            }
            func first(_ x: LayerValue) throws -> GraphBuilder.Value { batchFirst ? x.value : try c.node("Transpose", [x.value], ["perm": .ints([1, 0, 2])]) }
            let y = try Self.attention(try first(q), try first(k), try first(v), embed: e, heads: h, bias: bias, prefix: "", mask: mask, c)
            return LayerValue(batchFirst ? y : try c.node("Transpose", [y], ["perm": .ints([1, 0, 2])]), q.shape)
        case "TransformerDecoderLayer":
            guard inputs.count == 2 || inputs.count == 3 else { throw c.shapeError("takes target and memory, and optionally tgt_mask (list them in 'inputs')") }
            let spec = try EncoderLayerSpec(c.args)
            let (t, m) = (inputs[0], inputs[1])
            let targetMask = try Self.additiveMask(inputs.count == 3 ? inputs[2] : nil, c)
            guard m.rank == 3, try c.fixed(m.shape[2], "d_model") == spec.dModel else { throw c.shapeError("memory must be [seq, batch, \(spec.dModel)]") }
            let flip = { (v: GraphBuilder.Value) in spec.batchFirst ? v : try c.node("Transpose", [v], ["perm": .ints([1, 0, 2])]) }
            let y = try Self.decoderLayer(try flip(t.value), try flip(m.value), spec, c, x: t, targetMask: targetMask)
            return LayerValue(try flip(y), t.shape)
        case "TransformerEncoderLayer":
            guard inputs.count == 1 || inputs.count == 2 else { throw c.shapeError("takes x, and optionally src_mask") }
            let x = inputs[0]
            let mask = try Self.additiveMask(inputs.count == 2 ? inputs[1] : nil, c)
            let spec = try EncoderLayerSpec(c.args)
            let bf = spec.batchFirst
            var y = bf ? x.value : try c.node("Transpose", [x.value], ["perm": .ints([1, 0, 2])])
            y = try Self.encoderLayer(y, spec, prefix: "", c, x: x, mask: mask)
            return LayerValue(bf ? y : try c.node("Transpose", [y], ["perm": .ints([1, 0, 2])]), x.shape)
        default:
            guard inputs.count == 1 || inputs.count == 2 else { throw c.shapeError("takes x, and optionally mask") }
            let x = inputs[0]
            let mask = try Self.additiveMask(inputs.count == 2 ? inputs[1] : nil, c)
            let n = try c.args.int("num_layers", atLeast: 0)
            guard let layerNode = try c.args.raw("encoder_layer") else { throw LayerSpecError.spec(path: c.where_, reason: "TransformerEncoder needs 'encoder_layer' (its arguments)") }
            let layerArgs = LayerArguments(node: layerNode, type: "TransformerEncoderLayer")
            let spec = try EncoderLayerSpec(layerArgs)
            if let key = layerArgs.unread.first {
                throw LayerSpecError.unknownArgument(path: "\(layerNode.path).\(key)", type: "TransformerEncoderLayer", key: key, accepted: layerArgs.read)
            }
            _ = try c.args.raw("enable_nested_tensor"); _ = try c.args.raw("mask_check")
            var y = spec.batchFirst ? x.value : try c.node("Transpose", [x.value], ["perm": .ints([1, 0, 2])])
            for i in 0..<n { y = try Self.encoderLayer(y, spec, prefix: "layers.\(i).", c, x: x, mask: mask) }
            if let norm = try c.args.raw("norm"), norm.value != .null {
                let normArgs = LayerArguments(node: norm, type: "LayerNorm")
                let eps = try normArgs.double("eps", default: 1e-5)
                _ = try normArgs.raw("normalized_shape"); _ = try normArgs.raw("type")
                y = try Self.layerNorm(y, spec.dModel, eps: eps, prefix: "norm.", c)
            }
            return LayerValue(spec.batchFirst ? y : try c.node("Transpose", [y], ["perm": .ints([1, 0, 2])]), x.shape)
        }
    }

    struct EncoderLayerSpec {
        var dModel: Int, heads: Int, feedForward: Int, activation: String, eps: Double, batchFirst: Bool, normFirst: Bool, bias: Bool

        init(_ a: LayerArguments) throws {
            dModel = try a.int("d_model", atLeast: 1); heads = try a.int("nhead", atLeast: 1)
            feedForward = try a.int("dim_feedforward", default: 2048, atLeast: 1)
            _ = try a.double("dropout", default: 0.1)
            activation = try a.string("activation", default: "relu")
            guard activation == "relu" || activation == "gelu" else { throw a.unsupported("activation", "'\(activation)' is not relu or gelu") }
            eps = try a.double("layer_norm_eps", default: 1e-5)
            batchFirst = try a.bool("batch_first", default: false)
            normFirst = try a.bool("norm_first", default: false)
            bias = try a.bool("bias", default: true)
        }
    }

    /// One encoder layer on batch-first [N, L, E].
    static func encoderLayer(_ x: GraphBuilder.Value, _ s: EncoderLayerSpec, prefix p: String, _ c: LayerContext, x input: LayerValue,
                             mask: GraphBuilder.Value?) throws -> GraphBuilder.Value {
        guard input.rank == 3, try c.fixed(input.shape[2], "d_model") == s.dModel else { throw c.shapeError("expects [seq, batch, \(s.dModel)] inputs") }
        func attend(_ v: GraphBuilder.Value) throws -> GraphBuilder.Value {
            try attention(v, v, v, embed: s.dModel, heads: s.heads, bias: s.bias, prefix: p + "self_attn.", mask: mask, c)
        }
        func feedForward(_ v: GraphBuilder.Value) throws -> GraphBuilder.Value {
            let hidden = try linear(v, s.dModel, s.feedForward, prefix: p + "linear1.", bias: s.bias, c)
            let act = s.activation == "relu" ? try c.node("Relu", [hidden]) : try c.node("Gelu", [hidden])
            return try linear(act, s.feedForward, s.dModel, prefix: p + "linear2.", bias: s.bias, c)
        }
        func norm(_ v: GraphBuilder.Value, _ n: String) throws -> GraphBuilder.Value {
            try layerNorm(v, s.dModel, eps: s.eps, prefix: p + n + ".", bias: s.bias, c)
        }
        if s.normFirst {
            let a = try c.node("Add", [x, try attend(try norm(x, "norm1"))])
            return try c.node("Add", [a, try feedForward(try norm(a, "norm2"))])
        }
        let a = try norm(try c.node("Add", [x, try attend(x)]), "norm1")
        return try norm(try c.node("Add", [a, try feedForward(a)]), "norm2")
    }

    /// One decoder layer on batch-first target [N, T, E] and memory [N, S, E].
    static func decoderLayer(_ x: GraphBuilder.Value, _ memory: GraphBuilder.Value, _ s: EncoderLayerSpec, _ c: LayerContext, x input: LayerValue,
                             targetMask: GraphBuilder.Value?) throws -> GraphBuilder.Value {
        guard input.rank == 3, try c.fixed(input.shape[2], "d_model") == s.dModel else { throw c.shapeError("expects [seq, batch, \(s.dModel)] inputs") }
        func attend(_ q: GraphBuilder.Value, _ kv: GraphBuilder.Value, _ name: String) throws -> GraphBuilder.Value {
            try attention(q, kv, kv, embed: s.dModel, heads: s.heads, bias: s.bias, prefix: name + ".", mask: name == "self_attn" ? targetMask : nil, c)
        }
        func feedForward(_ v: GraphBuilder.Value) throws -> GraphBuilder.Value {
            let hidden = try linear(v, s.dModel, s.feedForward, prefix: "linear1.", bias: s.bias, c)
            let act = s.activation == "relu" ? try c.node("Relu", [hidden]) : try c.node("Gelu", [hidden])
            return try linear(act, s.feedForward, s.dModel, prefix: "linear2.", bias: s.bias, c)
        }
        func norm(_ v: GraphBuilder.Value, _ n: String) throws -> GraphBuilder.Value { try layerNorm(v, s.dModel, eps: s.eps, prefix: n + ".", bias: s.bias, c) }
        if s.normFirst {
            let a = try c.node("Add", [x, try { let n = try norm(x, "norm1"); return try attend(n, n, "self_attn") }()])
            let b = try c.node("Add", [a, try attend(try norm(a, "norm2"), memory, "multihead_attn")])
            return try c.node("Add", [b, try feedForward(try norm(b, "norm3"))])
        }
        let a = try norm(try c.node("Add", [x, try attend(x, x, "self_attn")]), "norm1")
        let b = try norm(try c.node("Add", [a, try attend(a, memory, "multihead_attn")]), "norm2")
        return try norm(try c.node("Add", [b, try feedForward(b)]), "norm3")
    }

    /// Scaled dot-product attention with torch's packed in-projection, on batch-first
    /// [N, L, E] query and [N, S, E] key/value.
    static func attention(_ q: GraphBuilder.Value, _ k: GraphBuilder.Value, _ v: GraphBuilder.Value, embed e: Int, heads h: Int, bias: Bool,
                          prefix p: String, mask: GraphBuilder.Value? = nil, _ c: LayerContext) throws -> GraphBuilder.Value {
        guard h >= 1, e % h == 0 else { throw c.args.unsupported("num_heads", "embed_dim \(e) must divide by the number of heads \(h)") }
        let d = e / h
        let w = try c.weightValues(p + "in_proj_weight", shape: [3 * e, e])
        let b = bias ? try c.weightValues(p + "in_proj_bias", shape: [3 * e]) : [Double](repeating: 0, count: 3 * e)
        func project(_ x: GraphBuilder.Value, _ part: Int, _ name: String) throws -> GraphBuilder.Value {
            let rows = Array(w[(part * e * e)..<((part + 1) * e * e)])
            var y = try c.node("MatMul", [x, try c.constant(transpose(rows, e, e), shape: [e, e], name: p + name + "_weight_t")])
            if bias { y = try c.node("Add", [y, try c.constant(Array(b[(part * e)..<((part + 1) * e)]), shape: [e], name: p + name + "_bias")]) }
            // [N, L, E] -> [N, L, h, d] -> [N, h, L, d]
            let split = try c.node("Reshape", [y, try c.int64s([0, 0, Int64(h), Int64(d)], name: p + name + "_heads")])
            return try c.node("Transpose", [split], ["perm": .ints([0, 2, 1, 3])])
        }
        // torch scales the query before the product.
        let qh = try c.node("Mul", [try project(q, 0, "q"), try c.constant([1 / Double(d).squareRoot()], shape: [], name: p + "scale")])
        let kh = try project(k, 1, "k"), vh = try project(v, 2, "v")
        var scores = try c.node("MatMul", [qh, try c.node("Transpose", [kh], ["perm": .ints([0, 1, 3, 2])])])
        if let mask { scores = try c.node("Add", [scores, mask]) }
        let weights = try c.node("Softmax", [scores], ["axis": .int(-1)])
        let heads = try c.node("Transpose", [try c.node("MatMul", [weights, vh])], ["perm": .ints([0, 2, 1, 3])])
        let merged = try c.node("Reshape", [heads, try c.int64s([0, 0, Int64(e)], name: p + "merge_heads")])
        return try linear(merged, e, e, prefix: p + "out_proj.", bias: bias, c)
    }

    /// An attention mask [L, S] as the additive term torch applies: a float mask is added
    /// as it is; in a bool mask, true marks a position that may not be attended (-inf).
    static func additiveMask(_ m: LayerValue?, _ c: LayerContext) throws -> GraphBuilder.Value? {
        guard let m else { return nil }
        guard m.rank == 2 else { throw c.shapeError("attention masks must be [target, source]; per-head 3-D masks are not converted") }
        let type = try c.builder.type(of: m.value)?.tensorElementType
        if type == .bool {
            return try c.node("Where", [m.value, try c.constant([-Double.infinity], shape: [], name: "masked"), try c.constant([0], shape: [], name: "open")])
        }
        guard type == c.dtype else { throw c.shapeError("a float attention mask must have the graph's float type (\(c.dtype))") }
        return m.value
    }

    /// x Wᵀ + b with the weight `<prefix>weight` [out, in].
    static func linear(_ x: GraphBuilder.Value, _ inF: Int, _ outF: Int, prefix p: String, bias: Bool, _ c: LayerContext) throws -> GraphBuilder.Value {
        let w = try c.weightValues(p + "weight", shape: [outF, inF])
        var y = try c.node("MatMul", [x, try c.constant(transpose(w, outF, inF), shape: [inF, outF], name: p + "weight_t")])
        if bias { y = try c.node("Add", [y, try c.weight(p + "bias", shape: [outF])]) }
        return y
    }

    /// LayerNormalization over the last axis with `<prefix>weight` and `<prefix>bias`.
    static func layerNorm(_ x: GraphBuilder.Value, _ n: Int, eps: Double, prefix p: String, bias: Bool = true, _ c: LayerContext) throws -> GraphBuilder.Value {
        let scale = try c.weight(p + "weight", shape: [n])
        let b = bias ? try c.weight(p + "bias", shape: [n]) : nil
        return try c.node("LayerNormalization", [x, scale, b], ["axis": .int(-1), "epsilon": .float(Float(eps))])
    }

    /// A row-major [rows, cols] matrix transposed.
    static func transpose(_ m: [Double], _ rows: Int, _ cols: Int) -> [Double] {
        var out = [Double](repeating: 0, count: m.count)
        for r in 0..<rows { for k in 0..<cols { out[k * rows + r] = m[r * cols + k] } }
        return out
    }
}
