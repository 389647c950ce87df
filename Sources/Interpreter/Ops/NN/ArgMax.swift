/// ArgMax: index of the maximum along an axis.
struct ArgMax: Operator {
    static let opType = "ArgMax"
    static let sinceVersions: [Int64] = [1, 11, 12, 13]
    let impl: ArgExtreme
    init(_ c: OpContext) throws { impl = try ArgExtreme(c, maximum: true) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] { try impl.run(inputs, context) }
}
