import ONNX

/// Shared by ArgMax and ArgMin: the index of the first (or, with select_last_index
/// from 12, the last) extreme along `axis`, as int64.
struct ArgExtreme {
    let axis: Int64
    let keepDims: Bool
    let selectLast: Bool
    let maximum: Bool

    init(_ c: OpContext, maximum: Bool) throws {
        axis = try c.int("axis", default: 0)
        keepDims = try c.int("keepdims", default: 1) != 0
        selectLast = c.sinceVersion >= 12 ? try c.int("select_last_index", default: 0) != 0 : false
        self.maximum = maximum
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let a = try NN.axis(axis, rank: x.rank, context)
        let shape = x.rank == 0 ? [1] : x.shape
        let outer = NN.product(shape[..<a]), n = shape[a], inner = NN.product(shape[(a + 1)...])
        guard n > 0 || outer * inner == 0 else { throw context.invalid("cannot take the arg-extreme of an empty axis") }
        var outShape = shape
        if keepDims { outShape[a] = 1 } else { outShape.remove(at: a) }
        if x.rank == 0 { outShape = [] }
        var out = [Int64](repeating: 0, count: outer * inner)
        func scan<T: Comparable>(_ v: [T]) {
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * n * inner + i
                    var best = v[base], at = 0
                    for j in 1..<max(1, n) {
                        let e = v[base + j * inner]
                        let better = maximum ? (selectLast ? e >= best : e > best) : (selectLast ? e <= best : e < best)
                        if better { best = e; at = j }
                    }
                    out[o * inner + i] = Int64(at)
                }
            }
        }
        switch x.dataType {
        case .float, .float16, .bfloat16, .double: scan(try x.doubles())
        case .uint64:
            guard case .uint64(let u) = x.storage else { throw context.invalid("bad uint64 storage") }
            scan(u)
        default: scan(try x.int64s())
        }
        return [.tensor(TensorValue(int64s: out, shape: outShape))]
    }
}
