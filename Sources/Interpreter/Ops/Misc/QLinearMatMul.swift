import ONNX

/// QLinearMatMul: y = saturate(round((a - a_zp) x (b - b_zp) * a_scale * b_scale / y_scale)
/// + y_zp), numpy matmul shapes, int32 accumulation. Scales and zero points are per
/// tensor, or per row of `a` / per column of `b` (a vector of M / N elements, or a
/// tensor of shape [..., M, 1] / [..., 1, N]); y's are per tensor or per row. As in the
/// reference, the multiplier a_scale * b_scale / y_scale is computed in the scales'
/// type and applied in double precision. Versions 10 and 21 (which adds float16 and
/// bfloat16 scales) share this implementation; float8 operands are not supported.
struct QLinearMatMul: Operator {
    static let opType = "QLinearMatMul"
    static let sinceVersions: [Int64] = [10, 21]
    init(_ c: OpContext) throws {}

    /// How a per-tensor / per-row / per-column parameter is indexed.
    private struct Param {
        let values: [Double]
        /// Parameter index for (batch element of the operand, row or column).
        let index: (Int, Int) -> Int
    }

    /// Resolves a scale or zero point of an operand whose matrices have `lines` rows
    /// (per row) or columns (per column); `batchCount` is the operand's batch count.
    private static func param(_ t: TensorValue, lines: Int, batchCount: Int, perColumn: Bool, what: String, _ context: RunContext) throws -> Param {
        let v = try t.doubles()
        if v.count == 1 { return Param(values: v, index: { _, _ in 0 }) }
        if t.rank <= 1, v.count == lines { return Param(values: v, index: { _, l in l }) }
        if t.rank >= 2 {
            let last2 = Array(t.shape.suffix(2))
            let want = perColumn ? [1, lines] : [lines, 1]
            let lead = v.count / max(1, lines)
            if last2 == want, lead == batchCount || lead == 1 {
                return Param(values: v, index: { b, l in (lead == 1 ? 0 : b) * lines + l })
            }
        }
        throw context.invalid("\(what) has shape \(t.shape); expected a scalar, \(lines) values or a per-\(perColumn ? "column" : "row") tensor")
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = try context.tensor(inputs, 0), b = try context.tensor(inputs, 3)
        try QuantizedSupport.requireInt8(a, "a", context)
        try QuantizedSupport.requireInt8(b, "b", context)
        let aScale = try context.tensor(inputs, 1), bScale = try context.tensor(inputs, 4), yScale = try context.tensor(inputs, 6)
        for (t, n) in [(aScale, "a_scale"), (bScale, "b_scale"), (yScale, "y_scale")] { try QuantizedSupport.requireScale(t, n, context) }
        let aZero = try context.optionalTensor(inputs, 2), bZero = try context.optionalTensor(inputs, 5), yZero = try context.optionalTensor(inputs, 7)
        let outType = yZero?.dataType ?? a.dataType
        guard let range = QuantizedSupport.range(outType) else { throw InterpreterError.unsupportedType(outType, context: "\(context.nodeName) y_zero_point") }

        let p = try QuantizedKernels.matMulPlan(a.shape, b.shape, context)
        let (m, k, n) = (p.m, p.k, p.n)
        let aBatches = p.aBatches, bBatches = p.bBatches, outBatches = p.outBatches
        let pas = try Self.param(aScale, lines: m, batchCount: aBatches, perColumn: false, what: "a_scale", context)
        let pbs = try Self.param(bScale, lines: n, batchCount: bBatches, perColumn: true, what: "b_scale", context)
        let pys = try Self.param(yScale, lines: m, batchCount: outBatches, perColumn: false, what: "y_scale", context)
        let paz = try aZero.map { try Self.param($0, lines: m, batchCount: aBatches, perColumn: false, what: "a_zero_point", context) }
        let pbz = try bZero.map { try Self.param($0, lines: n, batchCount: bBatches, perColumn: true, what: "b_zero_point", context) }
        let pyz = try yZero.map { try Self.param($0, lines: m, batchCount: outBatches, perColumn: false, what: "y_zero_point", context) }

        var av = try a.int64s(), bv = try b.int64s()
        if let paz {
            for bi in 0..<aBatches { for r in 0..<m { let z = Int64(paz.values[paz.index(bi, r)]); for q in 0..<k { av[(bi * m + r) * k + q] -= z } } }
        }
        if let pbz {
            for bi in 0..<bBatches { for r in 0..<k { for c in 0..<n { bv[(bi * k + r) * n + c] -= Int64(pbz.values[pbz.index(bi, c)]) } } }
        }
        let acc = QuantizedKernels.matMul(av.map { Int32(truncatingIfNeeded: $0) }, bv.map { Int32(truncatingIfNeeded: $0) }, p)
        let st = aScale.dataType
        var y = [Int64](repeating: 0, count: acc.count)
        for ob in 0..<outBatches {
            let ab = p.aIndex[ob], bb = p.bIndex[ob]
            for r in 0..<m {
                let sa = Float(pas.values[pas.index(ab, r)])
                let sy = Float(pys.values[pys.index(ob, r)])
                let zy = pyz.map { $0.values[$0.index(ob, r)] } ?? 0
                for c in 0..<n {
                    let sb = Float(pbs.values[pbs.index(bb, c)])
                    let mult = QuantizedSupport.round(QuantizedSupport.round(sa * sb, to: st) / sy, to: st)
                    let i = (ob * m + r) * n + c
                    y[i] = QuantizedSupport.saturate(Double(acc[i]) * Double(mult) + zy, range)
                }
            }
        }
        return [.tensor(try .converting(y, to: outType, shape: p.outShape))]
    }
}
