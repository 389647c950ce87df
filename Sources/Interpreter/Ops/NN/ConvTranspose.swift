import ONNX

/// ConvTranspose: the gradient of Conv. Each input position scatters W times its value
/// into the output (a GEMM W^T x X, then col2im). The output size comes from pads and
/// output_padding, or from output_shape (pads then derived from the difference; the
/// larger half goes at the beginning unless auto_pad is SAME_UPPER, as in onnx's
/// reference).
struct ConvTranspose: Operator {
    static let opType = "ConvTranspose"
    static let sinceVersions: [Int64] = [1, 11, 22]
    let attributes: ConvAttributes
    let outputPadding: [Int]?
    let outputShape: [Int]?

    init(_ c: OpContext) throws {
        attributes = try ConvAttributes(c)
        outputPadding = try c.intsIfPresent("output_padding").map { $0.map { Int($0) } }
        outputShape = try c.intsIfPresent("output_shape").map { $0.map { Int($0) } }
    }

    func geometry(x: [Int], w: [Int], _ context: RunContext) throws -> ConvGeometry {
        let a = attributes
        guard x.count >= 3, w.count == x.count else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "ConvTranspose needs X and W of equal rank >= 3, got \(x) and \(w)")
        }
        let nd = x.count - 2
        guard x[1] == w[0], w[0] % a.group == 0 else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "X \(x) and W \(w) do not fit group \(a.group)")
        }
        let input = Array(x[2...]), kernel = Array(w[2...])
        if let ks = a.kernelShape, ks != kernel {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "kernel_shape \(ks) differs from W's \(kernel)")
        }
        let strides = try a.list(a.strides, "strides", count: nd, default: 1, context)
        let dilations = try a.list(a.dilations, "dilations", count: nd, default: 1, context)
        var outPad = [Int](repeating: 0, count: nd)
        if let op = outputPadding {
            // Some exporters write begin and end values; the end values are the ones that count.
            if op.count == nd { outPad = op } else if op.count == 2 * nd { outPad = Array(op[nd...]) } else {
                throw context.invalid("output_padding has \(op.count) values for \(nd) spatial axes")
            }
        }
        let eff = (0..<nd).map { (kernel[$0] - 1) * dilations[$0] + 1 }
        let natural = (0..<nd).map { strides[$0] * (input[$0] - 1) + outPad[$0] + eff[$0] }
        var begin = [Int](repeating: 0, count: nd)
        var out = [Int](repeating: 0, count: nd)
        func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
        let explicitPads = a.pads != nil && a.autoPad != "SAME_UPPER" && a.autoPad != "SAME_LOWER"
        var target: [Int]? = nil
        if let os = outputShape {
            guard os.count >= nd else { throw context.invalid("output_shape has \(os.count) values for \(nd) spatial axes") }
            target = Array(os.suffix(nd))
        } else if !explicitPads && (a.autoPad == "SAME_UPPER" || a.autoPad == "SAME_LOWER") {
            target = (0..<nd).map { input[$0] * strides[$0] }
        }
        if explicitPads, let p = a.pads {
            guard p.count == 2 * nd else { throw context.invalid("pads has \(p.count) values for \(nd) spatial axes") }
            for i in 0..<nd {
                begin[i] = p[i]
                out[i] = target?[i] ?? (natural[i] - p[i] - p[nd + i])
            }
        } else if let target {
            for i in 0..<nd {
                let total = natural[i] - target[i]
                begin[i] = a.autoPad == "SAME_UPPER" ? floorDiv(total, 2) : total - floorDiv(total, 2)
                out[i] = target[i]
            }
        } else {
            out = natural
        }
        guard out.allSatisfy({ $0 >= 0 }) else { throw context.invalid("ConvTranspose output size \(out) is negative") }
        // In the col2im convention `input` is the image written and `output` the positions read.
        return ConvGeometry(batch: x[0], inChannels: x[1], outChannels: w[1] * a.group, group: a.group,
                            input: out, kernel: kernel, output: input, strides: strides, dilations: dilations, padBegin: begin)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), w = try context.tensor(inputs, 1)
        let b = try context.optionalTensor(inputs, 2)
        guard x.dataType == w.dataType else { throw context.invalid("X and W have different element types") }
        let g = try geometry(x: x.shape, w: w.shape, context)
        if let b, b.count != g.outChannels {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "B has \(b.count) elements for \(g.outChannels) output channels")
        }
        let shape = [g.batch, g.outChannels] + g.input
        switch x.dataType {
        case .float, .float16, .bfloat16:
            let y = floats(try x.floats(), try w.floats(), try b?.floats(), g)
            return [.tensor(x.dataType == .float ? TensorValue(floats: y, shape: shape) : try .converting(y, to: x.dataType, shape: shape))]
        case .double:
            let y = doubles(try x.doubles(), try w.doubles(), try b?.doubles(), g)
            return [.tensor(TensorValue(doubles: y, shape: shape))]
        default:
            throw InterpreterError.unsupportedType(x.dataType, context: "ConvTranspose")
        }
    }

    private func floats(_ x: [Float], _ w: [Float], _ bias: [Float]?, _ g: ConvGeometry) -> [Float] {
        let cg = g.inChannels / g.group, mg = g.outChannels / g.group
        let rows = mg * g.kernelSize, positions = g.outPlane, imPlane = g.inPlane
        var y = [Float](repeating: 0, count: g.batch * g.outChannels * imPlane)
        if y.isEmpty { return y }
        var col = [Float](repeating: 0, count: max(1, rows * positions))
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                col.withUnsafeMutableBufferPointer { cp in
                    y.withUnsafeMutableBufferPointer { yp in
                        guard let cb = cp.baseAddress, let yb = yp.baseAddress else { return }
                        let xb = xp.baseAddress ?? UnsafePointer(cb), wb = wp.baseAddress ?? UnsafePointer(cb)
                        for n in 0..<g.batch {
                            for gi in 0..<g.group {
                                FloatGemm.multiply(
                                    m: rows, n: positions, k: cg,
                                    a: .init(base: wb + gi * cg * rows, rowStride: 1, colStride: rows),
                                    b: .init(base: xb + (n * g.inChannels + gi * cg) * positions, rowStride: positions, colStride: 1),
                                    c: cb, ldc: positions)
                                ConvCompute.col2im(UnsafePointer(cb), channels: mg, g, into: yb + (n * g.outChannels + gi * mg) * imPlane, add: +)
                            }
                        }
                    }
                }
            }
        }
        if let bias { addBias(&y, bias, g) }
        return y
    }

    private func doubles(_ x: [Double], _ w: [Double], _ bias: [Double]?, _ g: ConvGeometry) -> [Double] {
        let cg = g.inChannels / g.group, mg = g.outChannels / g.group
        let rows = mg * g.kernelSize, positions = g.outPlane, imPlane = g.inPlane
        var y = [Double](repeating: 0, count: g.batch * g.outChannels * imPlane)
        if y.isEmpty { return y }
        var col = [Double](repeating: 0, count: max(1, rows * positions))
        for n in 0..<g.batch {
            for gi in 0..<g.group {
                for i in col.indices { col[i] = 0 }
                for c in 0..<cg {
                    let xo = (n * g.inChannels + gi * cg + c) * positions
                    let wo = (gi * cg + c) * rows
                    for r in 0..<rows {
                        let wv = w[wo + r]
                        for p in 0..<positions { col[r * positions + p] += wv * x[xo + p] }
                    }
                }
                col.withUnsafeBufferPointer { cp in
                    y.withUnsafeMutableBufferPointer { yp in
                        guard let cb = cp.baseAddress, let yb = yp.baseAddress else { return }
                        ConvCompute.col2im(cb, channels: mg, g, into: yb + (n * g.outChannels + gi * mg) * imPlane, add: +)
                    }
                }
            }
        }
        if let bias { addBias(&y, bias, g) }
        return y
    }

    private func addBias<T: FloatingPoint>(_ y: inout [T], _ bias: [T], _ g: ConvGeometry) {
        let plane = g.inPlane
        for n in 0..<g.batch {
            for c in 0..<g.outChannels {
                let o = (n * g.outChannels + c) * plane
                for i in 0..<plane { y[o + i] += bias[c] }
            }
        }
    }
}
