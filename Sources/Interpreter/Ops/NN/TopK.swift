import ONNX

/// TopK: the k largest (or, from 11, smallest) elements along an axis with their
/// indices; equal values keep index order. k is an attribute at version 1, an input
/// after. The result is always sorted (also allowed when sorted = 0).
struct TopK: Operator {
    static let opType = "TopK"
    static let sinceVersions: [Int64] = [1, 10, 11, 24]
    let axis: Int64
    let kAttribute: Int64?
    let largest: Bool

    init(_ c: OpContext) throws {
        axis = try c.int("axis", default: -1)
        kAttribute = c.sinceVersion < 10 ? try c.int("k") : nil
        largest = c.sinceVersion >= 11 ? try c.int("largest", default: 1) != 0 : true
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.rank >= 1 else { throw context.invalid("TopK needs an input of rank >= 1") }
        let k: Int
        if let kAttribute { k = Int(kAttribute) } else {
            let kv = try context.tensor(inputs, 1).int64s()
            guard kv.count == 1 else { throw context.invalid("K must have one element, has \(kv.count)") }
            k = Int(kv[0])
        }
        let a = try NN.axis(axis, rank: x.rank, context)
        let n = x.shape[a]
        guard k >= 0, k <= n else { throw context.invalid("k = \(k) is outside 0...\(n)") }
        let outer = NN.product(x.shape[..<a]), inner = NN.product(x.shape[(a + 1)...])
        var outShape = x.shape
        outShape[a] = k
        var flat = [Int](repeating: 0, count: outer * k * inner)
        var idx = [Int64](repeating: 0, count: flat.count)
        func select<T: Comparable>(_ v: [T], nan: (T) -> Bool) {
            var order = [Int](repeating: 0, count: n)
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * n * inner + i
                    for j in 0..<n { order[j] = j }
                    let before: (Int, Int) -> Bool = { p, q in
                        let vp = v[base + p * inner], vq = v[base + q * inner]
                        // NaN counts as the largest value.
                        let np = nan(vp), nq = nan(vq)
                        if np || nq {
                            if np && nq { return p < q }
                            return largest ? np : nq
                        }
                        if vp != vq { return largest ? vp > vq : vp < vq }
                        return p < q
                    }
                    order.sort(by: before)
                    for j in 0..<k {
                        let dst = (o * k + j) * inner + i
                        flat[dst] = base + order[j] * inner
                        idx[dst] = Int64(order[j])
                    }
                }
            }
        }
        switch x.dataType {
        case .float, .float16, .bfloat16, .double: select(try x.doubles(), nan: { $0.isNaN })
        case .uint64:
            guard case .uint64(let u) = x.storage else { throw context.invalid("bad uint64 storage") }
            select(u, nan: { _ in false })
        case .string, .complex64, .complex128: throw InterpreterError.unsupportedType(x.dataType, context: "TopK")
        default: select(try x.int64s(), nan: { _ in false })
        }
        return [.tensor(x.gathered(flat, shape: outShape)), .tensor(TensorValue(int64s: idx, shape: outShape))]
    }
}
