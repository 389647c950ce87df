import ONNX

/// MatMulInteger: (A - a_zero_point) x (B - b_zero_point) in int32, numpy matmul shapes.
/// a_zero_point is a scalar or one per row of A (M); b_zero_point a scalar or one per
/// column of B (N).
struct MatMulInteger: Operator {
    static let opType = "MatMulInteger"
    static let sinceVersions: [Int64] = [10]
    init(_ c: OpContext) throws {}

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = try context.tensor(inputs, 0), b = try context.tensor(inputs, 1)
        for t in [a, b] where t.dataType != .int8 && t.dataType != .uint8 {
            throw InterpreterError.unsupportedType(t.dataType, context: "MatMulInteger")
        }
        let p = try BatchedMatMul.plan(a.shape, b.shape, context)
        var av = try a.int64s(), bv = try b.int64s()
        if let za = try context.optionalTensor(inputs, 2) {
            let z = try za.int64s()
            let rowsA = av.count / max(1, p.k)
            if z.count == 1 {
                for i in av.indices { av[i] -= z[0] }
            } else if z.count == p.m, a.rank >= 2 {
                for r in 0..<rowsA { for q in 0..<p.k { av[r * p.k + q] -= z[r % p.m] } }
            } else if !(z.isEmpty && av.isEmpty) {
                throw context.invalid("a_zero_point has \(z.count) elements; expected 1 or \(p.m)")
            }
        }
        if let zb = try context.optionalTensor(inputs, 3) {
            let z = try zb.int64s()
            if z.count == 1 {
                for i in bv.indices { bv[i] -= z[0] }
            } else if z.count == p.n, b.rank >= 2 {
                for i in bv.indices { bv[i] -= z[i % p.n] }
            } else if !(z.isEmpty && bv.isEmpty) {
                throw context.invalid("b_zero_point has \(z.count) elements; expected 1 or \(p.n)")
            }
        }
        let r = BatchedMatMul.generic(av, bv, p, zero: 0, mul: { $0 &* $1 }, add: { $0 &+ $1 })
        return [.tensor(try .converting(r, to: .int32, shape: p.outShape))]
    }
}
