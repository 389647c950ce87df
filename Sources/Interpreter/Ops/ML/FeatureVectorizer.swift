import ONNX

/// FeatureVectorizer (ai.onnx.ml 1): concatenates its inputs column-wise into float32
/// [N, sum(inputdimensions)]; each input contributes inputdimensions[i] columns per
/// row, truncated or zero-padded.
struct FeatureVectorizer: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "FeatureVectorizer"
    static let sinceVersions: [Int64] = [1]

    let dims: [Int]

    init(_ c: OpContext) throws {
        let d = try c.ints("inputdimensions", default: [])
        guard d.allSatisfy({ $0 >= 0 && $0 < Int64(Int32.max) }) else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "inputdimensions", message: "has a negative value")
        }
        dims = d.map { Int($0) }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        guard inputs.count == dims.count else { throw context.invalid("\(inputs.count) inputs for \(dims.count) inputdimensions") }
        let first = try context.tensor(inputs, 0)
        let n = first.rank <= 1 ? 1 : first.shape[0]
        let total = dims.reduce(0, +)
        var y = [Float](repeating: 0, count: n * total)
        var offset = 0
        for (i, width) in dims.enumerated() {
            let t = try context.tensor(inputs, i)
            let size = t.rank <= 1 ? (t.rank == 0 ? 1 : t.shape[0]) : t.shape.dropFirst().reduce(1, *)
            let rows = min(n, t.rank <= 1 ? 1 : t.shape[0])
            let v = try t.floats()
            let take = min(size, width)
            for r in 0..<rows { for k in 0..<take { y[r * total + offset + k] = v[r * size + k] } }
            offset += width
        }
        return [.tensor(TensorValue(floats: y, shape: [n, total]))]
    }
}
