import ONNX

/// Helpers shared by the tensor-manipulation ops (axes, index maps, padding values).
enum TensorSupport {
    /// `axis` in `[-rank, rank)` made non-negative, or an error naming the node.
    static func axis(_ axis: Int64, rank: Int, _ node: String, what: String = "axis") throws -> Int {
        let r = Int64(rank)
        guard axis >= -r, axis < r else {
            throw InterpreterError.invalidInput(node: node, message: "\(what) \(axis) is out of range for rank \(rank)")
        }
        return Int(axis < 0 ? axis + r : axis)
    }

    /// Several axes normalized; duplicates are an error.
    static func axes(_ axes: [Int64], rank: Int, _ node: String) throws -> [Int] {
        var out: [Int] = []
        for a in axes {
            let n = try axis(a, rank: rank, node, what: "axis")
            guard !out.contains(n) else { throw InterpreterError.invalidInput(node: node, message: "axis \(a) is repeated") }
            out.append(n)
        }
        return out
    }

    /// Product of dims with overflow and negativity checks.
    static func count(_ shape: [Int], _ node: String) throws -> Int {
        var n = 1
        for d in shape {
            guard d >= 0 else { throw InterpreterError.invalidInput(node: node, message: "negative dimension in \(shape)") }
            let (r, o) = n.multipliedReportingOverflow(by: d)
            guard !o, r <= 1 << 32 else { throw InterpreterError.invalidInput(node: node, message: "shape \(shape) is too large") }
            n = r
        }
        return n
    }

    /// Checks that each value's magnitude is at most `limit` (pads, steps, sizes), so that
    /// the arithmetic on them cannot overflow.
    static func bounded(_ v: [Int], _ what: String, _ node: String, limit: Int = 1 << 40) throws {
        for x in v where x > limit || x < -limit {
            throw InterpreterError.invalidInput(node: node, message: "\(what) value \(x) is out of range")
        }
    }

    /// For each element of the transposed tensor, the flat index of its source.
    static func transposeMap(shape: [Int], perm: [Int]) -> [Int] {
        let rank = shape.count
        let inStrides = TensorValue.strides(for: shape)
        let outShape = perm.map { shape[$0] }
        let n = shape.reduce(1, *)
        if n == 0 { return [] }
        // Strides of the source, in output axis order.
        let s = perm.map { inStrides[$0] }
        var out = [Int](repeating: 0, count: n)
        if rank == 0 { return out }
        var idx = [Int](repeating: 0, count: rank)
        var src = 0
        let last = rank - 1
        var k = 0
        while k < n {
            // Innermost loop unrolled over the last axis.
            let m = outShape[last], st = s[last]
            var p = src
            for _ in 0..<m { out[k] = p; p += st; k += 1 }
            var d = last - 1
            while d >= 0 {
                idx[d] += 1
                src += s[d]
                if idx[d] < outShape[d] { break }
                src -= s[d] * idx[d]
                idx[d] = 0
                d -= 1
            }
            if d < 0 { break }
        }
        return out
    }

    /// The tensor with its axes permuted.
    static func transposed(_ t: TensorValue, perm: [Int]) -> TensorValue {
        let outShape = perm.map { t.shape[$0] }
        if perm == Array(0..<perm.count) { return TensorValue(unchecked: t.dataType, shape: outShape, storage: t.storage) }
        return t.gathered(transposeMap(shape: t.shape, perm: perm), shape: outShape)
    }

    /// `t`'s elements followed by `extra`'s, in `t`'s storage case: `extra` is converted
    /// when its storage differs.
    static func appending(_ t: TensorValue, _ extra: TensorValue, _ node: String) throws -> TensorStorage {
        var e = extra
        if e.dataType != t.dataType { e = try convert(e, to: t.dataType, node) }
        guard let s = TensorStorage.concatenated([t.storage, e.storage]) else {
            throw InterpreterError.invalidInput(node: node, message: "cannot combine \(t.dataType) with \(extra.dataType) values")
        }
        return s
    }

    /// A tensor converted to another element type through the compute types.
    static func convert(_ t: TensorValue, to type: DataType, _ node: String) throws -> TensorValue {
        if t.dataType == type { return t }
        if type == .string {
            return TensorValue(unchecked: .string, shape: t.shape, storage: .string(try t.doubles().map { "\($0)" }))
        }
        switch t.storage {
        case .int64, .int32, .int16, .int8, .uint8, .uint16, .uint32, .uint64, .bool:
            if type == .float || type == .double || type == .float16 || type == .bfloat16 {
                return try .converting(try t.doubles(), to: type, shape: t.shape)
            }
            return try .converting(try t.int64s(), to: type, shape: t.shape)
        default:
            return try .converting(try t.doubles(), to: type, shape: t.shape)
        }
    }

    /// One element of `type` with the given value (zero for strings unless given).
    static func scalar(_ value: Double, type: DataType) throws -> TensorValue {
        if type == .string { return TensorValue(strings: [""], shape: [1]) }
        if value == 0 { return try TensorValue.zeros(type, shape: [1]) }
        return try .converting([value], to: type, shape: [1])
    }

    /// The flat source index of every element of a box whose per-axis source
    /// coordinates are `coords[d]` (negative: no source), with the source `strides`;
    /// elements without a source get `missing`.
    static func productMap(_ coords: [[Int]], strides: [Int], missing: Int) -> [Int] {
        var partial = [0]
        for (d, axis) in coords.enumerated() {
            let st = strides[d]
            var next = [Int]()
            next.reserveCapacity(partial.count * axis.count)
            for p in partial {
                if p < 0 {
                    for _ in 0..<axis.count { next.append(-1) }
                } else {
                    for c in axis { next.append(c < 0 ? -1 : p + c * st) }
                }
            }
            partial = next
        }
        if missing != -1 { for i in partial.indices where partial[i] < 0 { partial[i] = missing } }
        return partial
    }

    /// Row-major iteration helper: calls `body` with each multi-index of `shape`.
    static func forEachIndex(_ shape: [Int], _ body: ([Int]) throws -> Void) rethrows {
        let n = shape.reduce(1, *)
        if n == 0 { return }
        var idx = [Int](repeating: 0, count: shape.count)
        for _ in 0..<n {
            try body(idx)
            var d = shape.count - 1
            while d >= 0 {
                idx[d] += 1
                if idx[d] < shape[d] { break }
                idx[d] = 0
                d -= 1
            }
        }
    }

    /// Integer values of an optional 1-D (or scalar) tensor input.
    static func int64Values(_ t: TensorValue?) throws -> [Int64]? {
        guard let t else { return nil }
        return try t.int64s()
    }

    /// Number of outputs a node declares (counting omitted trailing ones as absent).
    static func outputCount(_ c: OpContext) -> Int {
        var n = c.node.output.count
        while n > 1, c.node.output[n - 1].isEmpty { n -= 1 }
        return n
    }

    /// The element-type family used for arithmetic (reductions, interpolation).
    enum NumericKind { case float, double, integer, bool }

    static func numericKind(_ t: DataType) -> NumericKind? {
        switch t {
        case .float, .float16, .bfloat16: return .float
        case .double: return .double
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .int4, .uint4, .int2, .uint2: return .integer
        case .bool: return .bool
        default: return nil
        }
    }
}
