/// A cache-blocked float32 matrix product for MatMul, Gemm and Conv.
///
/// `C = alpha * op(A) * op(B) (+ C when accumulating)`, with A and B given by a base
/// pointer and a row and column stride (so transposed operands need no copy). B is packed
/// once into panels of `nr` columns per block of the inner dimension; each task (a range
/// of rows, or of columns when there are few rows) packs its rows of A into panels of
/// `mr` rows and runs a register-tiled micro-kernel.
///
/// Two kernels, chosen at compile time:
/// - the default (baseline x86-64 / any target): 6x8 over SIMD4 pairs, A packed with
///   each element repeated 4 times so the kernel needs no broadcast shuffles, separate
///   multiply and add (the baseline has no FMA instruction, and a library `fmaf` would
///   be far slower). This runs near the SSE peak (about 44 GFLOP/s per core here).
/// - with `-D NN_AVX2` (build with `-Xswiftc -target-cpu -Xswiftc haswell` or newer):
///   6x16 over SIMD8 with fused multiply-adds and broadcast loads, about twice as fast.
enum FloatGemm {
    static let mr = 6
#if NN_AVX2
    static let nr = 16
    /// Copies of each A element in the packed layout.
    static let aCopies = 1
#else
    static let nr = 8
    static let aCopies = 4
#endif
    static let kc = 256

    /// The length of the inner-dimension blocks for k: at most kc, and balanced (784 is
    /// 4 x 196 rather than 3 x 256 + 16, whose short last block would waste the kernel).
    /// Every packer and loop over blocks uses it.
    static func blockLength(_ k: Int) -> Int {
        let blocks = max(1, (k + kc - 1) / kc)
        return (k + blocks - 1) / blocks
    }
    static let mc = 96

    /// Operand description: element (i, j) is at `base[i * rowStride + j * colStride]`.
    struct Operand {
        let base: UnsafePointer<Float>
        let rowStride: Int
        let colStride: Int
    }

    /// C (m x n, row stride ldc) = alpha * A (m x k) * B (k x n) + (accumulate ? C : 0),
    /// then the epilogue (whose bias pointers address C's row 0 and column 0).
    static func multiply(
        m: Int, n: Int, k: Int, a: Operand, b: Operand,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, accumulate: Bool = false, parallel: Bool = true,
        epilogue: Epilogue = Epilogue()
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            for i in 0..<m {
                let row = c + i * ldc
                if !accumulate { row.update(repeating: 0, count: n) }
                if !epilogue.isEmpty { for j in 0..<n { row[j] = epilogue.finish(row[j], row: i, col: j) } }
            }
            return
        }
        // Small products: the packing overhead is not worth it.
        if m * n * k <= 4096 || n == 1 {
            naive(m: m, n: n, k: k, a: a, b: b, c: c, ldc: ldc, alpha: alpha, accumulate: accumulate)
            if !epilogue.isEmpty {
                for i in 0..<m { let row = c + i * ldc; for j in 0..<n { row[j] = epilogue.finish(row[j], row: i, col: j) } }
            }
            return
        }
        if n < nr + nr / 2 && m >= 2 * mr && k >= 64 {
            narrow(m: m, n: n, k: k, a: a, b: b, c: c, ldc: ldc, alpha: alpha, accumulate: accumulate, parallel: parallel, epilogue: epilogue)
            return
        }
        let panels = (n + nr - 1) / nr
        let packedB = UnsafeMutablePointer<Float>.allocate(capacity: packedBCount(n: n, k: k))
        defer { packedB.deallocate() }
        packB(n: n, k: k, b: b, into: packedB, panels: panels)
        multiply(m: m, n: n, k: k, a: .source(a), packedB: UnsafePointer(packedB), c: c, ldc: ldc,
                 alpha: alpha, accumulate: accumulate, parallel: parallel, epilogue: epilogue)
    }

    /// Where the rows of A come from: an operand packed as needed, or a buffer that
    /// `packAllA` filled once (for a matrix used against many B, like conv weights).
    enum ASource {
        case source(Operand)
        case packed(UnsafePointer<Float>)
    }

    /// Floats of a packed B (n columns padded to nr, all k rows).
    static func packedBCount(n: Int, k: Int) -> Int { (n + nr - 1) / nr * nr * k }
    /// Floats of a fully packed A (m rows padded to mr, aCopies copies of each element).
    static func packedACount(m: Int, k: Int) -> Int { (m + mr - 1) / mr * mr * k * aCopies }

    /// Packs all of A: block p0 (length kl) at p0 * mPad * aCopies, its rows from i at
    /// + i * kl * aCopies, in packA's panel layout.
    static func packAllA(m: Int, k: Int, a: Operand, into dst: UnsafeMutablePointer<Float>) {
        let mPad = (m + mr - 1) / mr * mr
        let bl = blockLength(k)
        var p0 = 0
        while p0 < k {
            let kl = min(bl, k - p0)
            packA(i0: 0, rows: m, p0: p0, kl: kl, a: a, into: dst + p0 * mPad * aCopies)
            p0 += kl
        }
    }

    /// C = alpha * A * B (+ C) with B already in packB's layout (k > 0 and the product
    /// large enough that packing paid; callers check the degenerate cases).
    static func multiply(
        m: Int, n: Int, k: Int, a: ASource, packedB pb: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, accumulate: Bool = false, parallel: Bool = true,
        epilogue: Epilogue = Epilogue()
    ) {
        if m == 0 || n == 0 || k == 0 { return }
        let panels = (n + nr - 1) / nr
        let flopsPerRow = 2 * n * k
        let rowPanels = (m + mr - 1) / mr
        let work = Double(m) * Double(flopsPerRow)
        if !parallel || Parallel.workers == 1 || work < 2e6 {
            task(rows: 0..<m, cols: 0..<panels, m: m, n: n, k: k, a: a, packedB: pb, panels: panels, c: c, ldc: ldc, alpha: alpha, accumulate: accumulate, epilogue: epilogue)
            return
        }
        if rowPanels >= 2 * Parallel.workers {
            let minChunk = max(1, Int(1.5e6 / Double(mr * flopsPerRow)))
            Parallel.forChunks(rowPanels, minimumChunk: minChunk) { r in
                let rows = (r.lowerBound * mr)..<min(m, r.upperBound * mr)
                task(rows: rows, cols: 0..<panels, m: m, n: n, k: k, a: a, packedB: pb, panels: panels, c: c, ldc: ldc, alpha: alpha, accumulate: accumulate, epilogue: epilogue)
            }
        } else {
            let minChunk = max(1, Int(1.5e6 / Double(2 * m * k * nr)))
            Parallel.forChunks(panels, minimumChunk: minChunk) { r in
                task(rows: 0..<m, cols: r, m: m, n: n, k: k, a: a, packedB: pb, panels: panels, c: c, ldc: ldc, alpha: alpha, accumulate: accumulate, epilogue: epilogue)
            }
        }
    }

    /// Products with few columns (a classifier head: [N, 2048] x [2048, 10]), where the
    /// panels would be mostly padding and packing A would cost more than the product:
    /// B's columns are copied into contiguous rows and each C element is a vector dot
    /// product of a row of A with one of them, two columns per pass over the row.
    static func narrow(
        m: Int, n: Int, k: Int, a: Operand, b: Operand, c: UnsafeMutablePointer<Float>, ldc: Int,
        alpha: Float, accumulate: Bool, parallel: Bool, epilogue: Epilogue
    ) {
        let bt = UnsafeMutablePointer<Float>.allocate(capacity: n * k)
        defer { bt.deallocate() }
        for j in 0..<n { for p in 0..<k { bt[j * k + p] = b.base[p * b.rowStride + j * b.colStride] } }
        let rows = { (range: Range<Int>) in
            let copy = a.colStride == 1 ? nil : UnsafeMutablePointer<Float>.allocate(capacity: k)
            defer { copy?.deallocate() }
            for i in range {
                let arow: UnsafePointer<Float>
                if let copy {
                    for p in 0..<k { copy[p] = a.base[i * a.rowStride + p * a.colStride] }
                    arow = UnsafePointer(copy)
                } else {
                    arow = a.base + i * a.rowStride
                }
                let crow = c + i * ldc
                var j = 0
                while j < n {
                    let two = j + 1 < n
                    let (s0, s1) = dot2(arow, UnsafePointer(bt + j * k), UnsafePointer(bt + (two ? j + 1 : j) * k), k)
                    let v0 = alpha * s0
                    crow[j] = epilogue.finish(accumulate ? crow[j] + v0 : v0, row: i, col: j)
                    if two {
                        let v1 = alpha * s1
                        crow[j + 1] = epilogue.finish(accumulate ? crow[j + 1] + v1 : v1, row: i, col: j + 1)
                    }
                    j += 2
                }
            }
        }
        if parallel && Double(m) * Double(n) * Double(k) > 1e6 {
            Parallel.forChunks(m, minimumChunk: max(1, Int(5e5 / Double(n * k)))) { rows($0) }
        } else {
            rows(0..<m)
        }
    }

    /// The dot products of `x` with `y` and with `z` (k elements each).
    @inline(__always)
    static func dot2(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafePointer<Float>, _ k: Int) -> (Float, Float) {
        var a0 = SIMD4<Float>(), a1 = SIMD4<Float>(), b0 = SIMD4<Float>(), b1 = SIMD4<Float>()
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y), rz = UnsafeRawPointer(z)
        var p = 0
        while p + 8 <= k {
            let o = p * 4
            let x0 = rx.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self), x1 = rx.loadUnaligned(fromByteOffset: o + 16, as: SIMD4<Float>.self)
            a0 += x0 * ry.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
            a1 += x1 * ry.loadUnaligned(fromByteOffset: o + 16, as: SIMD4<Float>.self)
            b0 += x0 * rz.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
            b1 += x1 * rz.loadUnaligned(fromByteOffset: o + 16, as: SIMD4<Float>.self)
            p += 8
        }
        var s = (a0 + a1).sum(), t = (b0 + b1).sum()
        while p < k { s += x[p] * y[p]; t += x[p] * z[p]; p += 1 }
        return (s, t)
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
        let bl = blockLength(k)
        var p0 = 0
        while p0 < k {
            let kl = min(bl, k - p0)
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
    /// panel ip holds kl groups of mr elements, each repeated aCopies times (with 4, a
    /// SIMD4 ready to multiply, so the SSE kernel needs no broadcast shuffles).
    @inline(__always)
    static func packA(i0: Int, rows: Int, p0: Int, kl: Int, a: Operand, into dst: UnsafeMutablePointer<Float>) {
        var ip = 0
        while ip < rows {
            let h = min(mr, rows - ip)
            let out = dst + ip * kl * aCopies
            for ii in 0..<mr {
                if ii < h {
                    let src = a.base + (i0 + ip + ii) * a.rowStride + p0 * a.colStride
                    let cs = a.colStride
                    for p in 0..<kl {
                        let v = src[p * cs]
                        let o = out + (p * mr + ii) * aCopies
                        for r in 0..<aCopies { o[r] = v }
                    }
                } else {
                    for p in 0..<kl { (out + (p * mr + ii) * aCopies).update(repeating: 0, count: aCopies) }
                }
            }
            ip += mr
        }
    }

    /// Computes the rows and column panels given, for every kc block.
    static func task(
        rows: Range<Int>, cols: Range<Int>, m: Int, n: Int, k: Int, a: ASource, packedB: UnsafePointer<Float>, panels: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, accumulate: Bool, epilogue: Epilogue
    ) {
        if rows.isEmpty || cols.isEmpty { return }
        var scratch: UnsafeMutablePointer<Float>? = nil
        if case .source = a { scratch = UnsafeMutablePointer<Float>.allocate(capacity: (mc + mr) * kc * aCopies) }
        defer { scratch?.deallocate() }
        let mPad = (m + mr - 1) / mr * mr
        let bl = blockLength(k)
        var p0 = 0
        while p0 < k {
            let kl = min(bl, k - p0)
            let acc = accumulate || p0 > 0
            let last = p0 + kl == k
            var i0 = rows.lowerBound
            while i0 < rows.upperBound {
                let h = min(mc, rows.upperBound - i0)
                let pa: UnsafePointer<Float>
                switch a {
                case .source(let op):
                    guard let scratch else { return }
                    packA(i0: i0, rows: h, p0: p0, kl: kl, a: op, into: scratch)
                    pa = UnsafePointer(scratch)
                case .packed(let all):
                    pa = all + p0 * mPad * aCopies + i0 * kl * aCopies
                }
                for jp in cols {
                    let bp = packedB + (p0 * panels + jp * kl) * nr
                    let j0 = jp * nr
                    let w = min(nr, n - j0)
                    var ip = 0
                    while ip < h {
                        let hh = min(mr, h - ip)
                        kernel(kl: kl, a: pa + ip * kl * aCopies, b: bp, c: c + (i0 + ip) * ldc + j0, ldc: ldc,
                               rows: hh, cols: w, alpha: alpha, accumulate: acc,
                               epilogue: last ? epilogue.rows(from: i0 + ip).cols(from: j0) : Epilogue())
                        ip += mr
                    }
                }
                i0 += h
            }
            p0 += kl
        }
    }

#if NN_AVX2
    /// The 6x16 micro-kernel: acc = A panel (kl x 6) * B panel (kl x 16), fused multiply-adds.
    @inline(__always)
    static func kernel(
        kl: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
        rows: Int, cols: Int, alpha: Float, accumulate: Bool, epilogue: Epilogue = Epilogue()
    ) {
        var acc = Tile()
        var pb = UnsafeRawPointer(b)
        var pa = a
        for _ in 0..<kl {
            acc.step(pa, pb.loadUnaligned(as: SIMD8<Float>.self), pb.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
            pa += 6
            pb += 64
        }
        acc.write(c, ldc: ldc, rows: rows, cols: cols, alpha: alpha, accumulate: accumulate, epilogue: epilogue)
    }

    /// Six rows of 16 accumulators.
    struct Tile {
        var c0 = SIMD8<Float>(), d0 = SIMD8<Float>(), c1 = SIMD8<Float>(), d1 = SIMD8<Float>()
        var c2 = SIMD8<Float>(), d2 = SIMD8<Float>(), c3 = SIMD8<Float>(), d3 = SIMD8<Float>()
        var c4 = SIMD8<Float>(), d4 = SIMD8<Float>(), c5 = SIMD8<Float>(), d5 = SIMD8<Float>()

        @inline(__always)
        mutating func step(_ pa: UnsafePointer<Float>, _ b0: SIMD8<Float>, _ b1: SIMD8<Float>) {
            var x = SIMD8<Float>(repeating: pa[0]); c0.addProduct(x, b0); d0.addProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[1]); c1.addProduct(x, b0); d1.addProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[2]); c2.addProduct(x, b0); d2.addProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[3]); c3.addProduct(x, b0); d3.addProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[4]); c4.addProduct(x, b0); d4.addProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[5]); c5.addProduct(x, b0); d5.addProduct(x, b1)
        }

        @inline(__always)
        func write(_ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, alpha: Float, accumulate: Bool, epilogue: Epilogue) {
            if rows == 6 && cols == 16 && alpha == 1 {
                if epilogue.isEmpty {
                    store(c0, c, accumulate); store(d0, c + 8, accumulate)
                    store(c1, c + ldc, accumulate); store(d1, c + ldc + 8, accumulate)
                    store(c2, c + 2 * ldc, accumulate); store(d2, c + 2 * ldc + 8, accumulate)
                    store(c3, c + 3 * ldc, accumulate); store(d3, c + 3 * ldc + 8, accumulate)
                    store(c4, c + 4 * ldc, accumulate); store(d4, c + 4 * ldc + 8, accumulate)
                    store(c5, c + 5 * ldc, accumulate); store(d5, c + 5 * ldc + 8, accumulate)
                } else {
                    let lo = epilogue.columnVector(), hi = epilogue.columnVector(from: 8)
                    epilogue.store(c0, c, row: 0, accumulate, lo); epilogue.store(d0, c + 8, row: 0, accumulate, hi)
                    epilogue.store(c1, c + ldc, row: 1, accumulate, lo); epilogue.store(d1, c + ldc + 8, row: 1, accumulate, hi)
                    epilogue.store(c2, c + 2 * ldc, row: 2, accumulate, lo); epilogue.store(d2, c + 2 * ldc + 8, row: 2, accumulate, hi)
                    epilogue.store(c3, c + 3 * ldc, row: 3, accumulate, lo); epilogue.store(d3, c + 3 * ldc + 8, row: 3, accumulate, hi)
                    epilogue.store(c4, c + 4 * ldc, row: 4, accumulate, lo); epilogue.store(d4, c + 4 * ldc + 8, row: 4, accumulate, hi)
                    epilogue.store(c5, c + 5 * ldc, row: 5, accumulate, lo); epilogue.store(d5, c + 5 * ldc + 8, row: 5, accumulate, hi)
                }
                return
            }
            let tile = (c0, d0, c1, d1, c2, d2, c3, d3, c4, d4, c5, d5)
            withUnsafeBytes(of: tile) { raw in
                let t = raw.bindMemory(to: Float.self)
                for r in 0..<rows {
                    let row = c + r * ldc
                    for j in 0..<cols {
                        let v = alpha * t[r * 16 + j]
                        row[j] = epilogue.finish(accumulate ? row[j] + v : v, row: r, col: j)
                    }
                }
            }
        }
    }
#else
    /// The 6x8 micro-kernel: acc = A panel (kl x 6) * B panel (kl x 8), then written to C.
    /// A tile of at most 4 rows (the last panel of an M that 6 does not divide, like
    /// a conv's 16 or 32 channels) skips the multiplies of its padding rows.
    @inline(__always)
    static func kernel(
        kl: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
        rows: Int, cols: Int, alpha: Float, accumulate: Bool, epilogue: Epilogue = Epilogue()
    ) {
        if rows > 4 {
            kernel6(kl: kl, a: a, b: b, c: c, ldc: ldc, rows: rows, cols: cols, alpha: alpha, accumulate: accumulate, epilogue: epilogue)
        } else {
            kernel4(kl: kl, a: a, b: b, c: c, ldc: ldc, rows: rows, cols: cols, alpha: alpha, accumulate: accumulate, epilogue: epilogue)
        }
    }

    /// The kernel of a tile of at most four rows.
    @inline(never)
    static func kernel4(
        kl: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
        rows: Int, cols: Int, alpha: Float, accumulate: Bool, epilogue: Epilogue
    ) {
        var c0 = SIMD4<Float>(), d0 = SIMD4<Float>(), c1 = SIMD4<Float>(), d1 = SIMD4<Float>()
        var c2 = SIMD4<Float>(), d2 = SIMD4<Float>(), c3 = SIMD4<Float>(), d3 = SIMD4<Float>()
        let c4 = SIMD4<Float>(), d4 = SIMD4<Float>(), c5 = SIMD4<Float>(), d5 = SIMD4<Float>()
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
            pa += 96
            pb += 32
        }
        writeTile(c0, d0, c1, d1, c2, d2, c3, d3, c4, d4, c5, d5, c, ldc: ldc, rows: rows, cols: cols,
                  alpha: alpha, accumulate: accumulate, epilogue: epilogue)
    }

    /// The micro-kernel computing only the first `live` (4 or 6, a constant at each
    /// call) rows of the panel.
    @inline(__always)
    static func kernel6(
        kl: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
        rows: Int, cols: Int, alpha: Float, accumulate: Bool, epilogue: Epilogue
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
        writeTile(c0, d0, c1, d1, c2, d2, c3, d3, c4, d4, c5, d5, c, ldc: ldc, rows: rows, cols: cols,
                  alpha: alpha, accumulate: accumulate, epilogue: epilogue)
    }

    /// Writes the 6x8 accumulators (row r in cr, dr) to C: scaled by alpha, added to C
    /// when accumulating, then the epilogue.
    @inline(__always)
    static func writeTile(
        _ c0: SIMD4<Float>, _ d0: SIMD4<Float>, _ c1: SIMD4<Float>, _ d1: SIMD4<Float>, _ c2: SIMD4<Float>, _ d2: SIMD4<Float>,
        _ c3: SIMD4<Float>, _ d3: SIMD4<Float>, _ c4: SIMD4<Float>, _ d4: SIMD4<Float>, _ c5: SIMD4<Float>, _ d5: SIMD4<Float>,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, alpha: Float, accumulate: Bool, epilogue: Epilogue
    ) {
        func join(_ lo: SIMD4<Float>, _ hi: SIMD4<Float>) -> SIMD8<Float> { SIMD8(lowHalf: lo, highHalf: hi) }
        var e0 = join(c0, d0), e1 = join(c1, d1), e2 = join(c2, d2), e3 = join(c3, d3), e4 = join(c4, d4), e5 = join(c5, d5)
        if alpha != 1 {
            e0 *= alpha; e1 *= alpha; e2 *= alpha; e3 *= alpha; e4 *= alpha; e5 *= alpha
        }
        if rows == 6 && cols == 8 {
            if epilogue.isEmpty {
                store(e0, c, accumulate)
                store(e1, c + ldc, accumulate)
                store(e2, c + 2 * ldc, accumulate)
                store(e3, c + 3 * ldc, accumulate)
                store(e4, c + 4 * ldc, accumulate)
                store(e5, c + 5 * ldc, accumulate)
            } else {
                let cb = epilogue.columnVector()
                epilogue.store(e0, c, row: 0, accumulate, cb)
                epilogue.store(e1, c + ldc, row: 1, accumulate, cb)
                epilogue.store(e2, c + 2 * ldc, row: 2, accumulate, cb)
                epilogue.store(e3, c + 3 * ldc, row: 3, accumulate, cb)
                epilogue.store(e4, c + 4 * ldc, row: 4, accumulate, cb)
                epilogue.store(e5, c + 5 * ldc, row: 5, accumulate, cb)
            }
            return
        }
        let tile = (e0, e1, e2, e3, e4, e5)
        withUnsafeBytes(of: tile) { raw in
            let t = raw.bindMemory(to: Float.self)
            for r in 0..<rows {
                let row = c + r * ldc
                for j in 0..<cols {
                    row[j] = epilogue.finish(accumulate ? row[j] + t[r * 8 + j] : t[r * 8 + j], row: r, col: j)
                }
            }
        }
    }

#endif

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        let raw = UnsafeMutableRawPointer(p)
        if accumulate {
            raw.storeBytes(of: raw.loadUnaligned(as: SIMD8<Float>.self) + v, as: SIMD8<Float>.self)
        } else {
            raw.storeBytes(of: v, as: SIMD8<Float>.self)
        }
    }

    /// What the last block of the inner dimension applies to each value it writes, after
    /// adding the earlier blocks: a per-row bias (Conv's per-channel bias), a per-column
    /// bias (a MatMul followed by a bias Add), then Relu's clamp. The pointers address
    /// the current tile's first row and column.
    struct Epilogue {
        var rowBias: UnsafePointer<Float>? = nil
        var colBias: UnsafePointer<Float>? = nil
        var relu = false

        var isEmpty: Bool { rowBias == nil && colBias == nil && !relu }

        /// The epilogue of the tile starting `r` rows further down.
        func rows(from r: Int) -> Epilogue { Epilogue(rowBias: rowBias.map { $0 + r }, colBias: colBias, relu: relu) }
        /// The epilogue of the tile starting `j` columns further right.
        func cols(from j: Int) -> Epilogue { Epilogue(rowBias: rowBias, colBias: colBias.map { $0 + j }, relu: relu) }

        /// Eight column biases from column `j` of a full tile (zeros without a column bias).
        @inline(__always)
        func columnVector(from j: Int = 0) -> SIMD8<Float> {
            guard let colBias else { return SIMD8() }
            return UnsafeRawPointer(colBias + j).loadUnaligned(as: SIMD8<Float>.self)
        }

        @inline(__always)
        func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, row: Int, _ accumulate: Bool, _ columns: SIMD8<Float>) {
            let raw = UnsafeMutableRawPointer(p)
            var x = accumulate ? raw.loadUnaligned(as: SIMD8<Float>.self) + v : v
            if let rowBias { x += SIMD8(repeating: rowBias[row]) }
            if colBias != nil { x += columns }
            if relu { x.replace(with: 0, where: x .< 0) }
            raw.storeBytes(of: x, as: SIMD8<Float>.self)
        }

        @inline(__always)
        func finish(_ v: Float, row: Int, col: Int) -> Float {
            var x = v
            if let rowBias { x += rowBias[row] }
            if let colBias { x += colBias[col] }
            if relu && x < 0 { x = 0 }
            return x
        }
    }
}
