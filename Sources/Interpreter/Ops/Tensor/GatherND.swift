/// GatherND: gathers slices of data named by index tuples in the last axis of indices,
/// with `batch_dims` leading axes shared by data and indices (opset 12).
struct GatherND: Operator {
    static let opType = "GatherND"
    static let sinceVersions: [Int64] = [11, 12, 13]
    let batchDims: Int
    init(_ c: OpContext) throws { batchDims = c.sinceVersion >= 12 ? Int(try c.int("batch_dims", default: 0)) : 0 }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let indices = try context.tensor(inputs, 1)
        let (map, shape) = try NDIndexing.slices(dataShape: x.shape, indices: indices, batchDims: batchDims, context.nodeName)
        var flat: [Int] = []
        flat.reserveCapacity(map.count * map.sliceSize)
        for base in map.bases { for j in 0..<map.sliceSize { flat.append(base + j) } }
        return [.tensor(x.gathered(flat, shape: shape))]
    }
}

/// Index-tuple arithmetic shared by GatherND and ScatterND.
enum NDIndexing {
    struct SliceMap {
        /// Flat offset in data of each addressed slice.
        var bases: [Int]
        /// Elements per slice.
        var sliceSize: Int
        var count: Int { bases.count }
    }

    /// The data slices the index tuples address, and the gathered shape
    /// (indices.shape[..<last] + data.shape[batch + k ...]).
    static func slices(dataShape: [Int], indices: TensorValue, batchDims b: Int, _ node: String) throws -> (SliceMap, [Int]) {
        func bad(_ m: String) -> InterpreterError { .invalidInput(node: node, message: m) }
        guard indices.rank >= 1 else { throw bad("indices must have rank at least 1") }
        guard b >= 0, b < indices.rank, b < dataShape.count else { throw bad("batch_dims \(b) is out of range") }
        for i in 0..<b where dataShape[i] != indices.shape[i] {
            throw bad("batch dimension \(i) differs: data \(dataShape[i]), indices \(indices.shape[i])")
        }
        let k = indices.shape[indices.rank - 1]
        guard b + k <= dataShape.count else { throw bad("index tuples of length \(k) are too long for data rank \(dataShape.count)") }
        let idx = try indices.int64s()
        let strides = TensorValue.strides(for: dataShape)
        let batchCount = dataShape[..<b].reduce(1, *)
        let batchStride = dataShape[b...].reduce(1, *)
        let sliceSize = dataShape[(b + k)...].reduce(1, *)
        let tuples = indices.shape.dropLast().reduce(1, *)
        let perBatch = batchCount == 0 ? 0 : tuples / batchCount
        var bases = [Int](repeating: 0, count: tuples)
        for t in 0..<tuples {
            var off = perBatch == 0 ? 0 : (t / perBatch) * batchStride
            for j in 0..<k {
                let dim = Int64(dataShape[b + j])
                var v = idx[t * k + j]
                if v < 0 { v += dim }
                guard v >= 0, v < dim else { throw bad("index \(idx[t * k + j]) is out of range for axis size \(dim)") }
                off += Int(v) * strides[b + j]
            }
            bases[t] = off
        }
        let shape = Array(indices.shape.dropLast()) + Array(dataShape[(b + k)...])
        return (SliceMap(bases: bases, sliceSize: sliceSize), shape)
    }
}
