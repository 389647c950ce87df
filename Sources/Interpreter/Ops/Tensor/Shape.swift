/// Shape: the input's dims as a 1-D int64 tensor; from opset 15 the [start, end) slice
/// of them (negative values count from the end, both clamped).
struct Shape: Operator {
    static let opType = "Shape"
    static let sinceVersions: [Int64] = [1, 13, 15, 19, 21, 23, 24, 25]
    let start: Int64
    let end: Int64?
    init(_ c: OpContext) throws {
        if c.sinceVersion >= 15 {
            start = try c.int("start", default: 0)
            end = c.has("end") ? try c.int("end") : nil
        } else {
            start = 0
            end = nil
        }
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let r = Int64(x.rank)
        func clamp(_ v: Int64) -> Int { Int(min(max(v < 0 ? v + r : v, 0), r)) }
        let s = clamp(start), e = clamp(end ?? r)
        let dims = s < e ? x.shape[s..<e].map { Int64($0) } : []
        return [.tensor(TensorValue(int64s: dims, shape: [dims.count]))]
    }
}
