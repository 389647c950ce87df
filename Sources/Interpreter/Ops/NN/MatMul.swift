import ONNX

/// MatMul: numpy matmul (batched with broadcasting; 1-D operands get a dimension
/// prepended or appended, which the result then drops).
struct MatMul: Operator {
    static let opType = "MatMul"
    static let sinceVersions: [Int64] = [1, 9, 13]
    init(_ c: OpContext) throws {}

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = try context.tensor(inputs, 0), b = try context.tensor(inputs, 1)
        guard a.dataType == b.dataType else { throw context.invalid("inputs have different element types (\(a.dataType) and \(b.dataType))") }
        return [.tensor(try BatchedMatMul.multiply(a, b, context))]
    }
}

/// The shapes of a numpy-style matmul and the products over the broadcast batch.
enum BatchedMatMul {
    struct Plan {
        let m: Int, k: Int, n: Int
        let batch: [Int]
        /// Per batch element, the matrix offsets into A and B (in matrices).
        let aIndex: [Int], bIndex: [Int]
        let outShape: [Int]
    }

    static func plan(_ sa: [Int], _ sb: [Int], _ context: RunContext) throws -> Plan {
        guard !sa.isEmpty, !sb.isEmpty else { throw context.invalid("MatMul operands must have rank >= 1") }
        var sa2 = sa, sb2 = sb
        if sa.count == 1 { sa2 = [1, sa[0]] }
        if sb.count == 1 { sb2 = [sb[0], 1] }
        let m = sa2[sa2.count - 2], k = sa2[sa2.count - 1]
        let k2 = sb2[sb2.count - 2], n = sb2[sb2.count - 1]
        guard k == k2 else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "MatMul inner dimensions differ: \(sa) x \(sb)")
        }
        let ba = Array(sa2.dropLast(2)), bb = Array(sb2.dropLast(2))
        guard let batch = Broadcast.shape([ba, bb]) else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "MatMul batch dimensions \(ba) and \(bb) do not broadcast")
        }
        let aIndex = Broadcast.indexMap(from: ba, to: batch)
        let bIndex = Broadcast.indexMap(from: bb, to: batch)
        var out = batch
        if sa.count > 1 { out.append(m) }
        if sb.count > 1 { out.append(n) }
        return Plan(m: m, k: k, n: n, batch: batch, aIndex: aIndex, bIndex: bIndex, outShape: out)
    }

    static func multiply(_ a: TensorValue, _ b: TensorValue, _ context: RunContext) throws -> TensorValue {
        let p = try plan(a.shape, b.shape, context)
        switch a.dataType {
        case .float, .float16, .bfloat16:
            let r = floats(try a.floats(), try b.floats(), p)
            return a.dataType == .float ? TensorValue(floats: r, shape: p.outShape) : try .converting(r, to: a.dataType, shape: p.outShape)
        case .double:
            return TensorValue(doubles: generic(try a.doubles(), try b.doubles(), p, zero: 0, mul: *, add: +), shape: p.outShape)
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
            let r = generic(try a.int64s(), try b.int64s(), p, zero: 0, mul: { $0 &* $1 }, add: { $0 &+ $1 })
            return try .converting(r, to: a.dataType, shape: p.outShape)
        default:
            throw InterpreterError.unsupportedType(a.dataType, context: "MatMul")
        }
    }

    /// Float32 product through the blocked kernel.
    static func floats(_ a: [Float], _ b: [Float], _ p: Plan) -> [Float] {
        let count = p.batch.reduce(1, *)
        let total = count * p.m * p.n
        if total == 0 { return [] }
        let sizeA = p.m * p.k, sizeB = p.k * p.n, sizeC = p.m * p.n
        // Every path of FloatGemm.multiply stores all of C (accumulate is off), so the
        // result starts uninitialized.
        return [Float](unsafeUninitializedCapacity: total) { cp, initialized in
            initialized = total
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    guard let c = cp.baseAddress else { return }
                    let abase = ap.baseAddress ?? UnsafePointer(c), bbase = bp.baseAddress ?? UnsafePointer(c)
                    // B shared by every batch element and A laid out contiguously: one big product.
                    if count > 1, p.bIndex.allSatisfy({ $0 == 0 }), p.aIndex == Array(0..<count) {
                        FloatGemm.multiply(
                            m: count * p.m, n: p.n, k: p.k,
                            a: .init(base: abase, rowStride: p.k, colStride: 1),
                            b: .init(base: bbase, rowStride: p.n, colStride: 1), c: c, ldc: p.n)
                        return
                    }
                    let run = { (i: Int) in
                        FloatGemm.multiply(
                            m: p.m, n: p.n, k: p.k,
                            a: .init(base: abase + p.aIndex[i] * sizeA, rowStride: p.k, colStride: 1),
                            b: .init(base: bbase + p.bIndex[i] * sizeB, rowStride: p.n, colStride: 1),
                            c: c + i * sizeC, ldc: p.n, parallel: count == 1)
                    }
                    if count > 1 && 2 * p.m * p.n * p.k * count > 1_000_000 {
                        Parallel.forChunks(count, minimumChunk: max(1, 200_000 / max(1, p.m * p.n * p.k))) { r in
                            for i in r { run(i) }
                        }
                    } else {
                        for i in 0..<count { run(i) }
                    }
                }
            }
        }
    }

    /// Reference product for the other element types.
    static func generic<T>(_ a: [T], _ b: [T], _ p: Plan, zero: T, mul: (T, T) -> T, add: (T, T) -> T) -> [T] {
        let count = p.batch.reduce(1, *)
        var out = [T](repeating: zero, count: count * p.m * p.n)
        let sizeA = p.m * p.k, sizeB = p.k * p.n, sizeC = p.m * p.n
        for bi in 0..<count {
            let ao = p.aIndex[bi] * sizeA, bo = p.bIndex[bi] * sizeB, co = bi * sizeC
            for i in 0..<p.m {
                for q in 0..<p.k {
                    let av = a[ao + i * p.k + q]
                    let brow = bo + q * p.n
                    for j in 0..<p.n { out[co + i * p.n + j] = add(out[co + i * p.n + j], mul(av, b[brow + j])) }
                }
            }
        }
        return out
    }
}
