/// Trilu: keeps the upper (j - i >= k) or lower (j - i <= k) triangle of the last two
/// axes and zeroes the rest.
struct Trilu: Operator {
    static let opType = "Trilu"
    static let sinceVersions: [Int64] = [14]
    let upper: Bool
    init(_ c: OpContext) throws { upper = try c.int("upper", default: 1) != 0 }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.rank >= 2 else { throw context.invalid("input must have rank at least 2") }
        let kv = try context.optionalTensor(inputs, 1)?.int64s().first ?? 0
        let k = Int(max(min(kv, 1 << 40), -(1 << 40)))
        let rows = x.shape[x.rank - 2], cols = x.shape[x.rank - 1]
        let zero = x.count
        var map = Array(0..<x.count)
        let plane = rows * cols
        if plane > 0 {
            for b in 0..<(x.count / plane) {
                for i in 0..<rows {
                    for j in 0..<cols {
                        let keep = upper ? j - i >= k : j - i <= k
                        if !keep { map[b * plane + i * cols + j] = zero }
                    }
                }
            }
        }
        let storage = try TensorSupport.appending(x, try TensorSupport.scalar(0, type: x.dataType), context.nodeName)
        return [.tensor(TensorValue(unchecked: x.dataType, shape: x.shape, storage: storage.rearranged { _ in map }))]
    }
}
