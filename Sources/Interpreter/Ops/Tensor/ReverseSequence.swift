/// ReverseSequence: for each batch entry, reverses the first sequence_lens[b] steps
/// along the time axis and leaves the rest.
struct ReverseSequence: Operator {
    static let opType = "ReverseSequence"
    static let sinceVersions: [Int64] = [10, 28]
    let batchAxis: Int64
    let timeAxis: Int64
    init(_ c: OpContext) throws {
        batchAxis = try c.int("batch_axis", default: 1)
        timeAxis = try c.int("time_axis", default: 0)
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let lens = try context.tensor(inputs, 1).ints()
        guard x.rank >= 2 else { throw context.invalid("input must have rank at least 2") }
        let ba = try TensorSupport.axis(batchAxis, rank: x.rank, context.nodeName)
        let ta = try TensorSupport.axis(timeAxis, rank: x.rank, context.nodeName)
        guard ba != ta else { throw context.invalid("batch_axis and time_axis are the same") }
        guard lens.count == x.shape[ba] else { throw context.invalid("sequence_lens has \(lens.count) entries for batch size \(x.shape[ba])") }
        let steps = x.shape[ta]
        for l in lens where l < 0 || l > steps { throw context.invalid("sequence length \(l) is out of range [0, \(steps)]") }
        let strides = x.strides
        var map = [Int](repeating: 0, count: x.count)
        var k = 0
        TensorSupport.forEachIndex(x.shape) { pos in
            let l = lens[pos[ba]]
            var src = 0
            for d in 0..<pos.count {
                var c = pos[d]
                if d == ta && c < l { c = l - 1 - c }
                src += c * strides[d]
            }
            map[k] = src
            k += 1
        }
        return [.tensor(x.gathered(map, shape: x.shape))]
    }
}
