import ONNX

/// Binarizer (ai.onnx.ml 1): 1 where x > threshold, else 0 (NaN gives 0; onnxruntime
/// rejects NaN inputs), in the input's type.
struct Binarizer: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "Binarizer"
    static let sinceVersions: [Int64] = [1]

    let threshold: Float

    init(_ c: OpContext) throws { threshold = try c.float("threshold", default: 0) }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        if case .float(let a) = x.storage {
            let t = threshold
            return [.tensor(TensorValue(floats: a.map { $0 > t ? 1 : 0 }, shape: x.shape))]
        }
        let t = Double(threshold)
        let y = try x.doubles().map { $0 > t ? 1.0 : 0.0 }
        return [.tensor(try TensorValue.converting(y, to: x.dataType, shape: x.shape))]
    }
}
