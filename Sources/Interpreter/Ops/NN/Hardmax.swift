/// Hardmax: 1 at the first maximum, 0 elsewhere, along an axis (13) or 2-D rows (1, 11).
struct Hardmax: Operator {
    static let opType = "Hardmax"
    static let sinceVersions: [Int64] = [1, 11, 13]
    let layout: SoftmaxLayout
    init(_ c: OpContext) throws { layout = try SoftmaxLayout(c) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { try layout.run(inputs, .hardmax, context) }
}
