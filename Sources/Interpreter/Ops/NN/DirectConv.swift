/// Direct float32 convolution for 1-D and 2-D kernels with unit stride along the last
/// axis: the weights are packed once like GEMM's A, and the micro-kernel reads its
/// B vectors (FloatGemm.nr neighbouring output positions of one row) straight from a
/// zero-padded copy of the image at each tap's offset, so no im2col matrix is written.
enum DirectConv {
    static func applies(_ g: ConvGeometry) -> Bool {
        let nd = g.input.count
        guard nd == 1 || nd == 2 else { return false }
        return g.strides[nd - 1] == 1 && g.kernelSize > 1 && g.padBegin.allSatisfy { $0 >= 0 }
    }

    /// The convolution into `y` (uninitialized: the first block of the inner dimension
    /// stores, the others add). The last block adds `bias` (one value per output
    /// channel) and clamps at zero when `relu`, on each tile as it is written. With
    /// `pool` (2-D, at least 2x2 outputs), each pair of output rows goes to a scratch
    /// buffer and `y` receives their 2x2 stride-2 maxima, [N, M, OH / 2, OW / 2].
    static func run(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ g: ConvGeometry,
                    bias: UnsafePointer<Float>?, relu: Bool, pool: Bool = false) {
        let two = g.input.count == 2
        let ih = two ? g.input[0] : 1, iw = two ? g.input[1] : g.input[0]
        let oh = two ? g.output[0] : 1, ow = two ? g.output[1] : g.output[0]
        let kh = two ? g.kernel[0] : 1, kw = two ? g.kernel[1] : g.kernel[0]
        let sh = two ? g.strides[0] : 1
        let dh = two ? g.dilations[0] : 1, dw = two ? g.dilations[1] : g.dilations[0]
        let pt = two ? g.padBegin[0] : 0, pl = two ? g.padBegin[1] : g.padBegin[0]
        let cg = g.inChannels / g.group, mg = g.outChannels / g.group
        let kdim = cg * kh * kw, outPlane = oh * ow, inPlane = ih * iw
        // The padded image holds every tap of every output position.
        let ph = max(ih + pt, (oh - 1) * sh + (kh - 1) * dh + 1)
        let pw = max(iw + pl, ow + (kw - 1) * dw)
        let paddedCount = cg * ph * pw + FloatGemm.nr
        let mr = FloatGemm.mr, nr = FloatGemm.nr, copies = FloatGemm.aCopies, bl = FloatGemm.blockLength(kdim)
        let aCount = FloatGemm.packedACount(m: mg, k: kdim)
        let mPad = (mg + mr - 1) / mr * mr
        let packedW = UnsafeMutablePointer<Float>.allocate(capacity: max(1, g.group * aCount))
        defer { packedW.deallocate() }
        for gi in 0..<g.group {
            FloatGemm.packAllA(m: mg, k: kdim, a: .init(base: w + gi * mg * kdim, rowStride: kdim, colStride: 1), into: packedW + gi * aCount)
        }
        var offsets = [Int](repeating: 0, count: kdim)
        for c in 0..<cg { for a in 0..<kh { for b in 0..<kw { offsets[(c * kh + a) * kw + b] = c * ph * pw + a * dh * pw + b * dw } } }
        let work = 2.0 * Double(g.outChannels) * Double(kdim) * Double(outPlane)
        let overImages = g.batch >= 2 * Parallel.workers || work < 4e6
        offsets.withUnsafeBufferPointer { op in
            guard let off = op.baseAddress else { return }
            let pwc = UnsafePointer(packedW)
            /// Output rows `rows` of image n, group gi, from its padded copy.
            func rowsOf(_ n: Int, _ gi: Int, _ rows: Range<Int>, _ padded: UnsafePointer<Float>) {
                let yg = y + (n * g.outChannels + gi * mg) * outPlane
                var p0 = 0
                while p0 < kdim {
                    let kl = min(bl, kdim - p0)
                    let acc = p0 > 0
                    let epilogue = p0 + kl == kdim ? FloatGemm.Epilogue(rowBias: bias.map { $0 + gi * mg }, relu: relu) : FloatGemm.Epilogue()
                    let ablock = pwc + gi * aCount + p0 * mPad * copies
                    // Channel panels outside the positions of a row: each panel's output
                    // lines are written whole before the next (the channel planes are often
                    // a multiple of 4 KiB apart and would evict each other's lines).
                    for oy in rows {
                        let rowBase = padded + oy * sh * pw
                        var m0 = 0
                        while m0 < mg {
                            let rowsHere = min(mr, mg - m0), tileEpilogue = epilogue.rows(from: m0)
                            let am = ablock + m0 * kl * copies, cm = yg + m0 * outPlane + oy * ow
                            var ox = 0
                            while ox < ow {
                                kernel(kl: kl, a: am, b: rowBase + ox, offsets: off + p0, c: cm + ox, ldc: outPlane,
                                       rows: rowsHere, cols: min(nr, ow - ox), accumulate: acc, epilogue: tileEpilogue)
                                ox += nr
                            }
                            m0 += mr
                        }
                    }
                    p0 += kl
                }
            }
            /// Pooled rows `prows` of image n, group gi: conv rows 2 py and 2 py + 1 into
            /// `scratch` ([mg][2][ow]), then their 2x2 maxima into y.
            let poh = oh / 2, pow = ow / 2, pooledPlane = poh * pow
            func pooledRowsOf(_ n: Int, _ gi: Int, _ prows: Range<Int>, _ padded: UnsafePointer<Float>, _ scratch: UnsafeMutablePointer<Float>) {
                let yg = y + (n * g.outChannels + gi * mg) * pooledPlane
                for py in prows {
                    var p0 = 0
                    while p0 < kdim {
                        let kl = min(bl, kdim - p0)
                        let acc = p0 > 0
                        let epilogue = p0 + kl == kdim ? FloatGemm.Epilogue(rowBias: bias.map { $0 + gi * mg }, relu: relu) : FloatGemm.Epilogue()
                        let ablock = pwc + gi * aCount + p0 * mPad * copies
                        for r in 0..<2 {
                            let rowBase = padded + (2 * py + r) * sh * pw
                            var m0 = 0
                            while m0 < mg {
                                let rowsHere = min(mr, mg - m0), tileEpilogue = epilogue.rows(from: m0)
                                let am = ablock + m0 * kl * copies, cm = scratch + m0 * 2 * ow + r * ow
                                var ox = 0
                                while ox < ow {
                                    kernel(kl: kl, a: am, b: rowBase + ox, offsets: off + p0, c: cm + ox, ldc: 2 * ow,
                                           rows: rowsHere, cols: min(nr, ow - ox), accumulate: acc, epilogue: tileEpilogue)
                                    ox += nr
                                }
                                m0 += mr
                            }
                        }
                        p0 += kl
                    }
                    for m in 0..<mg {
                        let s0 = UnsafePointer(scratch + m * 2 * ow)
                        MaxPool.pool2x2Row(s0, s0 + ow, width: pow, into: yg + m * pooledPlane + py * pow)
                    }
                }
            }
            func pad(_ n: Int, _ gi: Int, into padded: UnsafeMutablePointer<Float>) {
                padded.update(repeating: 0, count: paddedCount)
                for c in 0..<cg {
                    let src = x + (n * g.inChannels + gi * cg + c) * inPlane
                    let dst = padded + c * ph * pw
                    for r in 0..<ih { (dst + (r + pt) * pw + pl).update(from: src + r * iw, count: iw) }
                }
            }
            let scratchCount = pool ? mg * 2 * ow : 0
            if overImages {
                Parallel.forChunks(g.batch, minimumChunk: max(1, Int(2e6 / max(1, work)))) { range in
                    let padded = UnsafeMutablePointer<Float>.allocate(capacity: paddedCount)
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(1, scratchCount))
                    defer { padded.deallocate(); scratch.deallocate() }
                    for n in range {
                        for gi in 0..<g.group {
                            pad(n, gi, into: padded)
                            if pool {
                                pooledRowsOf(n, gi, 0..<poh, UnsafePointer(padded), scratch)
                            } else {
                                rowsOf(n, gi, 0..<oh, UnsafePointer(padded))
                            }
                        }
                    }
                }
            } else {
                let padded = UnsafeMutablePointer<Float>.allocate(capacity: paddedCount)
                defer { padded.deallocate() }
                for n in 0..<g.batch {
                    for gi in 0..<g.group {
                        pad(n, gi, into: padded)
                        let p = UnsafePointer(padded)
                        if pool {
                            Parallel.forChunks(poh, minimumChunk: max(1, poh / (4 * Parallel.workers))) { prows in
                                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(1, scratchCount))
                                defer { scratch.deallocate() }
                                pooledRowsOf(n, gi, prows, p, scratch)
                            }
                        } else {
                            Parallel.forChunks(oh, minimumChunk: max(1, oh / (4 * Parallel.workers))) { rows in rowsOf(n, gi, rows, p) }
                        }
                    }
                }
            }
        }
    }

#if NN_AVX2
    /// FloatGemm's 6x16 kernel with B row p read at b + offsets[p]. Not inlined: inlined
    /// into the single-thread caller, its twelve accumulators were spilled to the stack
    /// (CNN convolutions ran four times slower on one thread than on two).
    @inline(never)
    static func kernel(
        kl: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, accumulate: Bool, epilogue: FloatGemm.Epilogue
    ) {
        var acc = FloatGemm.Tile()
        var pa = a
        let base = UnsafeRawPointer(b)
        for p in 0..<kl {
            let pb = base + offsets[p] &* 4
            acc.step(pa, pb.loadUnaligned(as: SIMD8<Float>.self), pb.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
            pa += 6
        }
        acc.write(c, ldc: ldc, rows: rows, cols: cols, alpha: 1, accumulate: accumulate, epilogue: epilogue)
    }
#else
    /// FloatGemm's 6x8 kernel with B row p read at b + offsets[p] (tiles of at most 4
    /// or 2 rows skip their padding rows: 32 channels are five panels of 6 and one of 2).
    @inline(__always)
    static func kernel(
        kl: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, accumulate: Bool, epilogue: FloatGemm.Epilogue
    ) {
        if rows > 4 {
            kernel6(kl: kl, a: a, b: b, offsets: offsets, c: c, ldc: ldc, rows: rows, cols: cols, accumulate: accumulate, epilogue: epilogue)
        } else if rows > 2 {
            kernel4(kl: kl, a: a, b: b, offsets: offsets, c: c, ldc: ldc, rows: rows, cols: cols, accumulate: accumulate, epilogue: epilogue)
        } else {
            kernel2(kl: kl, a: a, b: b, offsets: offsets, c: c, ldc: ldc, rows: rows, cols: cols, accumulate: accumulate, epilogue: epilogue)
        }
    }

    /// The kernel of a tile of at most four rows.
    @inline(never)
    static func kernel4(
        kl: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, accumulate: Bool, epilogue: FloatGemm.Epilogue
    ) {
        var c0 = SIMD4<Float>(), d0 = SIMD4<Float>(), c1 = SIMD4<Float>(), d1 = SIMD4<Float>()
        var c2 = SIMD4<Float>(), d2 = SIMD4<Float>(), c3 = SIMD4<Float>(), d3 = SIMD4<Float>()
        let c4 = SIMD4<Float>(), d4 = SIMD4<Float>(), c5 = SIMD4<Float>(), d5 = SIMD4<Float>()
        var pa = UnsafeRawPointer(a)
        let base = UnsafeRawPointer(b)
        for p in 0..<kl {
            let pb = base + offsets[p] &* 4
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
        }
        FloatGemm.writeTile(c0, d0, c1, d1, c2, d2, c3, d3, c4, d4, c5, d5, c, ldc: ldc, rows: rows, cols: cols,
                            alpha: 1, accumulate: accumulate, epilogue: epilogue)
    }

    /// The kernel of a tile of at most two rows.
    @inline(never)
    static func kernel2(
        kl: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, accumulate: Bool, epilogue: FloatGemm.Epilogue
    ) {
        var c0 = SIMD4<Float>(), d0 = SIMD4<Float>(), c1 = SIMD4<Float>(), d1 = SIMD4<Float>()
        let c2 = SIMD4<Float>(), d2 = SIMD4<Float>(), c3 = SIMD4<Float>(), d3 = SIMD4<Float>()
        let c4 = SIMD4<Float>(), d4 = SIMD4<Float>(), c5 = SIMD4<Float>(), d5 = SIMD4<Float>()
        var pa = UnsafeRawPointer(a)
        let base = UnsafeRawPointer(b)
        for p in 0..<kl {
            let pb = base + offsets[p] &* 4
            let b0 = pb.loadUnaligned(as: SIMD4<Float>.self)
            let b1 = pb.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
            var x = pa.loadUnaligned(as: SIMD4<Float>.self)
            c0 += x * b0; d0 += x * b1
            x = pa.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
            c1 += x * b0; d1 += x * b1
            pa += 96
        }
        FloatGemm.writeTile(c0, d0, c1, d1, c2, d2, c3, d3, c4, d4, c5, d5, c, ldc: ldc, rows: rows, cols: cols,
                            alpha: 1, accumulate: accumulate, epilogue: epilogue)
    }

    @inline(__always)
    static func kernel6(
        kl: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, accumulate: Bool, epilogue: FloatGemm.Epilogue
    ) {
        var c0 = SIMD4<Float>(), d0 = SIMD4<Float>(), c1 = SIMD4<Float>(), d1 = SIMD4<Float>()
        var c2 = SIMD4<Float>(), d2 = SIMD4<Float>(), c3 = SIMD4<Float>(), d3 = SIMD4<Float>()
        var c4 = SIMD4<Float>(), d4 = SIMD4<Float>(), c5 = SIMD4<Float>(), d5 = SIMD4<Float>()
        var pa = UnsafeRawPointer(a)
        let base = UnsafeRawPointer(b)
        for p in 0..<kl {
            let pb = base + offsets[p] &* 4
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
        }
        FloatGemm.writeTile(c0, d0, c1, d1, c2, d2, c3, d3, c4, d4, c5, d5, c, ldc: ldc, rows: rows, cols: cols,
                            alpha: 1, accumulate: accumulate, epilogue: epilogue)
    }
#endif
}
