import ONNX

/// RotaryEmbedding (23): rotates the first rotary_embedding_dim values of each head
/// (all when 0) by the cos/sin caches, pairing the two halves or (interleaved) even
/// and odd positions. X is [batch, heads, seq, head] or [batch, seq, heads * head]
/// (num_heads given); the caches are [positions, dim/2] indexed by position_ids, or
/// [batch, seq, dim/2] without them.
struct RotaryEmbedding: Operator {
    static let opType = "RotaryEmbedding"
    static let sinceVersions: [Int64] = [23]
    let interleaved: Bool
    let numHeads: Int
    let rotaryDim: Int

    init(_ c: OpContext) throws {
        interleaved = try c.int("interleaved", default: 0) != 0
        numHeads = Int(try c.int("num_heads", default: 0))
        rotaryDim = Int(try c.int("rotary_embedding_dim", default: 0))
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let cosT = try context.tensor(inputs, 1), sinT = try context.tensor(inputs, 2)
        let pos = try context.optionalTensor(inputs, 3)
        guard NN.isReal(x.dataType) else { throw InterpreterError.unsupportedType(x.dataType, context: "RotaryEmbedding") }
        let batch: Int, heads: Int, seq: Int, hs: Int
        // Element (b, s, h, d) lives at b*bs + s*ss + h*hsS + d.
        let bs: Int, ss: Int, hst: Int
        if x.rank == 4 {
            (batch, heads, seq, hs) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
            bs = heads * seq * hs; hst = seq * hs; ss = hs
        } else if x.rank == 3 {
            guard numHeads > 0, x.shape[2] % numHeads == 0 else { throw context.invalid("3-D input needs num_heads dividing \(x.shape[2])") }
            (batch, seq, heads) = (x.shape[0], x.shape[1], numHeads)
            hs = x.shape[2] / numHeads
            bs = seq * heads * hs; ss = heads * hs; hst = hs
        } else { throw context.invalid("X must be 3-D or 4-D, got \(x.shape)") }
        let dim = rotaryDim == 0 ? hs : rotaryDim
        guard dim <= hs, dim % 2 == 0 else { throw context.invalid("rotary_embedding_dim \(dim) must be even and at most \(hs)") }
        let half = dim / 2
        let cv = try cosT.doubles(), sv = try sinT.doubles()
        guard cosT.shape.last == half, sinT.shape == cosT.shape else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "cos/sin caches \(cosT.shape) need a last axis of \(half)")
        }
        // Row of the caches for (b, s).
        var rowOf = [Int](repeating: 0, count: batch * seq)
        if let pos {
            let p = try pos.ints()
            guard p.count == batch * seq else { throw context.invalid("position_ids must be [batch, seq]") }
            let rows = cosT.count / max(1, half)
            for i in p.indices {
                guard p[i] >= 0, p[i] < rows else { throw context.invalid("position id \(p[i]) outside the caches' \(rows) rows") }
                rowOf[i] = p[i]
            }
        } else {
            guard cosT.count == batch * seq * half else { throw context.invalid("without position_ids the caches must be [batch, seq, \(half)]") }
            for i in 0..<(batch * seq) { rowOf[i] = i }
        }
        var y = try x.doubles()
        for b in 0..<batch { for s in 0..<seq {
            let r = rowOf[b * seq + s] * half
            for h in 0..<heads {
                let base = b * bs + s * ss + h * hst
                for i in 0..<half {
                    let i1 = interleaved ? base + 2 * i : base + i
                    let i2 = interleaved ? base + 2 * i + 1 : base + half + i
                    let x1 = y[i1], x2 = y[i2], c = cv[r + i], sn = sv[r + i]
                    y[i1] = c * x1 - sn * x2
                    y[i2] = sn * x1 + c * x2
                }
            }
        } }
        return [.tensor(try .converting(y, to: x.dataType, shape: x.shape))]
    }
}
