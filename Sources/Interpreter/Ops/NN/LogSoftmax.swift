/// LogSoftmax: x - max - log(sum(exp(x - max))), along an axis (13) or 2-D rows (1, 11).
struct LogSoftmax: Operator {
    static let opType = "LogSoftmax"
    static let sinceVersions: [Int64] = [1, 11, 13]
    let layout: SoftmaxLayout
    init(_ c: OpContext) throws { layout = try SoftmaxLayout(c) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { try layout.run(inputs, .logSoftmax, context) }
}
