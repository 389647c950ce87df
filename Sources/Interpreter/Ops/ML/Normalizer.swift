import ONNX

/// Normalizer (ai.onnx.ml 1): divides each row (axis 1; for rank > 2 each fibre along
/// axis 1) by its max (MAX), sum of absolute values (L1) or Euclidean norm (L2), in
/// float32 as onnxruntime does; a zero norm leaves the row unchanged. Output float32.
struct Normalizer: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "Normalizer"
    static let sinceVersions: [Int64] = [1]

    enum Norm { case max, l1, l2 }
    let norm: Norm

    init(_ c: OpContext) throws {
        switch try c.string("norm", default: "MAX") {
        case "MAX": norm = .max
        case "L1": norm = .l1
        case "L2": norm = .l2
        case let s: throw InterpreterError.badAttribute(node: c.nodeName, attribute: "norm", message: "'\(s)' is not one of MAX, L1, L2")
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.rank >= 1 else { throw context.invalid("the input needs at least one dimension") }
        let count = x.count
        let stride = x.rank == 1 ? x.shape[0] : x.shape[1]
        let inner = x.rank > 1 ? x.shape.dropFirst(2).reduce(1, *) : 1
        var out = [Float](repeating: 0, count: count)
        guard stride > 0, count > 0 else { return [.tensor(TensorValue(floats: out, shape: x.shape))] }
        let loops = count / stride
        // Squares in the input's own type (float64 stays float64 until the cast).
        let isDouble = x.dataType == .double
        let d = isDouble ? try x.doubles() : []
        let v = try x.floats()
        for n in 0..<loops {
            let offset = (n % inner) + (n / inner) * (stride * inner)
            switch norm {
            case .max:
                var m = -Float.greatestFiniteMagnitude
                for s in 0..<stride { m = Swift.max(m, v[offset + s * inner]) }
                for s in 0..<stride { let i = offset + s * inner; out[i] = m != 0 ? v[i] / m : v[i] }
            case .l1:
                var sum: Float = 0
                for s in 0..<stride { sum += abs(v[offset + s * inner]) }
                for s in 0..<stride { let i = offset + s * inner; out[i] = sum != 0 ? v[i] / sum : v[i] }
            case .l2:
                var sum: Float = 0
                for s in 0..<stride {
                    let i = offset + s * inner
                    let sq = isDouble ? Float(d[i] * d[i]) : v[i] * v[i]
                    out[i] = sq
                    sum += sq
                }
                for s in 0..<stride {
                    let i = offset + s * inner
                    if sum != 0 {
                        let r = (out[i] / sum).squareRoot()
                        out[i] = v[i] < 0 ? -r : r
                    } else {
                        out[i] = v[i]
                    }
                }
            }
        }
        return [.tensor(TensorValue(floats: out, shape: x.shape))]
    }
}
