import ONNX

/// ArrayFeatureExtractor (ai.onnx.ml 1): picks the columns Y (int64 indices into the
/// last axis) of X. A 1-D X gives [1, len(Y)] (onnxruntime's shape); otherwise the
/// last dimension becomes len(Y).
struct ArrayFeatureExtractor: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "ArrayFeatureExtractor"
    static let sinceVersions: [Int64] = [1]

    init(_ c: OpContext) throws {}

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let y = try context.tensor(inputs, 1).ints()
        guard x.rank >= 1 else { throw context.invalid("X needs at least one dimension") }
        let stride = x.shape[x.rank - 1]
        for (i, v) in y.enumerated() where v < 0 || v >= stride {
            throw context.invalid("index Y[\(i)] = \(v) is out of range for \(stride) columns")
        }
        let outer = x.rank == 1 ? 1 : x.shape.dropLast().reduce(1, *)
        var idx: [Int] = []
        idx.reserveCapacity(outer * y.count)
        for o in 0..<outer { for v in y { idx.append(o * stride + v) } }
        let shape = x.rank == 1 ? [1, y.count] : Array(x.shape.dropLast()) + [y.count]
        return [.tensor(x.gathered(idx, shape: shape))]
    }
}
