/// A cache-blocked float32 matrix product for MatMul, Gemm and Conv.
///
/// `C = alpha * op(A) * op(B) (+ C when accumulating)`, with A and B given by a base
/// pointer and a row and column stride (so transposed operands need no copy). B is packed
/// once into panels of `nr` columns per `kc` block of the inner dimension; each task
/// (a range of rows, or of columns when there are few rows) packs its rows of A into
/// panels of `mr` rows and runs a register-tiled 6x8 micro-kernel over SIMD8 vectors.
/// The micro-kernel multiplies and adds separately (no `fma` call): the default x86-64
/// target has no FMA instruction, and a library `fmaf` would be far slower.
enum FloatGemm {
    static let mr = 6
    static let nr = 8
    static let kc = 256
    static let mc = 96

    /// Operand description: element (i, j) is at `base[i * rowStride + j * colStride]`.
    struct Operand {
        let base: UnsafePointer<Float>
        let rowStride: Int
        let colStride: Int
    }

    /// C (m x n, row stride ldc) = alpha * A (m x k) * B (k x n) + (accumulate ? C : 0).
    static func multiply(
        m: Int, n: Int, k: Int, a: Operand, b: Operand,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, accumulate: Bool = false, parallel: Bool = true
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        // Small products: the packing overhead is not worth it.
        if m * n * k <= 4096 || n == 1 {
            naive(m: m, n: n, k: k, a: a, b: b, c: c, ldc: ldc, alpha: alpha, accumulate: accumulate)
            return
        }
        let panels = (n + nr - 1) / nr
        let packedB = UnsafeMutablePointer<Float>.allocate(capacity: panels * nr * k)
        defer { packedB.deallocate() }
        packB(n: n, k: k, b: b, into: packedB, panels: panels)
        let pb = UnsafePointer(packedB)
        let flopsPerRow = 2 * n * k
        let rowPanels = (m + mr - 1) / mr
        let work = Double(m) * Double(flopsPerRow)
        if !parallel || Parallel.workers == 1 || work < 2e6 {
            task(rows: 0..<m, cols: 0..<panels, n: n, k: k, a: a, packedB: pb, panels: panels, c: c, ldc: ldc, alpha: alpha, accumulate: accumulate)
            return
        }
        if rowPanels >= 2 * Parallel.workers {
            let minChunk = max(1, Int(1.5e6 / Double(mr * flopsPerRow)))
            Parallel.forChunks(rowPanels, minimumChunk: minChunk) { r in
                let rows = (r.lowerBound * mr)..<min(m, r.upperBound * mr)
                task(rows: rows, cols: 0..<panels, n: n, k: k, a: a, packedB: pb, panels: panels, c: c, ldc: ldc, alpha: alpha, accumulate: accumulate)
            }
        } else {
            let minChunk = max(1, Int(1.5e6 / Double(2 * m * k * nr)))
            Parallel.forChunks(panels, minimumChunk: minChunk) { r in
                task(rows: 0..<m, cols: r, n: n, k: k, a: a, packedB: pb, panels: panels, c: c, ldc: ldc, alpha: alpha, accumulate: accumulate)
            }
        }
    }

    /// Reference loop for small or degenerate shapes.
    static func naive(m: Int, n: Int, k: Int, a: Operand, b: Operand, c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, accumulate: Bool) {
        for i in 0..<m {
            let crow = c + i * ldc
            if !accumulate { crow.update(repeating: 0, count: n) }
            if n == 1 {
                var s: Float = 0
                for p in 0..<k { s += a.base[i * a.rowStride + p * a.colStride] * b.base[p * b.rowStride] }
                crow[0] += alpha * s
                continue
            }
            for p in 0..<k {
                let av = alpha * a.base[i * a.rowStride + p * a.colStride]
                if av == 0 { continue }
                let brow = b.base + p * b.rowStride
                for j in 0..<n { crow[j] += av * brow[j * b.colStride] }
            }
        }
    }

    /// Packed B: for each kc block starting at p0 (length kl), for each panel jp, kl rows
    /// of nr floats, at offset (p0 * panels + jp * kl) * nr. Columns past n are zero.
    static func packB(n: Int, k: Int, b: Operand, into dst: UnsafeMutablePointer<Float>, panels: Int) {
        var p0 = 0
        while p0 < k {
            let kl = min(kc, k - p0)
            for jp in 0..<panels {
                let out = dst + (p0 * panels + jp * kl) * nr
                let j0 = jp * nr
                let w = min(nr, n - j0)
                if b.colStride == 1 {
                    for p in 0..<kl {
                        let src = b.base + (p0 + p) * b.rowStride + j0
                        let o = out + p * nr
                        if w == nr {
                            o.update(from: src, count: nr)
                        } else {
                            o.update(from: src, count: w)
                            (o + w).update(repeating: 0, count: nr - w)
                        }
                    }
                } else {
                    for jj in 0..<nr {
                        if jj < w {
                            let src = b.base + (j0 + jj) * b.colStride + p0 * b.rowStride
                            for p in 0..<kl { out[p * nr + jj] = src[p * b.rowStride] }
                        } else {
                            for p in 0..<kl { out[p * nr + jj] = 0 }
                        }
                    }
                }
            }
            p0 += kl
        }
    }

    /// Packs rows i0..<i0+rows (padded to a multiple of mr) of A's columns p0..<p0+kl:
    /// panel ip holds kl groups of mr elements, each repeated 4 times (a SIMD4 ready to
    /// multiply, so the kernel needs no broadcast shuffles).
    @inline(__always)
    static func packA(i0: Int, rows: Int, p0: Int, kl: Int, a: Operand, into dst: UnsafeMutablePointer<Float>) {
        var ip = 0
        while ip < rows {
            let h = min(mr, rows - ip)
            let out = dst + ip * kl * 4
            for ii in 0..<mr {
                if ii < h {
                    let src = a.base + (i0 + ip + ii) * a.rowStride + p0 * a.colStride
                    let cs = a.colStride
                    for p in 0..<kl {
                        let v = src[p * cs]
                        let o = out + (p * mr + ii) * 4
                        o[0] = v; o[1] = v; o[2] = v; o[3] = v
                    }
                } else {
                    for p in 0..<kl { (out + (p * mr + ii) * 4).update(repeating: 0, count: 4) }
                }
            }
            ip += mr
        }
    }

    /// Computes the rows and column panels given, for every kc block.
    static func task(
        rows: Range<Int>, cols: Range<Int>, n: Int, k: Int, a: Operand, packedB: UnsafePointer<Float>, panels: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, accumulate: Bool
    ) {
        if rows.isEmpty || cols.isEmpty { return }
        let packedA = UnsafeMutablePointer<Float>.allocate(capacity: (mc + mr) * kc * 4)
        defer { packedA.deallocate() }
        var p0 = 0
        while p0 < k {
            let kl = min(kc, k - p0)
            let acc = accumulate || p0 > 0
            var i0 = rows.lowerBound
            while i0 < rows.upperBound {
                let h = min(mc, rows.upperBound - i0)
                packA(i0: i0, rows: h, p0: p0, kl: kl, a: a, into: packedA)
                for jp in cols {
                    let bp = packedB + (p0 * panels + jp * kl) * nr
                    let j0 = jp * nr
                    let w = min(nr, n - j0)
                    var ip = 0
                    while ip < h {
                        let hh = min(mr, h - ip)
                        kernel(kl: kl, a: packedA + ip * kl * 4, b: bp, c: c + (i0 + ip) * ldc + j0, ldc: ldc,
                               rows: hh, cols: w, alpha: alpha, accumulate: acc)
                        ip += mr
                    }
                }
                i0 += h
            }
            p0 += kl
        }
    }

    /// The 6x8 micro-kernel: acc = A panel (kl x 6) * B panel (kl x 8), then written to C.
    @inline(__always)
    static func kernel(
        kl: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
        rows: Int, cols: Int, alpha: Float, accumulate: Bool
    ) {
        var c0 = SIMD4<Float>(), d0 = SIMD4<Float>(), c1 = SIMD4<Float>(), d1 = SIMD4<Float>()
        var c2 = SIMD4<Float>(), d2 = SIMD4<Float>(), c3 = SIMD4<Float>(), d3 = SIMD4<Float>()
        var c4 = SIMD4<Float>(), d4 = SIMD4<Float>(), c5 = SIMD4<Float>(), d5 = SIMD4<Float>()
        var pa = UnsafeRawPointer(a)
        var pb = UnsafeRawPointer(b)
        for _ in 0..<kl {
            let b0 = pb.loadUnaligned(as: SIMD4<Float>.self)
            let b1 = pb.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
            var x = pa.loadUnaligned(as: SIMD4<Float>.self)
            c0 += x * b0; d0 += x * b1
            x = pa.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
            c1 += x * b0; d1 += x * b1
            x = pa.loadUnaligned(fromByteOffset: 32, as: SIMD4<Float>.self)
            c2 += x * b0; d2 += x * b1
            x = pa.loadUnaligned(fromByteOffset: 48, as: SIMD4<Float>.self)
            c3 += x * b0; d3 += x * b1
            x = pa.loadUnaligned(fromByteOffset: 64, as: SIMD4<Float>.self)
            c4 += x * b0; d4 += x * b1
            x = pa.loadUnaligned(fromByteOffset: 80, as: SIMD4<Float>.self)
            c5 += x * b0; d5 += x * b1
            pa += 96
            pb += 32
        }
        func join(_ lo: SIMD4<Float>, _ hi: SIMD4<Float>) -> SIMD8<Float> { SIMD8(lowHalf: lo, highHalf: hi) }
        var e0 = join(c0, d0), e1 = join(c1, d1), e2 = join(c2, d2), e3 = join(c3, d3), e4 = join(c4, d4), e5 = join(c5, d5)
        if alpha != 1 {
            e0 *= alpha; e1 *= alpha; e2 *= alpha; e3 *= alpha; e4 *= alpha; e5 *= alpha
        }
        if rows == 6 && cols == 8 {
            store(e0, c, accumulate)
            store(e1, c + ldc, accumulate)
            store(e2, c + 2 * ldc, accumulate)
            store(e3, c + 3 * ldc, accumulate)
            store(e4, c + 4 * ldc, accumulate)
            store(e5, c + 5 * ldc, accumulate)
            return
        }
        let tile = (e0, e1, e2, e3, e4, e5)
        withUnsafeBytes(of: tile) { raw in
            let t = raw.bindMemory(to: Float.self)
            for r in 0..<rows {
                let row = c + r * ldc
                for j in 0..<cols {
                    row[j] = accumulate ? row[j] + t[r * 8 + j] : t[r * 8 + j]
                }
            }
        }
    }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        let raw = UnsafeMutableRawPointer(p)
        if accumulate {
            raw.storeBytes(of: raw.loadUnaligned(as: SIMD8<Float>.self) + v, as: SIMD8<Float>.self)
        } else {
            raw.storeBytes(of: v, as: SIMD8<Float>.self)
        }
    }
}
