import ONNX

/// Det: the determinant of each square matrix in the last two axes of X [*, M, M]
/// (LU decomposition with partial pivoting, in double precision).
struct Det: Operator {
    static let opType = "Det"
    static let sinceVersions: [Int64] = [11, 22]
    init(_ c: OpContext) throws {}

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        try MiscSupport.requireReal(x, "X", context)
        guard x.rank >= 2, x.shape[x.rank - 1] == x.shape[x.rank - 2] else {
            throw context.invalid("X must hold square matrices in its last two axes (shape \(x.shape))")
        }
        let m = x.shape[x.rank - 1]
        let outShape = Array(x.shape.dropLast(2))
        let batches = outShape.reduce(1, *)
        let v = try x.doubles()
        var out = [Double](repeating: 0, count: batches)
        var a = [Double](repeating: 0, count: m * m)
        for b in 0..<batches {
            for i in 0..<(m * m) { a[i] = v[b * m * m + i] }
            out[b] = Self.determinant(&a, m)
        }
        return [.tensor(try MiscSupport.real(out, x.dataType, shape: outShape))]
    }

    /// The determinant of the m x m row-major matrix `a` (overwritten).
    static func determinant(_ a: inout [Double], _ m: Int) -> Double {
        var det = 1.0
        for col in 0..<m {
            var pivot = col
            var best = abs(a[col * m + col])
            for r in (col + 1)..<max(m, col + 1) where abs(a[r * m + col]) > best {
                best = abs(a[r * m + col])
                pivot = r
            }
            if a[pivot * m + col] == 0 { return 0 }
            if pivot != col {
                for j in 0..<m { a.swapAt(col * m + j, pivot * m + j) }
                det = -det
            }
            let d = a[col * m + col]
            det *= d
            for r in (col + 1)..<max(m, col + 1) {
                let f = a[r * m + col] / d
                if f == 0 { continue }
                for j in col..<m { a[r * m + j] -= f * a[col * m + j] }
            }
        }
        return det
    }
}
