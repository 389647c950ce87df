/// GlobalMaxPool: the maximum of each plane.
struct GlobalMaxPool: Operator {
    static let opType = "GlobalMaxPool"
    static let sinceVersions: [Int64] = [1, 22]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try GlobalPool.run(inputs, context) { s in
            var m = -Double.infinity
            for v in s where v > m || v.isNaN { m = v; if v.isNaN { break } }
            return m
        })]
    }
}
