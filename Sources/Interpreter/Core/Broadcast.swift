/// Numpy-style (multidirectional) broadcasting.
public enum Broadcast {
    /// The broadcast shape of several shapes, or nil when they do not broadcast.
    public static func shape(_ shapes: [[Int]]) -> [Int]? {
        let rank = shapes.map(\.count).max() ?? 0
        var out = [Int](repeating: 1, count: rank)
        for s in shapes {
            let off = rank - s.count
            for (i, d) in s.enumerated() {
                let j = off + i
                if out[j] == 1 { out[j] = d } else if d != 1 && d != out[j] { return nil }
            }
        }
        return out
    }

    /// For each element of `outShape` (row-major), the flat index of the element of a
    /// tensor of `shape` that broadcasts to it.
    public static func indexMap(from shape: [Int], to outShape: [Int]) -> [Int] {
        let n = outShape.reduce(1, *)
        if shape == outShape { return Array(0..<n) }
        let count = shape.reduce(1, *)
        if count == 1 { return [Int](repeating: 0, count: n) }
        let rank = outShape.count
        let off = rank - shape.count
        var srcStrides = [Int](repeating: 0, count: rank)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            srcStrides[off + i] = shape[i] == 1 ? 0 : acc
            acc *= shape[i]
        }
        var out = [Int](repeating: 0, count: n)
        var idx = [Int](repeating: 0, count: rank)
        var src = 0
        for k in 0..<n {
            out[k] = src
            var d = rank - 1
            while d >= 0 {
                idx[d] += 1
                src += srcStrides[d]
                if idx[d] < outShape[d] { break }
                src -= srcStrides[d] * idx[d]
                idx[d] = 0
                d -= 1
            }
        }
        return out
    }

    /// Applies `f` elementwise with broadcasting; nil when the shapes do not broadcast.
    public static func binary<A, B, R>(_ a: [A], _ sa: [Int], _ b: [B], _ sb: [Int], _ f: (A, B) -> R) -> (values: [R], shape: [Int])? {
        guard let out = shape([sa, sb]) else { return nil }
        if sa == sb { return (zip(a, b).map(f), out) }
        let n = out.reduce(1, *)
        if b.count == 1 && sa == out { let y = b[0]; return (a.map { f($0, y) }, out) }
        if a.count == 1 && sb == out { let x = a[0]; return (b.map { f(x, $0) }, out) }
        // A trailing-dims operand repeating along the leading dims ([N, D] + [D], a bias):
        // no index maps, one pass.
        if sa == out, isSuffix(sb, of: out), !b.isEmpty {
            var r: [R] = []
            r.reserveCapacity(n)
            let m = b.count
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    var k = 0
                    while k < n {
                        for j in 0..<m { r.append(f(pa[k + j], pb[j])) }
                        k += m
                    }
                }
            }
            return (r, out)
        }
        if sb == out, isSuffix(sa, of: out), !a.isEmpty {
            var r: [R] = []
            r.reserveCapacity(n)
            let m = a.count
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    var k = 0
                    while k < n {
                        for j in 0..<m { r.append(f(pa[j], pb[k + j])) }
                        k += m
                    }
                }
            }
            return (r, out)
        }
        let ia = indexMap(from: sa, to: out), ib = indexMap(from: sb, to: out)
        var r: [R] = []
        r.reserveCapacity(n)
        for k in 0..<n { r.append(f(a[ia[k]], b[ib[k]])) }
        return (r, out)
    }

    /// True when `s` (without leading 1s) equals the trailing dims of `full`.
    static func isSuffix(_ s: [Int], of full: [Int]) -> Bool {
        let t = Array(s.drop { $0 == 1 })
        return t.count <= full.count && Array(full.suffix(t.count)) == t
    }
}
