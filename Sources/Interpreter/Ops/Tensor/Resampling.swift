import ONNX

/// The interpolation engine of Resize and Upsample: separable per-axis resampling with
/// the ONNX coordinate transformations, nearest/linear/cubic kernels, antialiasing
/// (stretched kernels when downscaling), exclude_outside and extrapolation.
///
/// Follows the ONNX reference semantics: the output coordinate is mapped back with
/// the float scale (output_width = scale * input_width), an input coordinate that is
/// an integer takes that pixel exactly, and the taps outside the input repeat the edge.
struct Resampling {
    enum Mode: String { case nearest, linear, cubic }
    enum Coordinates: String {
        case halfPixel = "half_pixel", halfPixelSymmetric = "half_pixel_symmetric"
        case pytorchHalfPixel = "pytorch_half_pixel", alignCorners = "align_corners"
        case asymmetric, tfHalfPixelForNN = "tf_half_pixel_for_nn", tfCropAndResize = "tf_crop_and_resize"
    }
    enum Nearest: String {
        case roundPreferFloor = "round_prefer_floor", roundPreferCeil = "round_prefer_ceil", floor, ceil
        /// Opset < 11 (Resize 10, Upsample): floor when upscaling, ceil when downscaling.
        case simple
    }

    var mode: Mode
    var coordinates: Coordinates
    var nearest: Nearest
    var cubicA: Double = -0.75
    var excludeOutside = false
    var extrapolation: Double = 0
    var antialias = false

    /// Per output coordinate of one axis: the taps (input index, weight), or nil for
    /// the extrapolation value.
    struct AxisPlan {
        var starts: [Int] = []   // offset of each output coordinate's taps, -1 = extrapolate
        var counts: [Int] = []
        var index: [Int] = []
        var weight: [Double] = []
        var isIdentity = false
    }

    func plan(input: Int, output: Int, scale: Double, roi: (Double, Double)) -> AxisPlan {
        var p = AxisPlan()
        if output == input, scale == 1, coordinates != .tfCropAndResize, coordinates != .tfHalfPixelForNN {
            p.isIdentity = true
            return p
        }
        let outWidth = scale * Double(input)
        let last = Double(input - 1)
        for o in 0..<output {
            let x = Double(o)
            var xo: Double
            switch coordinates {
            case .alignCorners: xo = outWidth == 1 ? 0 : x * last / (outWidth - 1)
            case .asymmetric: xo = x / scale
            case .tfHalfPixelForNN: xo = (x + 0.5) / scale
            case .pytorchHalfPixel: xo = outWidth == 1 ? -0.5 : (x + 0.5) / scale - 0.5
            case .halfPixel: xo = (x + 0.5) / scale - 0.5
            case .halfPixelSymmetric:
                let adjustment = Double(output) / outWidth
                let offset = Double(input) / 2 * (1 - adjustment)
                xo = offset + (x + 0.5) / scale - 0.5
            case .tfCropAndResize:
                let span = Double(Float(roi.1) - Float(roi.0))
                xo = outWidth == 1 ? span * last / 2 : x * span * last / (outWidth - 1)
                xo += roi.0 * last
            }
            if coordinates == .tfCropAndResize, xo < 0 || xo > last || !xo.isFinite {
                p.starts.append(-1); p.counts.append(0)
                continue
            }
            if !xo.isFinite { xo = 0 }
            xo = min(max(xo, -1e9), 1e9)
            let fl = xo.rounded(.down)
            let base: Int, ratio: Double
            if xo == fl { base = Int(fl) - 1; ratio = 1 } else { base = Int(fl); ratio = xo - fl }
            var taps: [(Int, Double)] = []
            switch mode {
            case .nearest:
                let up: Bool
                if ratio == 1 { up = true } else {
                    switch nearest {
                    case .roundPreferFloor: up = ratio > 0.5
                    case .roundPreferCeil: up = ratio >= 0.5
                    case .floor: up = false
                    case .ceil: up = true
                    case .simple: up = scale < 1
                    }
                }
                taps = [(base + (up ? 1 : 0), 1)]
            case .linear:
                if antialias {
                    let s = min(scale, 1)
                    let start = Int((-1 / s).rounded(.down)) + 1
                    let footprint = 2 - 2 * start
                    for i in start..<(start + footprint) {
                        taps.append((base + i, min(max(1 - abs((Double(i) - ratio) * s), 0), 1)))
                    }
                } else {
                    taps = [(base, 1 - ratio), (base + 1, ratio)]
                }
            case .cubic:
                let a = cubicA
                if antialias {
                    let s = min(scale, 1)
                    let iStart = Int((-2 / s).rounded(.down)) + 1
                    for i in iStart..<(2 - iStart) {
                        taps.append((base + i, Resampling.cubicKernel(s * (Double(i) - ratio), a)))
                    }
                } else {
                    let r = ratio, q = 1 - ratio
                    taps = [
                        (base - 1, ((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a),
                        (base, ((a + 2) * r - (a + 3)) * r * r + 1),
                        (base + 1, ((a + 2) * q - (a + 3)) * q * q + 1),
                        (base + 2, ((a * (q + 1) - 5 * a) * (q + 1) + 8 * a) * (q + 1) - 4 * a),
                    ]
                }
            }
            if mode != .nearest {
                if excludeOutside {
                    for k in taps.indices where taps[k].0 < 0 || taps[k].0 >= input { taps[k].1 = 0 }
                }
                if antialias || excludeOutside {
                    let sum = taps.reduce(0) { $0 + $1.1 }
                    if sum != 0 { for k in taps.indices { taps[k].1 /= sum } }
                }
            }
            p.starts.append(p.index.count)
            p.counts.append(taps.count)
            for (i, w) in taps {
                p.index.append(min(max(i, 0), input - 1))
                p.weight.append(w)
            }
        }
        return p
    }

    /// The value range of an integer element type.
    static func integerRange(_ t: DataType) -> (Double, Double)? {
        switch t {
        case .int8: return (-128, 127)
        case .uint8: return (0, 255)
        case .int16: return (-32768, 32767)
        case .uint16: return (0, 65535)
        case .int32: return (-2147483648, 2147483647)
        case .uint32: return (0, 4294967295)
        case .int64: return (-9.2e18, 9.2e18)
        case .uint64: return (0, 1.8e19)
        case .int4: return (-8, 7)
        case .uint4: return (0, 15)
        case .int2: return (-2, 1)
        case .uint2: return (0, 3)
        default: return nil
        }
    }

    static func cubicKernel(_ v: Double, _ a: Double) -> Double {
        let x = abs(v), x2 = x * x, x3 = x2 * x
        if x <= 1 { return (a + 2) * x3 - (a + 3) * x2 + 1 }
        if x < 2 { return a * x3 - 5 * a * x2 + 8 * a * x - 4 * a }
        return 0
    }

    /// Resamples `x` to `outShape`; `scales` and `roi` are per axis (roi as (start, end)).
    func resample(_ x: TensorValue, outShape: [Int], scales: [Double], roi: [(Double, Double)], _ node: String) throws -> TensorValue {
        let r = x.rank
        guard outShape.count == r, scales.count == r, roi.count == r else {
            throw InterpreterError.invalidInput(node: node, message: "resize parameters do not match rank \(r)")
        }
        let n = try TensorSupport.count(outShape, node)
        for d in 0..<r where x.shape[d] == 0 && outShape[d] > 0 {
            throw InterpreterError.invalidInput(node: node, message: "cannot resize the empty axis \(d)")
        }
        let plans = (0..<r).map { d in plan(input: x.shape[d], output: outShape[d], scale: scales[d], roi: roi[d]) }
        if mode == .nearest {
            // One index map: per axis the chosen input coordinate (-1: extrapolate).
            let coords: [[Int]] = (0..<r).map { d in
                let p = plans[d]
                if p.isIdentity { return Array(0..<outShape[d]) }
                return (0..<outShape[d]).map { o in p.starts[o] < 0 ? -1 : p.index[p.starts[o]] }
            }
            _ = n
            let map = TensorSupport.productMap(coords, strides: x.strides, missing: x.count)
            let needsExtra = coords.contains { $0.contains { $0 < 0 } }
            if !needsExtra { return x.gathered(map, shape: outShape) }
            let value = try TensorSupport.scalar(extrapolation, type: x.dataType)
            let storage = try TensorSupport.appending(x, value, node)
            return TensorValue(unchecked: x.dataType, shape: outShape, storage: storage.rearranged { _ in map })
        }
        guard TensorSupport.numericKind(x.dataType) != nil, x.dataType != .bool else {
            throw InterpreterError.unsupportedType(x.dataType, context: "\(node) (\(mode.rawValue) resize)")
        }
        var data = try x.doubles()
        var shape = x.shape
        for d in stride(from: r - 1, through: 0, by: -1) where !plans[d].isIdentity {
            let p = plans[d]
            let outer = shape[..<d].reduce(1, *)
            let inD = shape[d], outD = outShape[d]
            let inner = shape[(d + 1)...].reduce(1, *)
            var out = [Double](repeating: 0, count: outer * outD * inner)
            for o in 0..<outer {
                for j in 0..<outD {
                    let dst = (o * outD + j) * inner
                    let s = p.starts[j]
                    if s < 0 {
                        for i in 0..<inner { out[dst + i] = extrapolation }
                        continue
                    }
                    for t in s..<(s + p.counts[j]) {
                        let w = p.weight[t]
                        if w == 0 { continue }
                        let src = (o * inD + p.index[t]) * inner
                        for i in 0..<inner { out[dst + i] += w * data[src + i] }
                    }
                }
            }
            data = out
            shape[d] = outD
        }
        if x.dataType == .float { return TensorValue(floats: data.map { Float($0) }, shape: outShape) }
        if let (lo, hi) = Resampling.integerRange(x.dataType) {
            // Integer results round to nearest (ties to even) and saturate, as the reference does.
            data = data.map { min(max($0.rounded(.toNearestOrEven), lo), hi) }
        }
        return try .converting(data, to: x.dataType, shape: outShape)
    }
}
