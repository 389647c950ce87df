import ONNX

/// The attributes shared by MaxPool, AveragePool and LpPool.
struct PoolAttributes {
    let autoPad: String
    let kernel: [Int]
    let strides: [Int]?
    let pads: [Int]?
    let dilations: [Int]?
    let ceilMode: Bool

    init(_ c: OpContext) throws {
        autoPad = try c.string("auto_pad", default: "NOTSET")
        kernel = try c.ints("kernel_shape").map { Int($0) }
        strides = try c.intsIfPresent("strides").map { $0.map { Int($0) } }
        pads = try c.intsIfPresent("pads").map { $0.map { Int($0) } }
        dilations = c.schema?.attributes["dilations"] != nil ? try c.intsIfPresent("dilations").map { $0.map { Int($0) } } : nil
        ceilMode = c.schema?.attributes["ceil_mode"] != nil ? try c.int("ceil_mode", default: 0) != 0 : false
        guard kernel.allSatisfy({ $0 >= 1 }) else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "kernel_shape", message: "must be positive")
        }
    }
}

/// Where each pooling window lies: per spatial axis and output index, the valid input
/// indices and the number of taps inside the padded extent.
struct PoolGeometry {
    let batch: Int, channels: Int
    let input: [Int], output: [Int]
    /// taps[d][o]: input indices along axis d read by output o.
    let taps: [[[Int]]]
    /// padded[d][o]: taps of output o along axis d inside [-pad_begin, in + pad_end).
    let padded: [[Int]]

    init(shape: [Int], _ a: PoolAttributes, _ context: RunContext) throws {
        guard shape.count >= 3 else { throw context.invalid("pooling needs an input of rank >= 3, got \(shape)") }
        let nd = shape.count - 2
        guard a.kernel.count == nd else { throw context.invalid("kernel_shape has \(a.kernel.count) values for \(nd) spatial axes") }
        batch = shape[0]; channels = shape[1]
        input = Array(shape[2...])
        let strides = a.strides ?? [Int](repeating: 1, count: nd)
        let dil = a.dilations ?? [Int](repeating: 1, count: nd)
        guard strides.count == nd, dil.count == nd, strides.allSatisfy({ $0 >= 1 }), dil.allSatisfy({ $0 >= 1 }) else {
            throw context.invalid("strides \(strides) or dilations \(dil) do not fit \(nd) spatial axes")
        }
        let eff = (0..<nd).map { (a.kernel[$0] - 1) * dil[$0] + 1 }
        var begin = [Int](repeating: 0, count: nd), end = begin
        var out = [Int](repeating: 0, count: nd)
        switch a.autoPad {
        case "SAME_UPPER", "SAME_LOWER":
            for i in 0..<nd {
                out[i] = (input[i] - 1) / strides[i] + 1
                let total = max(0, (out[i] - 1) * strides[i] + eff[i] - input[i])
                if a.autoPad == "SAME_UPPER" { begin[i] = total / 2; end[i] = total - total / 2 } else { begin[i] = total - total / 2; end[i] = total / 2 }
            }
        case "VALID":
            for i in 0..<nd {
                guard input[i] >= eff[i] else { throw context.invalid("the window \(eff) is larger than the input \(input)") }
                out[i] = (input[i] - eff[i]) / strides[i] + 1
            }
        case "NOTSET", "":
            if let p = a.pads {
                guard p.count == 2 * nd else { throw context.invalid("pads has \(p.count) values for \(nd) spatial axes") }
                guard p.allSatisfy({ $0 >= 0 }) else { throw context.invalid("pads must not be negative, got \(p)") }
                begin = Array(p[0..<nd]); end = Array(p[nd...])
            }
            for i in 0..<nd {
                let span = input[i] + begin[i] + end[i] - eff[i]
                guard span >= 0 else { throw context.invalid("the window \(eff) is larger than the padded input") }
                if a.ceilMode {
                    var o = (span + strides[i] - 1) / strides[i] + 1
                    if (o - 1) * strides[i] >= input[i] + begin[i] { o -= 1 }
                    out[i] = o
                } else {
                    out[i] = span / strides[i] + 1
                }
            }
        default:
            throw context.invalid("unknown auto_pad '\(a.autoPad)'")
        }
        output = out
        var taps: [[[Int]]] = [], padded: [[Int]] = []
        for d in 0..<nd {
            var td: [[Int]] = [], pd: [Int] = []
            for o in 0..<out[d] {
                let start = o * strides[d] - begin[d]
                var t: [Int] = []
                var inPad = 0
                for k in 0..<a.kernel[d] {
                    let i = start + k * dil[d]
                    if i >= 0 && i < input[d] { t.append(i) }
                    if i < input[d] + end[d] { inPad += 1 }
                }
                td.append(t); pd.append(inPad)
            }
            taps.append(td); padded.append(pd)
        }
        self.taps = taps
        self.padded = padded
    }

    var outPlane: Int { output.reduce(1, *) }
    var inPlane: Int { input.reduce(1, *) }

    enum Kind { case max, average(includePad: Bool), lp(Double) }

    /// Pools every plane. For max, also the flat input index of each maximum
    /// (row-major, or column-major spatial order when `columnMajor`).
    func pool<R: NNReal>(_ x: [R], _ kind: Kind, columnMajor: Bool = false, wantIndices: Bool = false) -> ([R], [Int64]) {
        let nd = input.count
        let planes = batch * channels
        let outPlane = self.outPlane, inPlane = self.inPlane
        var y = [R](repeating: 0, count: planes * outPlane)
        var idx = [Int64](repeating: 0, count: wantIndices ? planes * outPlane : 0)
        if y.isEmpty { return (y, idx) }
        let inStrides = TensorValue.strides(for: input)
        var colStrides = [Int](repeating: 1, count: nd)
        for d in 1..<max(1, nd) { colStrides[d] = colStrides[d - 1] * input[d - 1] }
        // Per output position: the flat offsets of its window (computed once, reused per plane).
        var windowStart = [Int](repeating: 0, count: outPlane + 1)
        var offsets: [Int] = []
        var divisors = [Int](repeating: 0, count: outPlane)
        var o = [Int](repeating: 0, count: nd)
        for p in 0..<outPlane {
            windowStart[p] = offsets.count
            var count = 1, padCount = 1
            for d in 0..<nd { count *= taps[d][o[d]].count; padCount *= padded[d][o[d]] }
            if count > 0 {
                var t = [Int](repeating: 0, count: nd)
                for _ in 0..<count {
                    var off = 0
                    for d in 0..<nd { off += taps[d][o[d]][t[d]] * inStrides[d] }
                    offsets.append(off)
                    var d = nd - 1
                    while d >= 0 { t[d] += 1; if t[d] < taps[d][o[d]].count { break }; t[d] = 0; d -= 1 }
                }
            }
            if case .average(let inc) = kind { divisors[p] = inc ? padCount : count }
            var d = nd - 1
            while d >= 0 { o[d] += 1; if o[d] < output[d] { break }; o[d] = 0; d -= 1 }
        }
        windowStart[outPlane] = offsets.count
        let offs = offsets, starts = windowStart, divs = divisors
        let columnStrides = colStrides, rowStrides = inStrides
        func columnIndex(_ off: Int) -> Int {
            var r = off, c = 0
            for d in 0..<nd { let i = r / rowStrides[d]; r -= i * rowStrides[d]; c += i * columnStrides[d] }
            return c
        }
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                idx.withUnsafeMutableBufferPointer { ip in
                    offs.withUnsafeBufferPointer { op in
                        starts.withUnsafeBufferPointer { sp in
                            guard let xb = xp.baseAddress, let yb = yp.baseAddress else { return }
                            let ib = ip.baseAddress, ob = op.baseAddress, sb = sp.baseAddress!
                            let minChunk = max(1, 65536 / max(1, outPlane * max(1, offs.count / max(1, outPlane))))
                            Parallel.forChunks(planes, minimumChunk: minChunk) { range in
                                for plane in range {
                                    let xo = xb + plane * inPlane, yo = yb + plane * outPlane
                                    switch kind {
                                    case .max where !wantIndices:
                                        // Branch-free maximum; NaN propagates.
                                        for p in 0..<outPlane {
                                            let lo = sb[p], hi = sb[p + 1]
                                            var best = -R.infinity
                                            var nan: UInt8 = 0
                                            var q = lo
                                            while q < hi {
                                                let v = xo[ob![q]]
                                                best = v > best ? v : best
                                                nan |= v != v ? 1 : 0
                                                q += 1
                                            }
                                            yo[p] = nan != 0 ? R.nan : best
                                        }
                                    case .max:
                                        for p in 0..<outPlane {
                                            let lo = sb[p], hi = sb[p + 1]
                                            var best = -R.infinity, at = lo < hi ? ob![lo] : 0
                                            var q = lo
                                            while q < hi {
                                                let v = xo[ob![q]]
                                                if v > best || (v.isNaN && !best.isNaN) { best = v; at = ob![q] }
                                                q += 1
                                            }
                                            yo[p] = best
                                            if wantIndices, let ib {
                                                ib[plane * outPlane + p] = Int64(plane * inPlane + (columnMajor ? columnIndex(at) : at))
                                            }
                                        }
                                    case .average:
                                        for p in 0..<outPlane {
                                            let lo = sb[p], hi = sb[p + 1]
                                            var s: R = 0
                                            var q = lo
                                            while q < hi { s += xo[ob![q]]; q += 1 }
                                            yo[p] = divs[p] > 0 ? s / R(Double(divs[p])) : R.nan
                                        }
                                    case .lp(let pw):
                                        for p in 0..<outPlane {
                                            let lo = sb[p], hi = sb[p + 1]
                                            var s: Double = 0
                                            var q = lo
                                            while q < hi { s += Double.pow(abs(xo[ob![q]].double), pw); q += 1 }
                                            yo[p] = R(Double.pow(s, 1 / pw))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (y, idx)
    }
}
