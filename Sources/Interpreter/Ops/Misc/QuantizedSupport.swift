import ONNX

/// Helpers shared by the quantized ops of this folder (QLinearMatMul, QLinearConv).
enum QuantizedSupport {
    /// Rounds a Float to the precision of a scale's element type (the reference computes
    /// `a_scale * b_scale / y_scale` in the scales' own type, rounding after each step).
    static func round(_ v: Float, to type: DataType) -> Float {
        switch type {
        case .float16: return Float(Float16(v))
        case .bfloat16: return BFloat16(v).float
        default: return v
        }
    }

    /// The saturation range of an 8-bit quantized type, or nil for other types.
    static func range(_ type: DataType) -> (lo: Double, hi: Double)? {
        switch type {
        case .uint8: return (0, 255)
        case .int8: return (-128, 127)
        default: return nil
        }
    }

    /// Throws unless `t` is int8 or uint8.
    static func requireInt8(_ t: TensorValue, _ what: String, _ context: RunContext) throws {
        guard range(t.dataType) != nil else {
            throw InterpreterError.unsupportedType(t.dataType, context: "\(context.nodeName) \(what)")
        }
    }

    /// Throws unless `t` is a floating-point scale.
    static func requireScale(_ t: TensorValue, _ what: String, _ context: RunContext) throws {
        guard t.dataType == .float || t.dataType == .float16 || t.dataType == .bfloat16 || t.dataType == .double else {
            throw InterpreterError.unsupportedType(t.dataType, context: "\(context.nodeName) \(what)")
        }
    }

    /// Saturates and rounds (half to even) a real value to an 8-bit type, stored as Int64.
    static func saturate(_ v: Double, _ r: (lo: Double, hi: Double)) -> Int64 {
        if v.isNaN { return 0 }
        return Int64(min(max(v.rounded(.toNearestOrEven), r.lo), r.hi))
    }
}

/// The convolution and matrix-product kernels of the quantized ops, kept in this
/// folder so that they do not depend on the NN family's internals.
enum QuantizedKernels {
    /// Sizes of one convolution: X [N, C, D...], W [M, C/group, k...].
    struct ConvGeometry {
        let batch: Int, inChannels: Int, outChannels: Int, group: Int
        let input: [Int], kernel: [Int], output: [Int]
        let strides: [Int], dilations: [Int], padBegin: [Int]
        var outPlane: Int { output.reduce(1, *) }
    }

    /// Conv's attributes, bound once.
    struct ConvAttributes {
        let autoPad: String
        let dilations: [Int]?, kernelShape: [Int]?, pads: [Int]?, strides: [Int]?
        let group: Int

        init(_ c: OpContext) throws {
            autoPad = try c.string("auto_pad", default: "NOTSET")
            dilations = try c.intsIfPresent("dilations").map { $0.map { Int($0) } }
            kernelShape = try c.intsIfPresent("kernel_shape").map { $0.map { Int($0) } }
            pads = try c.intsIfPresent("pads").map { $0.map { Int($0) } }
            strides = try c.intsIfPresent("strides").map { $0.map { Int($0) } }
            group = Int(try c.int("group", default: 1))
            guard group >= 1 else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "group", message: "must be >= 1") }
            guard ["NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"].contains(autoPad) else {
                throw InterpreterError.badAttribute(node: c.nodeName, attribute: "auto_pad", message: "unknown value \"\(autoPad)\"")
            }
        }

        func geometry(x: [Int], w: [Int], _ context: RunContext) throws -> ConvGeometry {
            let node = context.nodeName
            guard x.count >= 3, w.count == x.count else {
                throw InterpreterError.shapeMismatch(node: node, message: "x \(x) and w \(w) must have equal rank >= 3")
            }
            let nd = x.count - 2
            guard x[1] == w[1] * group, w[0] % group == 0 else {
                throw InterpreterError.shapeMismatch(node: node, message: "x \(x) and w \(w) do not fit group \(group)")
            }
            let k = Array(w[2...]), input = Array(x[2...])
            if let ks = kernelShape, ks != k { throw InterpreterError.shapeMismatch(node: node, message: "kernel_shape \(ks) differs from w's \(k)") }
            func list(_ v: [Int]?, _ name: String, _ count: Int, _ d: Int, min lo: Int) throws -> [Int] {
                guard let v else { return [Int](repeating: d, count: count) }
                guard v.count == count, v.allSatisfy({ $0 >= lo }) else { throw context.invalid("\(name) \(v) does not fit \(nd) spatial axes") }
                return v
            }
            let st = try list(strides, "strides", nd, 1, min: 1)
            let dl = try list(dilations, "dilations", nd, 1, min: 1)
            var begin = [Int](repeating: 0, count: nd), end = begin
            if autoPad == "NOTSET" {
                let p = try list(pads, "pads", 2 * nd, 0, min: 0)
                begin = Array(p[..<nd]); end = Array(p[nd...])
            } else if autoPad != "VALID" {
                for i in 0..<nd {
                    let out = (input[i] + st[i] - 1) / st[i]
                    let total = max(0, (out - 1) * st[i] + (k[i] - 1) * dl[i] + 1 - input[i])
                    begin[i] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2
                    end[i] = total - begin[i]
                }
            }
            var out: [Int] = []
            for i in 0..<nd {
                let span = input[i] + begin[i] + end[i] - ((k[i] - 1) * dl[i] + 1)
                guard span >= 0 else { throw context.invalid("the kernel \(k) is larger than the padded input \(input)") }
                out.append(span / st[i] + 1)
            }
            return ConvGeometry(batch: x[0], inChannels: x[1], outChannels: w[0], group: group, input: input, kernel: k, output: out,
                                strides: st, dilations: dl, padBegin: begin)
        }
    }

    /// Direct integer convolution with int32 wrap-around accumulation; taps in the
    /// padding contribute zero (the inputs already have their zero points removed).
    static func conv(_ x: [Int32], _ w: [Int32], bias: [Int32]?, _ g: ConvGeometry) -> [Int32] {
        let nd = g.input.count, outPlane = g.outPlane, inPlane = g.input.reduce(1, *)
        let taps = g.kernel.reduce(1, *)
        let cg = g.inChannels / g.group, mg = g.outChannels / g.group
        let inStrides = TensorValue.strides(for: g.input)
        let kStrides = TensorValue.strides(for: g.kernel), oStrides = TensorValue.strides(for: g.output)
        // For each (output position, tap): the input offset within a plane, or -1.
        var source = [Int](repeating: -1, count: outPlane * taps)
        for o in 0..<outPlane {
            for t in 0..<taps {
                var flat = 0, inside = true
                for d in 0..<nd {
                    let od = (o / oStrides[d]) % g.output[d], kd = (t / kStrides[d]) % g.kernel[d]
                    let p = od * g.strides[d] - g.padBegin[d] + kd * g.dilations[d]
                    if p < 0 || p >= g.input[d] { inside = false; break }
                    flat += p * inStrides[d]
                }
                if inside { source[o * taps + t] = flat }
            }
        }
        var y = [Int32](repeating: 0, count: g.batch * g.outChannels * outPlane)
        for n in 0..<g.batch {
            for oc in 0..<g.outChannels {
                let gi = oc / max(1, mg)
                let yo = (n * g.outChannels + oc) * outPlane
                for o in 0..<outPlane {
                    var acc: Int32 = bias?[oc] ?? 0
                    for c in 0..<cg {
                        let xo = (n * g.inChannels + gi * cg + c) * inPlane, wo = (oc * cg + c) * taps
                        for t in 0..<taps {
                            let s = source[o * taps + t]
                            if s >= 0 { acc = acc &+ x[xo + s] &* w[wo + t] }
                        }
                    }
                    y[yo + o] = acc
                }
            }
        }
        return y
    }

    /// numpy matmul shapes: batch dims broadcast, 1-D operands promoted and dropped.
    struct MatMulPlan {
        let m: Int, k: Int, n: Int
        /// Per output batch element, the matrix indices into A and B.
        let aIndex: [Int], bIndex: [Int]
        let aBatches: Int, bBatches: Int
        let outShape: [Int]
        var outBatches: Int { aIndex.count }
    }

    static func matMulPlan(_ sa: [Int], _ sb: [Int], _ context: RunContext) throws -> MatMulPlan {
        guard !sa.isEmpty, !sb.isEmpty else { throw context.invalid("matrix operands must have rank >= 1") }
        let a2 = sa.count == 1 ? [1, sa[0]] : sa, b2 = sb.count == 1 ? [sb[0], 1] : sb
        let m = a2[a2.count - 2], k = a2[a2.count - 1], n = b2[b2.count - 1]
        guard k == b2[b2.count - 2] else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "inner dimensions differ: \(sa) x \(sb)")
        }
        let ba = Array(a2.dropLast(2)), bb = Array(b2.dropLast(2))
        guard let batch = Broadcast.shape([ba, bb]) else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "batch dimensions \(ba) and \(bb) do not broadcast")
        }
        var out = batch
        if sa.count > 1 { out.append(m) }
        if sb.count > 1 { out.append(n) }
        return MatMulPlan(m: m, k: k, n: n, aIndex: Broadcast.indexMap(from: ba, to: batch), bIndex: Broadcast.indexMap(from: bb, to: batch),
                          aBatches: ba.reduce(1, *), bBatches: bb.reduce(1, *), outShape: out)
    }

    /// Batched integer product with int32 wrap-around accumulation.
    static func matMul(_ a: [Int32], _ b: [Int32], _ p: MatMulPlan) -> [Int32] {
        let (m, k, n) = (p.m, p.k, p.n)
        var y = [Int32](repeating: 0, count: p.outBatches * m * n)
        for ob in 0..<p.outBatches {
            let ao = p.aIndex[ob] * m * k, bo = p.bIndex[ob] * k * n, yo = ob * m * n
            for r in 0..<m {
                for q in 0..<k {
                    let av = a[ao + r * k + q]
                    if av == 0 { continue }
                    let brow = bo + q * n
                    for c in 0..<n { y[yo + r * n + c] = y[yo + r * n + c] &+ av &* b[brow + c] }
                }
            }
        }
        return y
    }
}
