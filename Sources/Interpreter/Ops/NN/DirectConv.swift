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

    /// The convolution into `y` (which holds the bias, or zeros).
    static func run(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ g: ConvGeometry, accumulate: Bool) {
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
                    let acc = accumulate || p0 > 0
                    let ablock = pwc + gi * aCount + p0 * mPad * copies
                    for oy in rows {
                        let rowBase = padded + oy * sh * pw
                        var ox = 0
                        while ox < ow {
                            let cols = min(nr, ow - ox)
                            var m0 = 0
                            while m0 < mg {
                                kernel(kl: kl, a: ablock + m0 * kl * copies, b: rowBase + ox, offsets: off + p0,
                                       c: yg + m0 * outPlane + oy * ow + ox, ldc: outPlane,
                                       rows: min(mr, mg - m0), cols: cols, accumulate: acc)
                                m0 += mr
                            }
                            ox += nr
                        }
                    }
                    p0 += kl
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
            if overImages {
                Parallel.forChunks(g.batch, minimumChunk: max(1, Int(2e6 / max(1, work)))) { range in
                    let padded = UnsafeMutablePointer<Float>.allocate(capacity: paddedCount)
                    defer { padded.deallocate() }
                    for n in range {
                        for gi in 0..<g.group {
                            pad(n, gi, into: padded)
                            rowsOf(n, gi, 0..<oh, UnsafePointer(padded))
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
                        Parallel.forChunks(oh, minimumChunk: max(1, oh / (4 * Parallel.workers))) { rows in rowsOf(n, gi, rows, p) }
                    }
                }
            }
        }
    }

#if NN_AVX2
    /// FloatGemm's 6x16 kernel with B row p read at b + offsets[p].
    @inline(__always)
    static func kernel(
        kl: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, accumulate: Bool
    ) {
        var acc = FloatGemm.Tile()
        var pa = a
        let base = UnsafeRawPointer(b)
        for p in 0..<kl {
            let pb = base + offsets[p] &* 4
            acc.step(pa, pb.loadUnaligned(as: SIMD8<Float>.self), pb.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
            pa += 6
        }
        acc.write(c, ldc: ldc, rows: rows, cols: cols, alpha: 1, accumulate: accumulate)
    }
#else
    /// FloatGemm's 6x8 kernel with B row p read at b + offsets[p].
    @inline(__always)
    static func kernel(
        kl: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, accumulate: Bool
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
        func join(_ lo: SIMD4<Float>, _ hi: SIMD4<Float>) -> SIMD8<Float> { SIMD8(lowHalf: lo, highHalf: hi) }
        let e0 = join(c0, d0), e1 = join(c1, d1), e2 = join(c2, d2), e3 = join(c3, d3), e4 = join(c4, d4), e5 = join(c5, d5)
        if rows == 6 && cols == 8 {
            FloatGemm.store(e0, c, accumulate)
            FloatGemm.store(e1, c + ldc, accumulate)
            FloatGemm.store(e2, c + 2 * ldc, accumulate)
            FloatGemm.store(e3, c + 3 * ldc, accumulate)
            FloatGemm.store(e4, c + 4 * ldc, accumulate)
            FloatGemm.store(e5, c + 5 * ldc, accumulate)
            return
        }
        let tile = (e0, e1, e2, e3, e4, e5)
        withUnsafeBytes(of: tile) { raw in
            let t = raw.bindMemory(to: Float.self)
            for r in 0..<rows {
                let row = c + r * ldc
                for j in 0..<cols { row[j] = accumulate ? row[j] + t[r * 8 + j] : t[r * 8 + j] }
            }
        }
    }
#endif
}
