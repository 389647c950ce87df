import ONNX

/// The attributes shared by Conv, ConvInteger and ConvTranspose, bound once.
struct ConvAttributes {
    let autoPad: String
    let dilations: [Int]?
    let group: Int
    let kernelShape: [Int]?
    let pads: [Int]?
    let strides: [Int]?

    init(_ c: OpContext) throws {
        autoPad = try c.string("auto_pad", default: "NOTSET")
        dilations = try c.intsIfPresent("dilations").map { $0.map { Int($0) } }
        group = Int(try c.int("group", default: 1))
        kernelShape = try c.intsIfPresent("kernel_shape").map { $0.map { Int($0) } }
        pads = try c.intsIfPresent("pads").map { $0.map { Int($0) } }
        strides = try c.intsIfPresent("strides").map { $0.map { Int($0) } }
        guard group >= 1 else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "group", message: "must be >= 1") }
    }

    func list(_ v: [Int]?, _ name: String, count: Int, default d: Int, _ context: RunContext) throws -> [Int] {
        guard let v else { return [Int](repeating: d, count: count) }
        guard v.count == count else { throw context.invalid("\(name) has \(v.count) values for \(count) spatial axes") }
        guard v.allSatisfy({ $0 >= 1 }) else { throw context.invalid("\(name) must be positive, got \(v)") }
        return v
    }
}

/// Sizes of one convolution: batch, channels, spatial extents, kernel and padding.
struct ConvGeometry {
    let batch: Int
    let inChannels: Int
    let outChannels: Int
    let group: Int
    let input: [Int]
    let kernel: [Int]
    let output: [Int]
    let strides: [Int]
    let dilations: [Int]
    let padBegin: [Int]

    var inPlane: Int { input.reduce(1, *) }
    var outPlane: Int { output.reduce(1, *) }
    var kernelSize: Int { kernel.reduce(1, *) }

    /// Geometry of Conv: X [N, C, D...], W [M, C/group, k...].
    init(x: [Int], w: [Int], _ a: ConvAttributes, _ context: RunContext) throws {
        guard x.count >= 3, w.count == x.count else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "Conv needs X and W of equal rank >= 3, got \(x) and \(w)")
        }
        let nd = x.count - 2
        batch = x[0]
        inChannels = x[1]
        outChannels = w[0]
        group = a.group
        guard inChannels == w[1] * group, outChannels % group == 0 else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "X \(x) and W \(w) do not fit group \(group)")
        }
        input = Array(x[2...])
        let k = Array(w[2...])
        if let ks = a.kernelShape, ks != k {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "kernel_shape \(ks) differs from W's \(k)")
        }
        let inp = Array(x[2...])
        let st = try a.list(a.strides, "strides", count: nd, default: 1, context)
        let dl = try a.list(a.dilations, "dilations", count: nd, default: 1, context)
        let eff = (0..<nd).map { (k[$0] - 1) * dl[$0] + 1 }
        let (b, e) = try NN.autoPads(a.autoPad, input: inp, kernel: eff, strides: st, explicit: a.pads ?? [], context)
        var out: [Int] = []
        for i in 0..<nd {
            let span = inp[i] + b[i] + e[i] - eff[i]
            guard span >= 0 else { throw context.invalid("the kernel \(k) is larger than the padded input \(inp)") }
            out.append(span / st[i] + 1)
        }
        kernel = k
        strides = st
        dilations = dl
        padBegin = b
        output = out
    }

    init(batch: Int, inChannels: Int, outChannels: Int, group: Int, input: [Int], kernel: [Int], output: [Int],
         strides: [Int], dilations: [Int], padBegin: [Int]) {
        self.batch = batch; self.inChannels = inChannels; self.outChannels = outChannels; self.group = group
        self.input = input; self.kernel = kernel; self.output = output
        self.strides = strides; self.dilations = dilations; self.padBegin = padBegin
    }

    /// True when im2col would be the input itself (1x1 kernel, stride 1, no padding).
    var isPointwise: Bool {
        kernel.allSatisfy { $0 == 1 } && strides.allSatisfy { $0 == 1 } && padBegin.allSatisfy { $0 == 0 } && input == output
    }
}

enum ConvCompute {
    /// Writes the column matrix of `channels` input planes: row (c, kernel offset), one
    /// column per output position; taps outside the input read `zero`.
    static func im2col<T>(_ x: UnsafePointer<T>, channels: Int, _ g: ConvGeometry, into col: UnsafeMutablePointer<T>, zero: T) {
        let nd = g.input.count
        let ks = g.kernelSize, outPlane = g.outPlane, inPlane = g.inPlane
        let inStrides = TensorValue.strides(for: g.input)
        let last = nd - 1
        let outInner = g.output[last], sInner = g.strides[last], inInner = g.input[last]
        let outerCount = outPlane / max(1, outInner)
        var kidx = [Int](repeating: 0, count: nd)
        var oidx = [Int](repeating: 0, count: nd)
        for c in 0..<channels {
            let plane = x + c * inPlane
            for kk in 0..<ks {
                // kernel multi-index of kk
                var r = kk
                for d in stride(from: nd - 1, through: 0, by: -1) { kidx[d] = r % g.kernel[d]; r /= g.kernel[d] }
                let row = col + (c * ks + kk) * outPlane
                let offInner = kidx[last] * g.dilations[last] - g.padBegin[last]
                // valid output range along the inner axis: 0 <= o*s + offInner < inInner
                var lo = 0
                if offInner < 0 { lo = (-offInner + sInner - 1) / sInner }
                var hi = outInner
                if inInner - offInner <= 0 { hi = 0 } else { hi = min(outInner, (inInner - offInner - 1) / sInner + 1) }
                if hi < lo { hi = lo }
                for d in 0..<nd { oidx[d] = 0 }
                for o in 0..<outerCount {
                    let dst = row + o * outInner
                    var base = 0
                    var inside = true
                    for d in 0..<last {
                        let i = oidx[d] * g.strides[d] + kidx[d] * g.dilations[d] - g.padBegin[d]
                        if i < 0 || i >= g.input[d] { inside = false; break }
                        base += i * inStrides[d]
                    }
                    if !inside {
                        dst.update(repeating: zero, count: outInner)
                    } else {
                        if lo > 0 { dst.update(repeating: zero, count: lo) }
                        let src = plane + base + offInner
                        if sInner == 1 {
                            if hi > lo { (dst + lo).update(from: src + lo, count: hi - lo) }
                        } else {
                            var j = lo
                            while j < hi { dst[j] = src[j * sInner]; j += 1 }
                        }
                        if hi < outInner { (dst + hi).update(repeating: zero, count: outInner - hi) }
                    }
                    // advance the outer output index
                    var d = last - 1
                    while d >= 0 {
                        oidx[d] += 1
                        if oidx[d] < g.output[d] { break }
                        oidx[d] = 0
                        d -= 1
                    }
                }
            }
        }
    }

    /// Adds the column matrix back into `channels` output planes (ConvTranspose):
    /// col row (c, kernel offset), column = input position; the inverse of im2col where
    /// `g.input` is the image being written and `g.output` the column positions.
    static func col2im<T>(_ col: UnsafePointer<T>, channels: Int, _ g: ConvGeometry, into y: UnsafeMutablePointer<T>, add: (T, T) -> T) {
        let nd = g.input.count
        let ks = g.kernelSize, colPlane = g.outPlane, imPlane = g.inPlane
        let imStrides = TensorValue.strides(for: g.input)
        var kidx = [Int](repeating: 0, count: nd)
        var oidx = [Int](repeating: 0, count: nd)
        for c in 0..<channels {
            let plane = y + c * imPlane
            for kk in 0..<ks {
                var r = kk
                for d in stride(from: nd - 1, through: 0, by: -1) { kidx[d] = r % g.kernel[d]; r /= g.kernel[d] }
                let row = col + (c * ks + kk) * colPlane
                for d in 0..<nd { oidx[d] = 0 }
                for o in 0..<colPlane {
                    var pos = 0
                    var inside = true
                    for d in 0..<nd {
                        let i = oidx[d] * g.strides[d] + kidx[d] * g.dilations[d] - g.padBegin[d]
                        if i < 0 || i >= g.input[d] { inside = false; break }
                        pos += i * imStrides[d]
                    }
                    if inside { plane[pos] = add(plane[pos], row[o]) }
                    var d = nd - 1
                    while d >= 0 {
                        oidx[d] += 1
                        if oidx[d] < g.output[d] { break }
                        oidx[d] = 0
                        d -= 1
                    }
                }
            }
        }
    }

    /// Float32 convolution through the blocked GEMM kernel per image and group: 1-D and
    /// 2-D kernels with unit stride along the last axis run `DirectConv` (no im2col),
    /// other 1-D and 2-D ones pack their columns directly (`fusedConv2D`), 3-D ones run
    /// im2col first, and 1x1 stride-1 unpadded ones multiply the input itself.
    ///
    /// With `relu`, the result is clamped at zero; with `pool` (only when DirectConv
    /// applies to a 2-D convolution of at least 2x2 outputs) it is then max-pooled by
    /// 2x2 windows at stride 2, to [N, M, OH / 2, OW / 2].
    static func floatConv(_ x: [Float], _ w: [Float], bias: [Float]?, _ g: ConvGeometry, relu: Bool = false, pool: Bool = false) -> [Float] {
        let cg = g.inChannels / g.group
        let kdim = cg * g.kernelSize
        let total = pool ? g.batch * g.outChannels * (g.output[0] / 2) * (g.output[1] / 2) : g.batch * g.outChannels * g.outPlane
        if total == 0 { return [] }
        let pointwise = g.isPointwise
        if !pointwise && kdim > 0 && DirectConv.applies(g) {
            // The kernel writes every output (the first pass stores rather than adds, the
            // last adds the bias and clamps), so the array starts uninitialized.
            return [Float](unsafeUninitializedCapacity: total) { yp, count in
                count = total
                guard let yb = yp.baseAddress else { return }
                x.withUnsafeBufferPointer { xp in
                    w.withUnsafeBufferPointer { wp in
                        guard let xb = xp.baseAddress, let wb = wp.baseAddress else { yb.initialize(repeating: 0, count: total); return }
                        if let bias {
                            bias.withUnsafeBufferPointer { DirectConv.run(xb, wb, yb, g, bias: $0.baseAddress, relu: relu, pool: pool) }
                        } else {
                            DirectConv.run(xb, wb, yb, g, bias: nil, relu: relu, pool: pool)
                        }
                    }
                }
            }
        }
        var y = floatConvGemm(x, w, bias: bias, g)
        if relu { FusedActivation.relu(&y) }
        return y
    }

    /// The convolutions DirectConv does not take: packed columns for 1-D and 2-D,
    /// im2col for 3-D, the input itself for pointwise ones.
    static func floatConvGemm(_ x: [Float], _ w: [Float], bias: [Float]?, _ g: ConvGeometry) -> [Float] {
        let cg = g.inChannels / g.group, mg = g.outChannels / g.group
        let kdim = cg * g.kernelSize, outPlane = g.outPlane, inPlane = g.inPlane
        let total = g.batch * g.outChannels * outPlane
        if total == 0 { return [] }
        let pointwise = g.isPointwise
        var y = [Float](repeating: 0, count: total)
        if !pointwise && g.input.count <= 2 && kdim > 0 {
            fusedConv2D(x, w, bias: bias, g, into: &y)
            return y
        }
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { yp in
                    guard let yb = yp.baseAddress else { return }
                    let xb = xp.baseAddress ?? UnsafePointer(yb), wb = wp.baseAddress ?? UnsafePointer(yb)
                    let work = 2.0 * Double(g.outChannels) * Double(kdim) * Double(outPlane)
                    let perImage = g.batch >= 2 && work * Double(g.batch) > 2e6
                    let image = { (n: Int, col: UnsafeMutablePointer<Float>?) in
                        for gi in 0..<g.group {
                            let xg = xb + (n * g.inChannels + gi * cg) * inPlane
                            let yg = yb + (n * g.outChannels + gi * mg) * outPlane
                            var accumulate = false
                            if let bias {
                                for m in 0..<mg { (yg + m * outPlane).update(repeating: bias[gi * mg + m], count: outPlane) }
                                accumulate = true
                            }
                            let bmat: UnsafePointer<Float>
                            if pointwise || kdim == 0 {
                                bmat = xg
                            } else if let col {
                                im2col(xg, channels: cg, g, into: col, zero: 0)
                                bmat = UnsafePointer(col)
                            } else { continue }
                            FloatGemm.multiply(
                                m: mg, n: outPlane, k: kdim,
                                a: .init(base: wb + gi * mg * kdim, rowStride: kdim, colStride: 1),
                                b: .init(base: bmat, rowStride: outPlane, colStride: 1),
                                c: yg, ldc: outPlane, accumulate: accumulate, parallel: !perImage)
                        }
                    }
                    let colSize = pointwise ? 0 : kdim * outPlane
                    if perImage {
                        Parallel.forChunks(g.batch, minimumChunk: 1) { r in
                            let col = colSize > 0 ? UnsafeMutablePointer<Float>.allocate(capacity: colSize) : nil
                            defer { col?.deallocate() }
                            for n in r { image(n, col) }
                        }
                    } else {
                        let col = colSize > 0 ? UnsafeMutablePointer<Float>.allocate(capacity: colSize) : nil
                        defer { col?.deallocate() }
                        for n in 0..<g.batch { image(n, col) }
                    }
                }
            }
        }
        return y
    }

    /// 1-D and 2-D float32 convolutions: the weights are packed once per group, and each
    /// image's im2col matrix is written straight into the GEMM's packed-B layout.
    static func fusedConv2D(_ x: [Float], _ w: [Float], bias: [Float]?, _ g: ConvGeometry, into y: inout [Float]) {
        let cg = g.inChannels / g.group, mg = g.outChannels / g.group
        let kdim = cg * g.kernelSize, outPlane = g.outPlane, inPlane = g.inPlane
        let aCount = FloatGemm.packedACount(m: mg, k: kdim), bCount = FloatGemm.packedBCount(n: outPlane, k: kdim)
        let work = 2.0 * Double(g.outChannels) * Double(kdim) * Double(outPlane)
        let perImage = g.batch >= 2 && work * Double(g.batch) > 2e6
        let packedW = UnsafeMutablePointer<Float>.allocate(capacity: max(1, g.group * aCount))
        defer { packedW.deallocate() }
        w.withUnsafeBufferPointer { wp in
            guard let wb = wp.baseAddress else { return }
            for gi in 0..<g.group {
                FloatGemm.packAllA(m: mg, k: kdim, a: .init(base: wb + gi * mg * kdim, rowStride: kdim, colStride: 1), into: packedW + gi * aCount)
            }
        }
        let pw = UnsafePointer(packedW)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                guard let xb = xp.baseAddress, let yb = yp.baseAddress else { return }
                let images = { (range: Range<Int>) in
                    let cols = UnsafeMutablePointer<Float>.allocate(capacity: bCount)
                    defer { cols.deallocate() }
                    for n in range {
                        for gi in 0..<g.group {
                            let yg = yb + (n * g.outChannels + gi * mg) * outPlane
                            if let bias {
                                for m in 0..<mg { (yg + m * outPlane).update(repeating: bias[gi * mg + m], count: outPlane) }
                            }
                            packColumns(xb + (n * g.inChannels + gi * cg) * inPlane, channels: cg, g, into: cols)
                            FloatGemm.multiply(m: mg, n: outPlane, k: kdim, a: .packed(pw + gi * aCount), packedB: UnsafePointer(cols),
                                               c: yg, ldc: outPlane, accumulate: bias != nil, parallel: !perImage)
                        }
                    }
                }
                if perImage {
                    Parallel.forChunks(g.batch, minimumChunk: 1, images)
                } else {
                    images(0..<g.batch)
                }
            }
        }
    }

    /// The im2col matrix of `channels` planes of a 1-D or 2-D convolution, written in
    /// FloatGemm's packed-B layout (kc blocks of the inner dimension, panels of nr
    /// output positions; positions past the end are zero).
    static func packColumns(_ x: UnsafePointer<Float>, channels: Int, _ g: ConvGeometry, into dst: UnsafeMutablePointer<Float>) {
        let two = g.input.count == 2
        let ih = two ? g.input[0] : 1, iw = two ? g.input[1] : g.input[0]
        let oh = two ? g.output[0] : 1, ow = two ? g.output[1] : g.output[0]
        let kh = two ? g.kernel[0] : 1, kw = two ? g.kernel[1] : g.kernel[0]
        let sh = two ? g.strides[0] : 1, sw = two ? g.strides[1] : g.strides[0]
        let dh = two ? g.dilations[0] : 1, dw = two ? g.dilations[1] : g.dilations[0]
        let pt = two ? g.padBegin[0] : 0, pl = two ? g.padBegin[1] : g.padBegin[0]
        let nr = FloatGemm.nr
        let kTotal = channels * kh * kw, positions = oh * ow
        let panels = (positions + nr - 1) / nr
        // Per inner index: the plane offset and the row and column shifts of its tap.
        var kPlane = [Int](repeating: 0, count: kTotal), kRow = kPlane, kCol = kPlane
        for c in 0..<channels { for a in 0..<kh { for b in 0..<kw {
            let kk = (c * kh + a) * kw + b
            kPlane[kk] = c * ih * iw; kRow[kk] = a * dh - pt; kCol[kk] = b * dw - pl
        } } }
        var py = [Int](repeating: 0, count: nr), px = py
        kPlane.withUnsafeBufferPointer { kp in kRow.withUnsafeBufferPointer { kr in kCol.withUnsafeBufferPointer { kcol in
            var p0 = 0
            while p0 < kTotal {
                let kl = min(FloatGemm.blockLength(kTotal), kTotal - p0)
                for jp in 0..<panels {
                    let out = dst + (p0 * panels + jp * kl) * nr
                    let j0 = jp * nr
                    let count = min(nr, positions - j0)
                    let oy0 = j0 / ow, ox0 = j0 - oy0 * ow
                    let oneRow = count == nr && ox0 + nr <= ow
                    if !oneRow {
                        for jj in 0..<nr {
                            let j = j0 + jj
                            py[jj] = j / ow; px[jj] = j - py[jj] * ow
                        }
                    }
                    for p in 0..<kl {
                        let kk = p0 + p
                        let o = out + p * nr
                        let plane = x + kp[kk]
                        if oneRow {
                            let iy = oy0 * sh + kr[kk]
                            if iy < 0 || iy >= ih { o.update(repeating: 0, count: nr); continue }
                            let row = plane + iy * iw
                            let ix0 = ox0 * sw + kcol[kk]
                            if sw == 1 && ix0 >= 0 && ix0 + nr <= iw {
                                var q = 0
                                while q < nr {
                                    UnsafeMutableRawPointer(o + q).storeBytes(of: UnsafeRawPointer(row + ix0 + q).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                                    q += 8
                                }
                            } else {
                                for jj in 0..<nr { let ix = ix0 + jj * sw; o[jj] = ix >= 0 && ix < iw ? row[ix] : 0 }
                            }
                        } else {
                            for jj in 0..<nr {
                                if jj >= count { o[jj] = 0; continue }
                                let iy = py[jj] * sh + kr[kk], ix = px[jj] * sw + kcol[kk]
                                o[jj] = iy >= 0 && iy < ih && ix >= 0 && ix < iw ? plane[iy * iw + ix] : 0
                            }
                        }
                    }
                }
                p0 += kl
            }
        } } }
    }

    /// Reference convolution for the other element types (Double, Int64).
    static func genericConv<T>(_ x: [T], _ w: [T], bias: [T]?, _ g: ConvGeometry, zero: T, mul: (T, T) -> T, add: (T, T) -> T) -> [T] {
        let cg = g.inChannels / g.group, mg = g.outChannels / g.group
        let kdim = cg * g.kernelSize, outPlane = g.outPlane, inPlane = g.inPlane
        var y = [T](repeating: zero, count: g.batch * g.outChannels * outPlane)
        if y.isEmpty { return y }
        var col = [T](repeating: zero, count: max(1, kdim * outPlane))
        x.withUnsafeBufferPointer { xp in
            guard let xb = xp.baseAddress else { return }
            col.withUnsafeMutableBufferPointer { cp in
                guard let cb = cp.baseAddress else { return }
                for n in 0..<g.batch {
                    for gi in 0..<g.group {
                        im2col(xb + (n * g.inChannels + gi * cg) * inPlane, channels: cg, g, into: cb, zero: zero)
                        for m in 0..<mg {
                            let oc = gi * mg + m
                            let yo = (n * g.outChannels + oc) * outPlane
                            var row = [T](repeating: bias?[oc] ?? zero, count: outPlane)
                            for q in 0..<kdim {
                                let wv = w[oc * kdim + q]
                                let crow = cb + q * outPlane
                                for j in 0..<outPlane { row[j] = add(row[j], mul(wv, crow[j])) }
                            }
                            for j in 0..<outPlane { y[yo + j] = row[j] }
                        }
                    }
                }
            }
        }
        return y
    }
}
