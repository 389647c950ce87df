import ONNX

/// MaxPool: the maximum of each window (padding never wins), and from version 8 the
/// flat input index of each maximum (storage_order 1: column-major spatial order).
struct MaxPool: Operator {
    static let opType = "MaxPool"
    static let sinceVersions: [Int64] = [1, 8, 10, 11, 12, 22]
    let attributes: PoolAttributes
    let columnMajor: Bool
    let wantIndices: Bool

    init(_ c: OpContext) throws {
        attributes = try PoolAttributes(c)
        wantIndices = c.node.output.count > 1 && !c.node.output[1].isEmpty
        columnMajor = c.sinceVersion >= 8 ? try c.int("storage_order", default: 0) != 0 : false
    }

    /// True when every 2-D input of at least 2x2 pools to [H / 2, W / 2] through 2x2
    /// windows at stride 2, none padded (what a producer may fold in, `pool2x2Row`).
    var fusable2x2: Bool {
        let a = attributes
        return !wantIndices && !a.ceilMode && a.kernel == [2, 2] && a.strides == [2, 2]
            && (a.dilations ?? [1, 1]) == [1, 1] && (a.pads ?? [0, 0, 0, 0]).allSatisfy { $0 == 0 }
            && (a.autoPad == "NOTSET" || a.autoPad == "" || a.autoPad == "VALID")
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let g = try PoolGeometry(shape: x.shape, attributes, context)
        let shape = [g.batch, g.channels] + g.output
        if x.dataType == .float, !wantIndices, isPlain2x2(g), case .float(let v) = x.storage {
            return [.tensor(TensorValue(floats: MaxPool.pool2x2(v, g), shape: shape))]
        }
        let y: TensorValue, idx: [Int64]
        switch x.dataType {
        case .float, .float16, .bfloat16:
            let r = g.pool(try x.floats(), .max, columnMajor: columnMajor, wantIndices: wantIndices)
            y = try NN.tensor(r.0, x.dataType, shape: shape); idx = r.1
        case .double, .int8, .uint8, .int16, .uint16, .int32, .uint32:
            let r = g.pool(try x.doubles(), .max, columnMajor: columnMajor, wantIndices: wantIndices)
            y = try .converting(r.0, to: x.dataType, shape: shape); idx = r.1
        default:
            throw InterpreterError.unsupportedType(x.dataType, context: "MaxPool")
        }
        if !wantIndices { return [.tensor(y)] }
        return [.tensor(y), .tensor(TensorValue(int64s: idx, shape: shape))]
    }

    /// True for the common 2x2 window at stride 2 over a 2-D image with no padding and
    /// no dilation, every window inside the image.
    private func isPlain2x2(_ g: PoolGeometry) -> Bool {
        let a = attributes
        return g.input.count == 2 && a.kernel == [2, 2] && a.strides == [2, 2]
            && (a.dilations ?? [1, 1]) == [1, 1] && (a.pads ?? [0, 0, 0, 0]).allSatisfy { $0 == 0 }
            && (a.autoPad == "NOTSET" || a.autoPad == "" || a.autoPad == "VALID")
            && g.output == [g.input[0] / 2, g.input[1] / 2]
    }

    /// 2x2 stride-2 max pooling of float32 planes: a vertical then a horizontal maximum
    /// over eight outputs at a time. NaN propagates, as in the general path.
    static func pool2x2(_ x: [Float], _ g: PoolGeometry) -> [Float] {
        let ih = g.input[0], iw = g.input[1], oh = g.output[0], ow = g.output[1]
        let planes = g.batch * g.channels, inPlane = ih * iw, outPlane = oh * ow
        let total = planes * outPlane
        return [Float](unsafeUninitializedCapacity: total) { out, initialized in
            initialized = total
            guard let yb = out.baseAddress else { return }
            x.withUnsafeBufferPointer { xp in
                guard let xb = xp.baseAddress else { return }
                Parallel.forChunks(planes, minimumChunk: max(1, 32768 / max(1, inPlane))) { range in
                    for plane in range {
                        for oy in 0..<oh {
                            let r0 = xb + plane * inPlane + 2 * oy * iw
                            pool2x2Row(r0, r0 + iw, width: ow, into: yb + plane * outPlane + oy * ow)
                        }
                    }
                }
            }
        }
    }

    /// One output row of 2x2 stride-2 max pooling: `width` maxima of the windows over
    /// input rows `r0` and `r1`, eight at a time. NaN propagates.
    @inline(__always)
    static func pool2x2Row(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, width ow: Int, into dst: UnsafeMutablePointer<Float>) {
        @inline(__always) func larger(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
            a.replacing(with: b, where: (b .> a) .| (b .!= b))
        }
        @inline(__always) func larger(_ a: Float, _ b: Float) -> Float { b > a || b != b ? b : a }
        let a = UnsafeRawPointer(r0), b = UnsafeRawPointer(r1)
        var ox = 0
        while ox + 8 <= ow {
            let off = ox * 8
            let lo = larger(a.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self), b.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self))
            let hi = larger(a.loadUnaligned(fromByteOffset: off + 32, as: SIMD8<Float>.self),
                            b.loadUnaligned(fromByteOffset: off + 32, as: SIMD8<Float>.self))
            let both = SIMD16<Float>(lowHalf: lo, highHalf: hi)
            UnsafeMutableRawPointer(dst + ox).storeBytes(of: larger(both.evenHalf, both.oddHalf), as: SIMD8<Float>.self)
            ox += 8
        }
        while ox < ow {
            dst[ox] = larger(larger(r0[2 * ox], r1[2 * ox]), larger(r0[2 * ox + 1], r1[2 * ox + 1]))
            ox += 1
        }
    }
}
