/// Split: cuts a tensor along an axis into parts given by `split` (attribute before
/// opset 13, input from 13; opset 1 also takes the input), by `num_outputs` (opset 18,
/// the last part may be smaller), or into equal parts, one per output.
struct Split: Operator {
    static let opType = "Split"
    static let sinceVersions: [Int64] = [1, 2, 11, 13, 18]
    let axis: Int64
    let splitAttribute: [Int64]?
    let numOutputs: Int64?
    let outputs: Int
    let version: Int64
    init(_ c: OpContext) throws {
        version = c.sinceVersion
        axis = try c.int("axis", default: 0)
        splitAttribute = c.sinceVersion < 13 ? try c.intsIfPresent("split") : nil
        numOutputs = c.sinceVersion >= 18 && c.has("num_outputs") ? try c.int("num_outputs") : nil
        outputs = c.node.output.count
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let a = try TensorSupport.axis(axis, rank: x.rank, context.nodeName)
        let dim = x.shape[a]
        var sizes: [Int]
        let splitInput = (version == 1 || version >= 13) ? try context.optionalTensor(inputs, 1)?.ints() : nil
        if let s = splitInput ?? splitAttribute?.map({ Int($0) }), !s.isEmpty {
            sizes = s
            guard sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == dim else {
                throw context.invalid("split \(sizes) does not add up to the axis size \(dim)")
            }
        } else {
            let n = Int(numOutputs ?? Int64(outputs))
            guard n > 0 else { throw context.invalid("cannot split into \(n) parts") }
            if numOutputs != nil {
                let chunk = (dim + n - 1) / n
                sizes = (0..<n).map { i in max(0, min(chunk, dim - i * chunk)) }
            } else {
                guard dim % n == 0 else { throw context.invalid("axis size \(dim) does not split evenly into \(n) outputs") }
                sizes = [Int](repeating: dim / n, count: n)
            }
        }
        guard sizes.count == outputs || outputs == 0 else {
            throw context.invalid("\(sizes.count) parts for \(outputs) outputs")
        }
        return try Split.pieces(x, axis: a, sizes: sizes).map { .tensor($0) }
    }

    /// The consecutive slices of `x` along `axis` with the given sizes.
    static func pieces(_ x: TensorValue, axis a: Int, sizes: [Int]) throws -> [TensorValue] {
        let outer = x.shape[..<a].reduce(1, *)
        let inner = x.shape[(a + 1)...].reduce(1, *)
        let dim = x.shape[a]
        var result: [TensorValue] = []
        var offset = 0
        for s in sizes {
            var shape = x.shape
            shape[a] = s
            var map: [Int] = []
            map.reserveCapacity(outer * s * inner)
            for o in 0..<outer {
                let base = (o * dim + offset) * inner
                for j in 0..<(s * inner) { map.append(base + j) }
            }
            result.append(x.gathered(map, shape: shape))
            offset += s
        }
        return result
    }
}
