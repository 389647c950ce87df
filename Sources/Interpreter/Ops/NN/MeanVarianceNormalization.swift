import ONNX

/// MeanVarianceNormalization: (x - mean) / (sqrt(E[x^2] - mean^2) + 1e-9) over `axes`
/// (default 0, 2, 3), as the op's function body defines it.
struct MeanVarianceNormalization: Operator {
    static let opType = "MeanVarianceNormalization"
    static let sinceVersions: [Int64] = [9, 13]
    let axes: [Int64]

    init(_ c: OpContext) throws { axes = try c.ints("axes", default: [0, 2, 3]) }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard NN.isReal(x.dataType) else { throw InterpreterError.unsupportedType(x.dataType, context: "MeanVarianceNormalization") }
        var reduced = [Bool](repeating: false, count: x.rank)
        for a in axes { reduced[try NN.axis(a, rank: x.rank, context)] = true }
        let kept = (0..<x.rank).map { reduced[$0] ? 1 : x.shape[$0] }
        let keptCount = kept.reduce(1, *)
        let map = Broadcast.indexMap(from: kept, to: x.shape)
        let xv = try x.doubles()
        var sum = [Double](repeating: 0, count: keptCount), sq = sum
        for i in xv.indices { sum[map[i]] += xv[i]; sq[map[i]] += xv[i] * xv[i] }
        let per = Double(x.count / max(1, keptCount))
        let mean = sum.map { $0 / per }
        let std = (0..<keptCount).map { max(0, sq[$0] / per - mean[$0] * mean[$0]).squareRoot() + 1e-9 }
        var y = [Double](repeating: 0, count: xv.count)
        for i in xv.indices { y[i] = (xv[i] - mean[map[i]]) / std[map[i]] }
        return [.tensor(try .converting(y, to: x.dataType, shape: x.shape))]
    }
}
