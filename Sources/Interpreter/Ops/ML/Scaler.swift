import ONNX

/// Scaler (ai.onnx.ml 1): Y = (X - offset) * scale, offset and scale given once or per
/// column (the last axis of a [N, C] input); float64 inputs compute in float64.
/// Output float32.
struct Scaler: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "Scaler"
    static let sinceVersions: [Int64] = [1]

    let offset: [Float]
    let scale: [Float]

    init(_ c: OpContext) throws {
        offset = try c.floats("offset", default: [])
        scale = try c.floats("scale", default: [])
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.rank >= 1 else { throw context.invalid("the input needs at least one dimension") }
        let stride = x.rank == 1 ? x.shape[0] : x.shape[1]
        func pick(_ a: [Float], _ name: String, default d: Float) throws -> (Int) -> Float {
            if a.isEmpty { return { _ in d } }
            if a.count == 1 { let v = a[0]; return { _ in v } }
            guard a.count == stride, stride > 0 else { throw context.invalid("\(name) has \(a.count) values; the input has \(stride) columns") }
            return { a[$0 % stride] }
        }
        let off = try pick(offset, "offset", default: 0)
        let sc = try pick(scale, "scale", default: 1)
        let y: [Float]
        if x.dataType == .double {
            let v = try x.doubles()
            y = v.indices.map { Float((v[$0] - Double(off($0))) * Double(sc($0))) }
        } else {
            let v = try x.floats()
            y = v.indices.map { (v[$0] - off($0)) * sc($0) }
        }
        return [.tensor(TensorValue(floats: y, shape: x.shape))]
    }
}
