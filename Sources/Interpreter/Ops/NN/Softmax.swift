/// Softmax: exp(x - max) / sum, along an axis (13) or over the 2-D coerced rows (1, 11).
struct Softmax: Operator {
    static let opType = "Softmax"
    static let sinceVersions: [Int64] = [1, 11, 13]
    let layout: SoftmaxLayout
    init(_ c: OpContext) throws { layout = try SoftmaxLayout(c) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { try layout.run(inputs, .softmax, context) }
}
