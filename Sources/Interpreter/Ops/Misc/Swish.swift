import ONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Swish: x * sigmoid(alpha * x).
struct Swish: Operator {
    static let opType = "Swish"
    static let sinceVersions: [Int64] = [24]
    let alpha: Float
    init(_ c: OpContext) throws { alpha = try c.float("alpha", default: 1) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        try MiscSupport.requireReal(x, "X", context)
        let a = alpha
        if x.dataType == .double {
            let ad = Double(a)
            return [.tensor(TensorValue(doubles: try x.doubles().map { $0 / (1 + exp(-ad * $0)) }, shape: x.shape))]
        }
        return [.tensor(try MiscSupport.real(try x.floats().map { $0 / (1 + expf(-a * $0)) }, x.dataType, shape: x.shape))]
    }
}
