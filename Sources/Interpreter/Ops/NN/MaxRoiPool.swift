import ONNX

/// MaxRoiPool: for each region (batch index, x1, y1, x2, y2 scaled by spatial_scale and
/// rounded), the maximum over each cell of a pooled_shape grid; empty cells give 0.
struct MaxRoiPool: Operator {
    static let opType = "MaxRoiPool"
    static let sinceVersions: [Int64] = [1, 22]
    let pooled: [Int]
    let scale: Double

    init(_ c: OpContext) throws {
        pooled = try c.ints("pooled_shape").map { Int($0) }
        scale = Double(try c.float("spatial_scale", default: 1))
        guard pooled.count == 2, pooled.allSatisfy({ $0 >= 1 }) else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "pooled_shape", message: "expected two positive values")
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), rois = try context.tensor(inputs, 1)
        guard x.rank == 4 else { throw context.invalid("X must be 4-D, got \(x.shape)") }
        guard rois.rank == 2, rois.shape[1] == 5 else { throw context.invalid("rois must be [num_rois, 5], got \(rois.shape)") }
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (ph, pw) = (pooled[0], pooled[1])
        let xv = try x.doubles(), rv = try rois.doubles()
        let count = rois.shape[0]
        var out = [Double](repeating: 0, count: count * c * ph * pw)
        for r in 0..<count {
            let bd = rv[r * 5]
            guard bd.isFinite, bd >= 0, Int(bd) < n else { throw context.invalid("roi \(r) has batch index \(bd) outside 0..<\(n)") }
            let b = Int(bd)
            func coord(_ v: Double) -> Int { let s = (v * scale).rounded(); return s.isFinite ? Int(max(-1e9, min(1e9, s))) : 0 }
            let x1 = coord(rv[r * 5 + 1]), y1 = coord(rv[r * 5 + 2]), x2 = coord(rv[r * 5 + 3]), y2 = coord(rv[r * 5 + 4])
            let rh = max(y2 - y1 + 1, 1), rw = max(x2 - x1 + 1, 1)
            let binH = Double(rh) / Double(ph), binW = Double(rw) / Double(pw)
            for ch in 0..<c {
                let plane = (b * c + ch) * h * w
                for i in 0..<ph {
                    let hs = min(max(Int((Double(i) * binH).rounded(.down)) + y1, 0), h)
                    let he = min(max(Int((Double(i + 1) * binH).rounded(.up)) + y1, 0), h)
                    for j in 0..<pw {
                        let ws = min(max(Int((Double(j) * binW).rounded(.down)) + x1, 0), w)
                        let we = min(max(Int((Double(j + 1) * binW).rounded(.up)) + x1, 0), w)
                        var m = -Double.infinity
                        if he <= hs || we <= ws { m = 0 } else {
                            for yy in hs..<he { for xx in ws..<we { m = max(m, xv[plane + yy * w + xx]) } }
                        }
                        out[((r * c + ch) * ph + i) * pw + j] = m
                    }
                }
            }
        }
        guard NN.isReal(x.dataType) else { throw InterpreterError.unsupportedType(x.dataType, context: "MaxRoiPool") }
        return [.tensor(try .converting(out, to: x.dataType, shape: [count, c, ph, pw]))]
    }
}
