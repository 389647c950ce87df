/// Relu: max(x, 0) (NaN stays NaN, as numpy's maximum does).
struct Relu: Operator {
    static let opType = "Relu"
    static let sinceVersions: [Int64] = [1, 6, 13, 14]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try Relu.apply(try context.tensor(inputs, 0), context))]
    }

    /// Relu of a tensor: float32 through a vector loop over a fresh array, the other
    /// types through the elementwise machinery.
    static func apply(_ t: TensorValue, _ context: RunContext) throws -> TensorValue {
        if case .float(let x) = t.storage {
            let n = x.count
            let y = [Float](unsafeUninitializedCapacity: n) { out, initialized in
                initialized = n
                guard let o = out.baseAddress else { return }
                x.withUnsafeBufferPointer { src in
                    guard let s = src.baseAddress else { return }
                    let body = { (r: Range<Int>) in
                        FusedActivation.relu(from: s + r.lowerBound, to: o + r.lowerBound, count: r.count)
                    }
                    if n >= Arithmetic.parallelThreshold {
                        Parallel.forChunks(n, minimumChunk: Arithmetic.parallelThreshold / 2, body)
                    } else {
                        body(0..<n)
                    }
                }
            }
            return TensorValue(floats: y, shape: t.shape)
        }
        return try Arithmetic.unary(t, context, float: { $0 < 0 ? 0 : $0 }, double: { $0 < 0 ? 0 : $0 },
                                    integer: { max($0, 0) }, unsigned: { $0 })
    }
}
