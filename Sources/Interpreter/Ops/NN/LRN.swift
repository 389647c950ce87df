import ONNX
#if canImport(Glibc)
import Glibc
#endif

/// LRN: x / (bias + alpha / size * sum of squares over a window of channels)^beta; the
/// window runs from c - floor((size-1)/2) to c + ceil((size-1)/2).
struct LRN: Operator {
    static let opType = "LRN"
    static let sinceVersions: [Int64] = [1, 13]
    let alpha: Double, beta: Double, bias: Double
    let size: Int

    init(_ c: OpContext) throws {
        alpha = Double(try c.float("alpha", default: 1e-4))
        beta = Double(try c.float("beta", default: 0.75))
        bias = Double(try c.float("bias", default: 1))
        size = Int(try c.int("size"))
        guard size >= 1 else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "size", message: "must be >= 1") }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard NN.isReal(x.dataType) else { throw InterpreterError.unsupportedType(x.dataType, context: "LRN") }
        guard x.rank >= 2 else { throw context.invalid("X must have rank >= 2") }
        let (n, c) = (x.shape[0], x.shape[1])
        let inner = x.count / max(1, n * c)
        let before = (size - 1) / 2, after = size - 1 - before
        let xv = try x.doubles()
        var y = [Double](repeating: 0, count: xv.count)
        for s in 0..<n {
            for ch in 0..<c {
                let lo = max(0, ch - before), hi = min(c - 1, ch + after)
                for i in 0..<inner {
                    var q = 0.0
                    for k in lo...max(lo, hi) where k <= hi { let v = xv[(s * c + k) * inner + i]; q += v * v }
                    let j = (s * c + ch) * inner + i
                    y[j] = xv[j] / Glibc.pow(bias + alpha / Double(size) * q, beta)
                }
            }
        }
        return [.tensor(try .converting(y, to: x.dataType, shape: x.shape))]
    }
}
