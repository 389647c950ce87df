import ONNX

/// Unique: the distinct elements (or slices along `axis`), sorted or in order of first
/// occurrence, with the first-occurrence indices, the inverse indices and the counts.
struct Unique: Operator {
    static let opType = "Unique"
    static let sinceVersions: [Int64] = [11, 28]
    let axis: Int64?
    let sorted: Bool
    init(_ c: OpContext) throws {
        axis = c.has("axis") ? try c.int("axis") : nil
        sorted = try c.int("sorted", default: 1) != 0
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        var x = try context.tensor(inputs, 0)
        let a: Int
        if let axis {
            a = try TensorSupport.axis(axis, rank: x.rank, context.nodeName)
        } else {
            x = try x.reshaped([x.count])
            a = 0
        }
        let ranks = try Unique.ranks(x)
        let dim = x.shape[a]
        let outer = x.shape[..<a].reduce(1, *)
        let inner = x.shape[(a + 1)...].reduce(1, *)
        // The key of slice j: its elements' ranks in row-major order.
        var keys = [[Int]](repeating: [], count: dim)
        for j in 0..<dim {
            var key: [Int] = []
            key.reserveCapacity(outer * inner)
            for o in 0..<outer { for i in 0..<inner { key.append(ranks[(o * dim + j) * inner + i]) } }
            keys[j] = key
        }
        var firstOf: [[Int]: Int] = [:]
        var order: [Int] = []  // first-occurrence slice index of each distinct key
        for j in 0..<dim where firstOf[keys[j]] == nil {
            firstOf[keys[j]] = j
            order.append(j)
        }
        if sorted {
            order.sort { keys[$0].lexicographicallyPrecedes(keys[$1]) }
        }
        var position: [[Int]: Int] = [:]
        for (p, j) in order.enumerated() { position[keys[j]] = p }
        var counts = [Int64](repeating: 0, count: order.count)
        var inverse = [Int64](repeating: 0, count: dim)
        for j in 0..<dim {
            let p = position[keys[j]] ?? 0
            inverse[j] = Int64(p)
            counts[p] += 1
        }
        var map: [Int] = []
        map.reserveCapacity(outer * order.count * inner)
        for o in 0..<outer {
            for j in order {
                let base = (o * dim + j) * inner
                for i in 0..<inner { map.append(base + i) }
            }
        }
        var shape = x.shape
        shape[a] = order.count
        let n = order.count
        return [
            .tensor(x.gathered(map, shape: shape)),
            .tensor(TensorValue(int64s: order.map { Int64($0) }, shape: [n])),
            .tensor(TensorValue(int64s: inverse, shape: [dim])),
            .tensor(TensorValue(int64s: counts, shape: [n])),
        ]
    }

    /// For each element, its rank among the distinct values (equal values, equal ranks;
    /// NaNs rank together after every number).
    static func ranks(_ x: TensorValue) throws -> [Int] {
        func dense<T: Comparable & Hashable>(_ a: [T]) -> [Int] {
            let distinct = Array(Set(a)).sorted()
            var rank: [T: Int] = [:]
            for (i, v) in distinct.enumerated() { rank[v] = i }
            return a.map { rank[$0] ?? 0 }
        }
        switch x.storage {
        case .string(let s): return dense(s)
        case .uint64(let u): return dense(u)
        case .double, .float, .float16, .bfloat16, .bits8:
            let d = try x.doubles()
            let r = dense(d.filter { !$0.isNaN })
            let nanRank = Set(r).count
            var k = 0
            return d.map { v in
                if v.isNaN { return nanRank }
                defer { k += 1 }
                return r[k]
            }
        case .complex64, .complex128:
            throw InterpreterError.unsupportedType(x.dataType, context: "Unique")
        default:
            return dense(try x.int64s())
        }
    }
}
