/// GatherElements: out[i][j][k] = data[i][index[i][j][k]][k] for axis 1 (any axis, any rank).
struct GatherElements: Operator {
    static let opType = "GatherElements"
    static let sinceVersions: [Int64] = [11, 13]
    let axis: Int64
    init(_ c: OpContext) throws { axis = try c.int("axis", default: 0) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let indices = try context.tensor(inputs, 1)
        guard indices.rank == x.rank else { throw context.invalid("indices rank \(indices.rank) differs from data rank \(x.rank)") }
        let a = try TensorSupport.axis(axis, rank: x.rank, context.nodeName)
        let map = try ElementIndexing.flatIndices(dataShape: x.shape, indices: indices, axis: a, context.nodeName)
        return [.tensor(x.gathered(map, shape: indices.shape))]
    }
}

/// Index arithmetic shared by GatherElements and ScatterElements.
enum ElementIndexing {
    /// For each element of `indices`, the flat index into data that it names along `axis`.
    static func flatIndices(dataShape: [Int], indices: TensorValue, axis a: Int, _ node: String) throws -> [Int] {
        let idx = try indices.int64s()
        let strides = TensorValue.strides(for: dataShape)
        let dim = Int64(dataShape[a])
        var out = [Int](repeating: 0, count: idx.count)
        var k = 0
        var failure: InterpreterError?
        TensorSupport.forEachIndex(indices.shape) { pos in
            var v = idx[k]
            if v < 0 { v += dim }
            var flat = 0
            for d in 0..<pos.count {
                let c = d == a ? Int(v) : pos[d]
                if d != a && c >= dataShape[d] { failure = .invalidInput(node: node, message: "indices shape \(indices.shape) exceeds data shape \(dataShape)") }
                flat += c * strides[d]
            }
            if v < 0 || v >= dim { failure = .invalidInput(node: node, message: "index \(idx[k]) is out of range for axis size \(dim)") }
            out[k] = flat
            k += 1
        }
        if let failure { throw failure }
        return out
    }
}
