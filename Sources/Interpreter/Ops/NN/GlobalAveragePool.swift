/// GlobalAveragePool: the mean of each plane.
struct GlobalAveragePool: Operator {
    static let opType = "GlobalAveragePool"
    static let sinceVersions: [Int64] = [1, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try GlobalPool.run(inputs, context) { s in s.isEmpty ? .nan : s.reduce(0, +) / Double(s.count) })]
    }
}
