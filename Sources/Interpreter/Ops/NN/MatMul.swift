import ONNX

/// MatMul: numpy matmul (batched with broadcasting; 1-D operands get a dimension
/// prepended or appended, which the result then drops).
struct MatMul: ActivationFusable {
    static let opType = "MatMul"
    static let sinceVersions: [Int64] = [1, 9, 13]
    /// An Add of this product and a constant folded in when the graph was prepared (the
    /// constant is then input 2; `biasFirst` when it was the Add's first operand).
    private(set) var bias: Add?
    private(set) var biasFirst = false
    /// A Relu folded in after the product (and the bias).
    private(set) var activation: FusedActivation?

    init(_ c: OpContext) throws {}

    func fusing(bias add: Add, biasFirst: Bool) -> MatMul {
        var f = self
        f.bias = add
        f.biasFirst = biasFirst
        return f
    }

    func fusing(_ activation: FusedActivation) -> (any Operator)? {
        guard self.activation == nil else { return nil }
        var f = self
        f.activation = activation
        return f
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = try context.tensor(inputs, 0), b = try context.tensor(inputs, 1)
        guard a.dataType == b.dataType else { throw context.invalid("inputs have different element types (\(a.dataType) and \(b.dataType))") }
        var c: TensorValue? = nil
        if bias != nil { c = try context.tensor(inputs, 2) }
        // float32 with a bias of one value per output column (or none): the GEMM adds it
        // and clamps as it writes the product.
        if a.dataType == .float, case .float(let av) = a.storage, case .float(let bv) = b.storage, a.rank >= 2, b.rank >= 2 {
            let p = try BatchedMatMul.plan(a.shape, b.shape, context)
            var columnBias: [Float]? = nil
            if let c, let add = bias {
                if add.broadcastsLikeNumpy, case .float(let cv) = c.storage, c.count == p.n, c.shape.last == p.n,
                   c.rank <= p.outShape.count, c.shape.dropLast().allSatisfy({ $0 == 1 }) {
                    columnBias = cv
                }
            }
            if c == nil || columnBias != nil {
                let relu = activation == .relu
                let r: [Float]
                if let columnBias {
                    r = columnBias.withUnsafeBufferPointer {
                        BatchedMatMul.floats(av, bv, p, epilogue: FloatGemm.Epilogue(colBias: $0.baseAddress, relu: relu))
                    }
                } else {
                    r = BatchedMatMul.floats(av, bv, p, epilogue: FloatGemm.Epilogue(relu: relu))
                }
                return [.tensor(TensorValue(floats: r, shape: p.outShape))]
            }
        }
        var y = try BatchedMatMul.multiply(a, b, context)
        if let add = bias, let c {
            guard case .tensor(let sum)? = try add.run(biasFirst ? [.tensor(c), .tensor(y)] : [.tensor(y), .tensor(c)], context).first else {
                throw context.invalid("the folded Add gave no tensor")
            }
            y = sum
        }
        if let activation { y = try activation.apply(y, context) }
        return [.tensor(y)]
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
    /// The epilogue's bias pointers address column 0 (the same for every batch element).
    static func floats(_ a: [Float], _ b: [Float], _ p: Plan, epilogue: FloatGemm.Epilogue = FloatGemm.Epilogue()) -> [Float] {
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
                            b: .init(base: bbase, rowStride: p.n, colStride: 1), c: c, ldc: p.n, epilogue: epilogue)
                        return
                    }
                    let run = { (i: Int) in
                        FloatGemm.multiply(
                            m: p.m, n: p.n, k: p.k,
                            a: .init(base: abase + p.aIndex[i] * sizeA, rowStride: p.k, colStride: 1),
                            b: .init(base: bbase + p.bIndex[i] * sizeB, rowStride: p.n, colStride: 1),
                            c: c + i * sizeC, ldc: p.n, parallel: count == 1, epilogue: epilogue)
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
