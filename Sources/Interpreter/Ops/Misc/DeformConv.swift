import ONNX

/// DeformConv (versions 19, 22): a convolution whose kernel taps are moved by learned
/// offsets. For output position o and kernel tap k of offset group g, the tap reads the
/// input at p = o * stride - pad_begin + k * dilation + offset[n, g, k, :, o], by
/// (multi)linear interpolation with zeros outside the input (GridSample with
/// align_corners=1 and zero padding, as the reference does), times mask[n, g, k, o]
/// when a mask is given; then the taps are weighted by W and summed per group, plus B.
/// offset has shape [N, offset_group * prod(kernel) * nd, out...], laid out
/// (group, kernel tap, axis); mask [N, offset_group * prod(kernel), out...].
/// Any number of spatial axes is accepted (the reference handles 2-D).
struct DeformConv: Operator {
    static let opType = "DeformConv"
    static let sinceVersions: [Int64] = [19, 22]
    let dilations: [Int]?, kernelShape: [Int]?, pads: [Int]?, strides: [Int]?
    let group: Int, offsetGroup: Int

    init(_ c: OpContext) throws {
        dilations = try c.intsIfPresent("dilations").map { $0.map { Int($0) } }
        kernelShape = try c.intsIfPresent("kernel_shape").map { $0.map { Int($0) } }
        pads = try c.intsIfPresent("pads").map { $0.map { Int($0) } }
        strides = try c.intsIfPresent("strides").map { $0.map { Int($0) } }
        group = Int(try c.int("group", default: 1))
        offsetGroup = Int(try c.int("offset_group", default: 1))
        guard group >= 1 else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "group", message: "must be >= 1") }
        guard offsetGroup >= 1 else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "offset_group", message: "must be >= 1") }
    }

    /// Validated sizes of one DeformConv.
    struct Geometry {
        let batch: Int, inChannels: Int, outChannels: Int
        let input: [Int], kernel: [Int], output: [Int]
        let strides: [Int], dilations: [Int], padBegin: [Int]
        var inPlane: Int { input.reduce(1, *) }
        var outPlane: Int { output.reduce(1, *) }
        var taps: Int { kernel.reduce(1, *) }
    }

    func geometry(_ x: TensorValue, _ w: TensorValue, _ offset: TensorValue, _ mask: TensorValue?, _ bias: TensorValue?,
                  _ context: RunContext) throws -> Geometry {
        let node = context.nodeName
        guard x.rank >= 3, w.rank == x.rank else {
            throw InterpreterError.shapeMismatch(node: node, message: "X \(x.shape) and W \(w.shape) must have equal rank >= 3")
        }
        let nd = x.rank - 2
        let n = x.shape[0], c = x.shape[1], m = w.shape[0]
        guard c == w.shape[1] * group, m % group == 0 else {
            throw InterpreterError.shapeMismatch(node: node, message: "X \(x.shape) and W \(w.shape) do not fit group \(group)")
        }
        guard c % offsetGroup == 0 else { throw context.invalid("\(c) input channels do not divide into offset_group \(offsetGroup)") }
        let k = Array(w.shape[2...])
        if let ks = kernelShape, ks != k { throw InterpreterError.shapeMismatch(node: node, message: "kernel_shape \(ks) differs from W's \(k)") }
        func list(_ v: [Int]?, _ name: String, _ count: Int, _ d: Int, min lo: Int) throws -> [Int] {
            guard let v else { return [Int](repeating: d, count: count) }
            guard v.count == count, v.allSatisfy({ $0 >= lo }) else { throw context.invalid("\(name) \(v) does not fit \(nd) spatial axes") }
            return v
        }
        let st = try list(strides, "strides", nd, 1, min: 1)
        let dl = try list(dilations, "dilations", nd, 1, min: 1)
        let pd = try list(pads, "pads", 2 * nd, 0, min: 0)
        let input = Array(x.shape[2...])
        var out: [Int] = []
        for i in 0..<nd {
            let span = input[i] + pd[i] + pd[nd + i] - ((k[i] - 1) * dl[i] + 1)
            guard span >= 0 else { throw context.invalid("the kernel \(k) is larger than the padded input \(input)") }
            out.append(span / st[i] + 1)
        }
        let taps = k.reduce(1, *)
        let wantOffset = [n, offsetGroup * taps * nd] + out
        guard offset.shape == wantOffset else {
            throw InterpreterError.shapeMismatch(node: node, message: "offset has shape \(offset.shape); expected \(wantOffset)")
        }
        if let mask {
            let want = [n, offsetGroup * taps] + out
            guard mask.shape == want else { throw InterpreterError.shapeMismatch(node: node, message: "mask has shape \(mask.shape); expected \(want)") }
        }
        if let bias, bias.count != m { throw InterpreterError.shapeMismatch(node: node, message: "B has \(bias.count) values for \(m) output channels") }
        return Geometry(batch: n, inChannels: c, outChannels: m, input: input, kernel: k, output: out,
                        strides: st, dilations: dl, padBegin: Array(pd[..<nd]))
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), w = try context.tensor(inputs, 1), offset = try context.tensor(inputs, 2)
        let bias = try context.optionalTensor(inputs, 3), mask = try context.optionalTensor(inputs, 4)
        try MiscSupport.requireReal(x, "X", context)
        let g = try geometry(x, w, offset, mask, bias, context)
        let shape = [g.batch, g.outChannels] + g.output
        if x.dataType == .double {
            let y = compute(try x.doubles(), try w.doubles(), try offset.doubles(), try mask?.doubles(), try bias?.doubles(), g)
            return [.tensor(TensorValue(doubles: y, shape: shape))]
        }
        let y = compute(try x.floats(), try w.floats(), try offset.floats(), try mask?.floats(), try bias?.floats(), g)
        return [.tensor(try MiscSupport.real(y, x.dataType, shape: shape))]
    }

    func compute<T: BinaryFloatingPoint>(_ x: [T], _ w: [T], _ offset: [T], _ mask: [T]?, _ bias: [T]?, _ g: Geometry) -> [T] {
        let nd = g.input.count, taps = g.taps, outPlane = g.outPlane, inPlane = g.inPlane
        let corners = 1 << nd
        let cg = g.inChannels / group, mg = g.outChannels / group
        let cPerOffset = g.inChannels / offsetGroup
        let inStrides = TensorValue.strides(for: g.input)
        let kStrides = TensorValue.strides(for: g.kernel), oStrides = TensorValue.strides(for: g.output)
        var y = [T](repeating: 0, count: g.batch * g.outChannels * outPlane)
        if y.isEmpty { return y }
        // Per (offset group, tap, output position): the flat input index and weight of
        // each interpolation corner (index -1 for a corner outside the input).
        var cornerIndex = [Int](repeating: -1, count: offsetGroup * taps * outPlane * corners)
        var cornerWeight = [T](repeating: 0, count: cornerIndex.count)
        // Column matrix of one image: row (channel, tap), one column per output position.
        var col = [T](repeating: 0, count: g.inChannels * taps * outPlane)
        var kk = [Int](repeating: 0, count: nd), oo = [Int](repeating: 0, count: nd)
        var base = [Int](repeating: 0, count: nd), frac = [T](repeating: 0, count: nd)
        for n in 0..<g.batch {
            for og in 0..<offsetGroup {
                for k in 0..<taps {
                    var r = k
                    for d in 0..<nd { kk[d] = r / kStrides[d]; r %= kStrides[d] }
                    for o in 0..<outPlane {
                        var q = o
                        for d in 0..<nd { oo[d] = q / oStrides[d]; q %= oStrides[d] }
                        for d in 0..<nd {
                            let ch = ((og * taps + k) * nd + d)
                            let off = offset[(n * offsetGroup * taps * nd + ch) * outPlane + o]
                            let p = T(oo[d] * g.strides[d] - g.padBegin[d] + kk[d] * g.dilations[d]) + off
                            let f = p.rounded(.down)
                            // Far-out positions only need to stay outside the input.
                            base[d] = f.isFinite ? Int(max(min(f, T(g.input[d] + 1)), -2)) : -2
                            frac[d] = f.isFinite ? p - f : 0
                        }
                        let m: T = mask.map { $0[(n * offsetGroup * taps + og * taps + k) * outPlane + o] } ?? 1
                        let slot = ((og * taps + k) * outPlane + o) * corners
                        for cidx in 0..<corners {
                            var wgt: T = m, flat = 0, inside = true
                            for d in 0..<nd {
                                let up = (cidx >> (nd - 1 - d)) & 1 == 1
                                let pos = base[d] + (up ? 1 : 0)
                                if pos < 0 || pos >= g.input[d] { inside = false; break }
                                flat += pos * inStrides[d]
                                wgt *= up ? frac[d] : 1 - frac[d]
                            }
                            cornerIndex[slot + cidx] = inside ? flat : -1
                            cornerWeight[slot + cidx] = inside ? wgt : 0
                        }
                    }
                }
            }
            for c in 0..<g.inChannels {
                let og = c / cPerOffset
                let xo = (n * g.inChannels + c) * inPlane
                for k in 0..<taps {
                    let row = (c * taps + k) * outPlane
                    for o in 0..<outPlane {
                        let slot = ((og * taps + k) * outPlane + o) * corners
                        var s: T = 0
                        for cidx in 0..<corners {
                            let i = cornerIndex[slot + cidx]
                            if i >= 0 { s += cornerWeight[slot + cidx] * x[xo + i] }
                        }
                        col[row + o] = s
                    }
                }
            }
            let kdim = cg * taps
            for oc in 0..<g.outChannels {
                let gi = oc / mg
                let yo = (n * g.outChannels + oc) * outPlane
                let b: T = bias?[oc] ?? 0
                for o in 0..<outPlane { y[yo + o] = b }
                for q in 0..<kdim {
                    let wv = w[oc * kdim + q]
                    let crow = (gi * cg) * taps * outPlane + q * outPlane
                    for o in 0..<outPlane { y[yo + o] += wv * col[crow + o] }
                }
            }
        }
        return y
    }
}
