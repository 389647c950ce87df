import ONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SwiGLU: Y = Swish_alpha(A) * B = A * sigmoid(alpha * A) * B. A and B must have the
/// same shape (no broadcasting).
struct SwiGLU: Operator {
    static let opType = "SwiGLU"
    static let sinceVersions: [Int64] = [28]
    let alpha: Float
    init(_ c: OpContext) throws { alpha = try c.float("alpha", default: 1) }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = try context.tensor(inputs, 0), b = try context.tensor(inputs, 1)
        try MiscSupport.requireReal(a, "A", context)
        guard a.dataType == b.dataType else {
            throw context.invalid("A is \(a.dataType) but B is \(b.dataType)")
        }
        guard a.shape == b.shape else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "A \(a.shape) and B \(b.shape) must have the same shape")
        }
        if a.dataType == .double {
            let av = try a.doubles(), bv = try b.doubles(), al = Double(alpha)
            var y = [Double](repeating: 0, count: av.count)
            for i in av.indices { y[i] = av[i] / (1 + exp(-al * av[i])) * bv[i] }
            return [.tensor(TensorValue(doubles: y, shape: a.shape))]
        }
        let av = try a.floats(), bv = try b.floats(), al = alpha
        var y = [Float](repeating: 0, count: av.count)
        if a.dataType == .float {
            for i in av.indices { y[i] = av[i] / (1 + expf(-al * av[i])) * bv[i] }
        } else {
            // Narrow floats: the function body rounds after Swish and after Mul.
            let narrow = try TensorValue.converting(av.indices.map { av[$0] / (1 + expf(-al * av[$0])) }, to: a.dataType, shape: a.shape).floats()
            for i in av.indices { y[i] = narrow[i] * bv[i] }
        }
        return [.tensor(try MiscSupport.real(y, a.dataType, shape: a.shape))]
    }
}
