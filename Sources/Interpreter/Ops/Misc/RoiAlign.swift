import ONNX

/// RoiAlign: for each region of interest rois[r] = (x1, y1, x2, y2) on image
/// batch_indices[r] of X [N, C, H, W], an [output_height, output_width] grid of bins,
/// each the average (or max) of sampling_ratio² bilinear samples (ceil(bin size) per
/// axis when sampling_ratio is 0). Coordinates are scaled by spatial_scale and, with
/// coordinate_transformation_mode half_pixel (opset 16+ default), shifted by -0.5;
/// output_half_pixel (and opset 10) does not shift and makes regions at least 1x1.
/// Max mode takes the largest weighted corner value, as onnxruntime does.
struct RoiAlign: Operator {
    static let opType = "RoiAlign"
    static let sinceVersions: [Int64] = [10, 16, 22]
    let maxMode: Bool
    let halfPixel: Bool
    let outputHeight: Int
    let outputWidth: Int
    let samplingRatio: Int
    let spatialScale: Double

    init(_ c: OpContext) throws {
        let mode = try c.string("mode", default: "avg").lowercased()
        guard mode == "avg" || mode == "max" else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "mode", message: "'\(mode)' is not avg or max")
        }
        maxMode = mode == "max"
        if c.sinceVersion >= 16 {
            let ct = try c.string("coordinate_transformation_mode", default: "half_pixel").lowercased()
            guard ct == "half_pixel" || ct == "output_half_pixel" else {
                throw InterpreterError.badAttribute(node: c.nodeName, attribute: "coordinate_transformation_mode", message: "'\(ct)' is not half_pixel or output_half_pixel")
            }
            halfPixel = ct == "half_pixel"
        } else {
            halfPixel = false
        }
        let oh = try c.int("output_height", default: 1), ow = try c.int("output_width", default: 1)
        let sr = try c.int("sampling_ratio", default: 0)
        guard oh > 0, ow > 0, oh <= 1 << 20, ow <= 1 << 20 else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "output_height", message: "output size \(oh)x\(ow) must be positive")
        }
        guard sr >= 0, sr <= 1 << 16 else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "sampling_ratio", message: "\(sr) must be non-negative")
        }
        outputHeight = Int(oh)
        outputWidth = Int(ow)
        samplingRatio = Int(sr)
        spatialScale = Double(try c.float("spatial_scale", default: 1))
    }

    /// One bilinear sample: four flat offsets into a channel plane and their weights.
    private struct Sample {
        var pos: (Int, Int, Int, Int) = (0, 0, 0, 0)
        var w: (Double, Double, Double, Double) = (0, 0, 0, 0)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), roisT = try context.tensor(inputs, 1)
        let batchT = try context.tensor(inputs, 2)
        try MiscSupport.requireReal(x, "X", context)
        guard x.rank == 4 else { throw context.invalid("X must be [N, C, H, W] (shape \(x.shape))") }
        let (nImages, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        guard roisT.rank == 2, roisT.shape[1] == 4 else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "rois \(roisT.shape) is not [num_rois, 4]")
        }
        let numRois = roisT.shape[0]
        guard batchT.count == numRois, batchT.rank == 1 else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "batch_indices \(batchT.shape) is not [\(numRois)]")
        }
        let rois = try roisT.doubles(), batchIdx = try batchT.int64s()
        let xv = try x.doubles()
        let (ph, pw) = (outputHeight, outputWidth)
        var out = [Double](repeating: 0, count: try MiscSupport.count([numRois, channels, ph, pw], context))
        let plane = height * width
        for r in 0..<numRois {
            let bi = batchIdx[r]
            guard bi >= 0, bi < Int64(nImages) else { throw context.invalid("batch index \(bi) of roi \(r) is outside [0, \(nImages))") }
            let offset = halfPixel ? 0.5 : 0
            let startW = rois[r * 4] * spatialScale - offset
            let startH = rois[r * 4 + 1] * spatialScale - offset
            let endW = rois[r * 4 + 2] * spatialScale - offset
            let endH = rois[r * 4 + 3] * spatialScale - offset
            var roiW = endW - startW, roiH = endH - startH
            if !halfPixel { roiW = max(roiW, 1); roiH = max(roiH, 1) }
            let binH = roiH / Double(ph), binW = roiW / Double(pw)
            let gh = samplingRatio > 0 ? Double(samplingRatio) : max(0, (roiH / Double(ph)).rounded(.up))
            let gw = samplingRatio > 0 ? Double(samplingRatio) : max(0, (roiW / Double(pw)).rounded(.up))
            guard gh.isFinite, gw.isFinite, gh * gw * Double(ph * pw) <= Double(1 << 28) else {
                throw context.invalid("roi \(r) (\(rois[(r * 4)..<(r * 4 + 4)])) needs an unreasonable sampling grid")
            }
            let gridH = Int(gh), gridW = Int(gw)
            let count = Double(max(gridH * gridW, 1))
            // Samples shared by every channel.
            var samples: [Sample] = []
            samples.reserveCapacity(ph * pw * gridH * gridW)
            for py in 0..<ph {
                for px in 0..<pw {
                    for iy in 0..<gridH {
                        let yy = startH + Double(py) * binH + (Double(iy) + 0.5) * binH / Double(gridH)
                        for ix in 0..<gridW {
                            let xx = startW + Double(px) * binW + (Double(ix) + 0.5) * binW / Double(gridW)
                            samples.append(Self.sample(y: yy, x: xx, height: height, width: width))
                        }
                    }
                }
            }
            let perBin = gridH * gridW
            for c in 0..<channels {
                let base = (Int(bi) * channels + c) * plane
                var si = 0
                for bin in 0..<(ph * pw) {
                    var acc = 0.0
                    var first = true
                    for _ in 0..<perBin {
                        let s = samples[si]
                        si += 1
                        let v1 = s.w.0 * xv[base + s.pos.0], v2 = s.w.1 * xv[base + s.pos.1]
                        let v3 = s.w.2 * xv[base + s.pos.2], v4 = s.w.3 * xv[base + s.pos.3]
                        if maxMode {
                            let v = max(max(v1, v2), max(v3, v4))
                            acc = first ? v : max(acc, v)
                            first = false
                        } else {
                            acc += v1 + v2 + v3 + v4
                        }
                    }
                    out[(r * channels + c) * ph * pw + bin] = maxMode ? acc : acc / count
                }
            }
        }
        return [.tensor(try MiscSupport.real(out, x.dataType, shape: [numRois, channels, ph, pw]))]
    }

    /// The bilinear weights of point (y, x); outside [-1, size] it contributes zero.
    private static func sample(y yIn: Double, x xIn: Double, height: Int, width: Int) -> Sample {
        var s = Sample()
        guard yIn >= -1, yIn <= Double(height), xIn >= -1, xIn <= Double(width), height > 0, width > 0 else { return s }
        var y = max(yIn, 0), x = max(xIn, 0)
        var yLow = Int(y), xLow = Int(x)
        let yHigh: Int, xHigh: Int
        if yLow >= height - 1 { yLow = height - 1; yHigh = yLow; y = Double(yLow) } else { yHigh = yLow + 1 }
        if xLow >= width - 1 { xLow = width - 1; xHigh = xLow; x = Double(xLow) } else { xHigh = xLow + 1 }
        let ly = y - Double(yLow), lx = x - Double(xLow)
        let hy = 1 - ly, hx = 1 - lx
        s.pos = (yLow * width + xLow, yLow * width + xHigh, yHigh * width + xLow, yHigh * width + xHigh)
        s.w = (hy * hx, hy * lx, ly * hx, ly * lx)
        return s
    }
}
