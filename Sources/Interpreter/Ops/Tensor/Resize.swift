import ONNX

/// Resize: nearest / linear / cubic resampling by scales or to sizes, with every
/// coordinate_transformation_mode and nearest_mode (opset 11+), antialias, axes and
/// keep_aspect_ratio_policy (18+), half_pixel_symmetric (19). Opset 10 takes only
/// scales and works like Upsample (asymmetric coordinates).
struct Resize: Operator {
    static let opType = "Resize"
    static let sinceVersions: [Int64] = [10, 11, 13, 18, 19]
    let engine: Resampling
    let version: Int64
    let axes: [Int64]?
    let policy: String

    init(_ c: OpContext) throws {
        version = c.sinceVersion
        func bad(_ a: String, _ v: String) -> InterpreterError { .badAttribute(node: c.nodeName, attribute: a, message: "unsupported value '\(v)'") }
        let m = try c.string("mode", default: "nearest")
        guard let mode = Resampling.Mode(rawValue: m), version >= 11 || mode != .cubic else { throw bad("mode", m) }
        if version < 11 {
            engine = Resampling(mode: mode, coordinates: .asymmetric, nearest: .simple)
            axes = nil
            policy = "stretch"
            return
        }
        let ct = try c.string("coordinate_transformation_mode", default: "half_pixel")
        guard let coordinates = Resampling.Coordinates(rawValue: ct), coordinates != .halfPixelSymmetric || version >= 19 else { throw bad("coordinate_transformation_mode", ct) }
        let nm = try c.string("nearest_mode", default: "round_prefer_floor")
        guard let nearest = Resampling.Nearest(rawValue: nm), nearest != .simple else { throw bad("nearest_mode", nm) }
        var e = Resampling(mode: mode, coordinates: coordinates, nearest: nearest)
        e.cubicA = Double(try c.float("cubic_coeff_a", default: -0.75))
        e.excludeOutside = try c.int("exclude_outside", default: 0) != 0
        e.extrapolation = Double(try c.float("extrapolation_value", default: 0))
        if version >= 18 {
            e.antialias = try c.int("antialias", default: 0) != 0 && mode != .nearest
            axes = try c.intsIfPresent("axes")
            policy = try c.string("keep_aspect_ratio_policy", default: "stretch")
            guard ["stretch", "not_larger", "not_smaller"].contains(policy) else { throw bad("keep_aspect_ratio_policy", policy) }
        } else {
            axes = nil
            policy = "stretch"
        }
        engine = e
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let r = x.rank
        let roiT: TensorValue?, scalesT: TensorValue?, sizesT: TensorValue?
        if version < 11 {
            (roiT, scalesT, sizesT) = (nil, try context.tensor(inputs, 1), nil)
        } else {
            roiT = try context.optionalTensor(inputs, 1)
            scalesT = try context.optionalTensor(inputs, 2)
            sizesT = try context.optionalTensor(inputs, 3)
        }
        let ax = try TensorSupport.axes(axes ?? (0..<Int64(r)).map { $0 }, rank: r, context.nodeName)
        var roi = [(Double, Double)](repeating: (0, 1), count: r)
        if let roiT, roiT.count > 0, engine.coordinates == .tfCropAndResize {
            let v = try roiT.doubles()
            guard v.count == 2 * ax.count else { throw context.invalid("roi has \(v.count) values for \(ax.count) axes") }
            for (i, a) in ax.enumerated() { roi[a] = (v[i], v[ax.count + i]) }
        }
        var scales = [Double](repeating: 1, count: r)
        var outShape = x.shape
        if let sizesT, sizesT.count > 0 {
            if let scalesT, scalesT.count > 0 { throw context.invalid("only one of scales and sizes may be given") }
            let sizes = try sizesT.ints()
            try TensorSupport.bounded(sizes, "sizes", context.nodeName)
            guard sizes.count == ax.count, sizes.allSatisfy({ $0 >= 0 }) else { throw context.invalid("sizes \(sizes) do not fit axes \(ax)") }
            for (i, a) in ax.enumerated() {
                scales[a] = x.shape[a] == 0 ? 1 : Double(sizes[i]) / Double(x.shape[a])
                outShape[a] = sizes[i]
            }
            if policy != "stretch" {
                let chosen = ax.map { scales[$0] }
                let s = (policy == "not_larger" ? chosen.min() : chosen.max()) ?? 1
                for a in ax {
                    scales[a] = s
                    outShape[a] = Int(s * Double(x.shape[a]) + 0.5)
                }
            }
        } else if let scalesT, scalesT.count > 0 {
            let v = try scalesT.floats()
            guard v.count == ax.count, v.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw context.invalid("scales \(v) do not fit axes \(ax)") }
            for (i, a) in ax.enumerated() {
                scales[a] = Double(v[i])
                let o = (Double(v[i]) * Double(x.shape[a])).rounded(.down)
                guard o < 1e12 else { throw context.invalid("scale \(v[i]) is too large") }
                outShape[a] = Int(o)
            }
        } else {
            throw context.invalid("one of scales and sizes must be given")
        }
        return [.tensor(try engine.resample(x, outShape: outShape, scales: scales, roi: roi, context.nodeName))]
    }
}
