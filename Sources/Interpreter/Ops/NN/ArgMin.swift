/// ArgMin: index of the minimum along an axis.
struct ArgMin: Operator {
    static let opType = "ArgMin"
    static let sinceVersions: [Int64] = [1, 11, 12, 13]
    let impl: ArgExtreme
    init(_ c: OpContext) throws { impl = try ArgExtreme(c, maximum: false) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { try impl.run(inputs, context) }
}
