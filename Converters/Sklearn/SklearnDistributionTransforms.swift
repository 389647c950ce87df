import Foundation
import ONNX
import PythonObjects

/// PowerTransformer (yeo-johnson, box-cox; with standardize) and QuantileTransformer
/// (uniform and normal output), each as scikit-learn 1.9's `transform` computes it.
struct SklearnDistributionTransforms: SklearnGraphLowering {
    static let power = "sklearn.preprocessing._data.PowerTransformer"
    static let quantile = "sklearn.preprocessing._data.QuantileTransformer"
    var classNames: [String] { [Self.power, Self.quantile] }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        node.className == Self.power ? try powerTransform(node, b, x, width, dtype) : try quantileTransform(node, b, x, width, dtype)
    }

    // MARK: PowerTransformer

    func powerTransform(_ node: PyNode, _ b: GraphBuilder, _ x: GraphBuilder.Value, _ width: Int, _ dtype: DataType) throws -> SklearnOutputs {
        let lambdasNode = try node.attribute("lambdas_")
        let lambdas = try lambdasNode.doubles()
        guard lambdas.count == width else { throw SklearnError.invalid(path: lambdasNode.path, reason: "\(lambdas.count) lambdas for \(width) columns") }
        let method = try node.attribute("method").string()
        var v: GraphBuilder.Value
        switch method {
        case "yeo-johnson": v = try yeoJohnson(lambdas, b, x, width, dtype)
        // scipy.special.boxcox: log(x) when |λ| < 1e-19, else (x^λ - 1) / λ. Inputs must be
        // positive (scikit-learn raises otherwise; the graph cannot, and gives NaN or -1/λ).
        case "box-cox": v = try powerBranch(base: x, exponents: lambdas, logWhen: { abs($0) < 1e-19 }, b, width, dtype, name: "box_cox")
        default: throw SklearnError.invalid(path: node.path + ".method", reason: "PowerTransformer method '\(method)' is not converted (only yeo-johnson and box-cox)")
        }
        if case .bool(true)? = node.optionalAttribute("standardize")?.value {
            let scaler = try node.attribute("_scaler")
            guard case .transformed(let s, _) = try SklearnScaler().addNodes(scaler, to: b, input: v, width: width, dtype: dtype) else {
                throw SklearnError.invalid(path: scaler.path, reason: "the standardizing scaler gave no transform")
            }
            v = s
        }
        return .transformed(v, width: width)
    }

    /// scipy's `_yeojohnson_transform`: for x >= 0, ((x + 1)^λ - 1) / λ (log1p(x) when
    /// |λ| < eps); for x < 0, -((1 - x)^(2 - λ) - 1) / (2 - λ) (-log1p(-x) when |λ - 2| < eps).
    func yeoJohnson(_ lambdas: [Double], _ b: GraphBuilder, _ x: GraphBuilder.Value, _ width: Int, _ dtype: DataType) throws -> GraphBuilder.Value {
        let one = try b.floats([1], shape: [], dtype: dtype, name: "one")
        let eps = Double.ulpOfOne
        let positive = try powerBranch(base: try b.node("Add", [x, one], name: "x_plus_one"), exponents: lambdas,
                                       logWhen: { abs($0) < eps }, b, width, dtype, name: "yeo_johnson_positive")
        let negative = try powerBranch(base: try b.node("Sub", [one, x], name: "one_minus_x"), exponents: lambdas.map { 2 - $0 },
                                       logWhen: { abs($0) < eps }, b, width, dtype, name: "yeo_johnson_negative")
        let isPositive = try b.node("GreaterOrEqual", [x, try b.floats([0], shape: [], dtype: dtype, name: "zero")], name: "non_negative")
        return try b.node("Where", [isPositive, positive, try b.node("Neg", [negative], name: "yeo_johnson_negated")], name: "yeo_johnson")
    }

    /// (base^λ - 1) / λ per column, log(base) in the columns where `logWhen(λ)`.
    func powerBranch(base: GraphBuilder.Value, exponents: [Double], logWhen: (Double) -> Bool, _ b: GraphBuilder, _ width: Int, _ dtype: DataType, name: String) throws -> GraphBuilder.Value {
        let w = Int64(width)
        let useLog = exponents.map(logWhen)
        // Columns taking the log get exponent 1 in the power form, which Where discards.
        let safe = zip(exponents, useLog).map { $1 ? 1 : $0 }
        let lam = try b.floats(safe, shape: [w], dtype: dtype, name: "\(name)_lambda")
        let pow = try b.node("Pow", [base, lam], name: "\(name)_pow")
        let power = try b.node("Div", [try b.node("Sub", [pow, try b.floats([1], shape: [], dtype: dtype, name: "one")], name: "\(name)_minus_one"), lam], name: "\(name)_power")
        guard useLog.contains(true) else { return power }
        let mask = try b.initializer(useLog, shape: [w], name: "\(name)_log_columns")
        return try b.node("Where", [mask, try b.node("Log", [base], name: "\(name)_log"), power], name: name)
    }

    // MARK: QuantileTransformer

    /// scikit-learn's BOUNDS_THRESHOLD.
    static let bound = 1e-7

    /// `_transform_col`: the mean of np.interp forward on (quantiles, references) and of
    /// the negated backward interpolation (so repeated quantiles map to their middle);
    /// the ends set to 0 and 1 (within 1e-7 of the ends for "normal"); then for "normal"
    /// norm.ppf, clipped to ppf(1e-7 - spacing(1)) and its mirror. NaN stays NaN.
    func quantileTransform(_ node: PyNode, _ b: GraphBuilder, _ x: GraphBuilder.Value, _ width: Int, _ dtype: DataType) throws -> SklearnOutputs {
        let qNode = try node.attribute("quantiles_")
        let qa = try qNode.array(rank: 2)
        let n = qa.shape[0]
        guard qa.shape[1] == width else { throw SklearnError.invalid(path: qNode.path, reason: "\(qa.shape[1]) columns for \(width) inputs") }
        guard n >= 2 else { throw SklearnError.invalid(path: qNode.path, reason: "QuantileTransformer with \(n) quantile is not converted (needs at least 2)") }
        let q = try qNode.doubles()
        let refNode = try node.attribute("references_")
        let refs = try refNode.doubles()
        guard refs.count == n else { throw SklearnError.invalid(path: refNode.path, reason: "\(refs.count) references for \(n) quantiles") }
        let output = try node.attribute("output_distribution").string()
        guard output == "uniform" || output == "normal" else {
            throw SklearnError.invalid(path: node.path + ".output_distribution", reason: "QuantileTransformer output_distribution '\(output)' is not converted")
        }
        // Per column (rows of these tables): the quantiles ascending, and for the backward
        // pass the negated quantiles and references in reverse.
        var forwardX = [[Double]](), backwardX = [[Double]]()
        for f in 0..<width {
            let col = (0..<n).map { q[$0 * width + f] }
            forwardX.append(col)
            backwardX.append(col.reversed().map { -$0 })
        }
        let backwardRefs = refs.reversed().map { -$0 }
        let forward = try interpolate(x, xp: forwardX, fp: Array(repeating: refs, count: width), b, dtype, name: "forward")
        let negX = try b.node("Neg", [x], name: "negated_input")
        let backward = try interpolate(negX, xp: backwardX, fp: Array(repeating: backwardRefs, count: width), b, dtype, name: "backward")
        var v = try b.node("Mul", [try b.node("Sub", [forward, backward], name: "interp_difference"), try b.floats([0.5], shape: [], dtype: dtype, name: "half")], name: "interp_mean")
        let zero = try b.floats([0], shape: [], dtype: dtype, name: "zero")
        let one = try b.floats([1], shape: [], dtype: dtype, name: "one")
        let atHigh: GraphBuilder.Value, atLow: GraphBuilder.Value
        let lows = forwardX.map { $0[0] }, highs = forwardX.map { $0[n - 1] }
        if output == "normal" && dtype == .double {
            let t = try b.floats([Self.bound], shape: [], dtype: dtype, name: "bounds_threshold")
            let low = try b.floats(lows, shape: [Int64(width)], dtype: dtype, name: "quantile_low")
            let high = try b.floats(highs, shape: [Int64(width)], dtype: dtype, name: "quantile_high")
            atHigh = try b.node("Greater", [try b.node("Add", [x, t], name: "x_plus_threshold"), high], name: "at_high")
            atLow = try b.node("Less", [try b.node("Sub", [x, t], name: "x_minus_threshold"), low], name: "at_low")
        } else if output == "normal" {
            // x - 1e-7 < q0 and x + 1e-7 > q[-1] for a float32 x, decided as in float64:
            // x < q0 + 1e-7 and x > q[-1] - 1e-7 against float32 bounds rounded outwards.
            atHigh = try b.node("Greater", [x, try Self.float32Bounds(highs.map { $0 - Self.bound }, roundingUp: false, b, name: "high_cut")], name: "at_high")
            atLow = try b.node("Less", [x, try Self.float32Bounds(lows.map { $0 + Self.bound }, roundingUp: true, b, name: "low_cut")], name: "at_low")
        } else {
            atHigh = try b.node("Equal", [x, try Self.equalityBounds(highs, b, dtype, name: "high_equal")], name: "at_high")
            atLow = try b.node("Equal", [x, try Self.equalityBounds(lows, b, dtype, name: "low_equal")], name: "at_low")
        }
        // The upper end first, then the lower one, as scikit-learn assigns them.
        v = try b.node("Where", [atHigh, one, v], name: "upper_bounded")
        v = try b.node("Where", [atLow, zero, v], name: "bounded")
        guard output == "normal" else { return .transformed(v, width: width) }
        let pLow = Self.bound - Double.ulpOfOne, pHigh = 1 - (Self.bound - Double.ulpOfOne)
        let clipped = try b.node("Max", [try b.node("Min", [v, try b.floats([pHigh], shape: [], dtype: dtype, name: "p_high")], name: "p_capped"),
                                         try b.floats([pLow], shape: [], dtype: dtype, name: "p_low")], name: "p_clipped")
        var z = try NormalQuantile.addNodes(clipped, to: b, dtype: dtype)
        // The clip bounds themselves, computed here in float64.
        let below = try b.node("LessOrEqual", [v, try b.floats([pLow], shape: [], dtype: dtype, name: "p_low_bound")], name: "p_below")
        let above = try b.node("GreaterOrEqual", [v, try b.floats([pHigh], shape: [], dtype: dtype, name: "p_high_bound")], name: "p_above")
        z = try b.node("Where", [below, try b.floats([NormalQuantile.value(pLow)], shape: [], dtype: dtype, name: "z_low"), z], name: "z_clipped_low")
        z = try b.node("Where", [above, try b.floats([NormalQuantile.value(pHigh)], shape: [], dtype: dtype, name: "z_high"), z], name: "normal_clipped")
        // NaN stays NaN: Min and Max need not propagate it in every runtime.
        return .transformed(try b.node("Where", [try b.node("IsNaN", [x], name: "input_missing"), x, z], name: "normal_output"), width: width)
    }

    /// np.interp per column: `xp[f]` ascending (repeats allowed), `fp[f]` its values.
    /// The interval is the last j with xp[j] <= x (so zero-width intervals are never
    /// used); below xp[0] gives fp[0], at or above xp[-1] gives fp[-1]; NaN gives NaN.
    func interpolate(_ x: GraphBuilder.Value, xp: [[Double]], fp: [[Double]], _ b: GraphBuilder, _ dtype: DataType, name: String) throws -> GraphBuilder.Value {
        let width = xp.count, n = xp[0].count
        var slopes = [Double](), starts = [Double](), values = [Double]()
        for f in 0..<width {
            for j in 0..<n {
                starts.append(xp[f][j]); values.append(fp[f][j])
                // numpy's slope; intervals of width 0 are never selected (0 keeps the table finite).
                slopes.append(j + 1 < n && xp[f][j + 1] > xp[f][j] ? (fp[f][j + 1] - fp[f][j]) / (xp[f][j + 1] - xp[f][j]) : 0)
            }
        }
        let w = Int64(width), ni = Int64(n)
        let x3 = try b.node("Reshape", [x, try b.initializer([-1, w, 1], shape: [3], name: "\(name)_column_shape")], name: "\(name)_x_columns")
        // Comparisons x >= xp use xp rounded up in float32 graphs: the same decision as
        // float64 for every float32 x (the arithmetic below uses the nearest values).
        func cuts(_ v: [Double], shape: [Int64], _ what: String) throws -> GraphBuilder.Value {
            dtype == .double ? try b.floats(v, shape: shape, dtype: dtype, name: "\(name)_\(what)") : try Self.float32Bounds(v, roundingUp: true, b, shape: shape, name: "\(name)_\(what)")
        }
        let table = try cuts(starts, shape: [w, ni], "xp")
        let passed = try b.node("Cast", [try b.node("GreaterOrEqual", [x3, table], name: "\(name)_passed")], attributes: ["to": .dataType(dtype)], name: "\(name)_passed_float")
        let count = try b.node("ReduceSum", [passed, try b.initializer([Int64(2)], shape: [1], name: "\(name)_axis2")], attributes: ["keepdims": .int(0)], name: "\(name)_count")
        let j = try b.node("Min", [try b.node("Max", [try b.node("Sub", [count, try b.floats([1], shape: [], dtype: dtype, name: "one")], name: "\(name)_last_passed"),
                                                     try b.floats([0], shape: [], dtype: dtype, name: "zero")], name: "\(name)_at_least_first"),
                                   try b.floats([Double(n - 2)], shape: [], dtype: dtype, name: "\(name)_last_interval")], name: "\(name)_interval")
        let offsets = try b.initializer((0..<w).map { $0 * ni }, shape: [w], name: "\(name)_column_offsets")
        let index = try b.node("Add", [try b.node("Cast", [j], attributes: ["to": .dataType(.int64)], name: "\(name)_interval_index"), offsets], name: "\(name)_table_index")
        func gather(_ t: [Double], _ what: String) throws -> GraphBuilder.Value {
            try b.node("Gather", [try b.floats(t, shape: [w * ni], dtype: dtype, name: "\(name)_\(what)_table"), index], attributes: ["axis": .int(0)], name: "\(name)_\(what)")
        }
        let inside = try b.node("Add", [try b.node("Mul", [try gather(slopes, "slope"), try b.node("Sub", [x, try gather(starts, "start")], name: "\(name)_offset")], name: "\(name)_rise"),
                                        try gather(values, "value")], name: "\(name)_inside")
        let first = try b.floats(fp.map { $0[0] }, shape: [w], dtype: dtype, name: "\(name)_first_value")
        let last = try b.floats(fp.map { $0[n - 1] }, shape: [w], dtype: dtype, name: "\(name)_last_value")
        let atEnd = try b.node("GreaterOrEqual", [x, try cuts(xp.map { $0[n - 1] }, shape: [w], "xp_last")], name: "\(name)_at_end")
        let beforeStart = try b.node("Less", [x, try cuts(xp.map { $0[0] }, shape: [w], "xp_first")], name: "\(name)_before_start")
        return try b.node("Where", [beforeStart, first, try b.node("Where", [atEnd, last, inside], name: "\(name)_capped")], name: "\(name)_interp")
    }
}

extension SklearnDistributionTransforms {
    /// Float32 constants for comparisons: each value rounded up (the smallest float32 at
    /// least it) or down (the largest at most it), so `x < up(v)` is `x < v` and
    /// `x > down(v)` is `x > v` for every float32 x.
    static func float32Bounds(_ values: [Double], roundingUp: Bool, _ b: GraphBuilder, shape: [Int64]? = nil, name: String) throws -> GraphBuilder.Value {
        let f: [Float] = values.map { v in
            let r = Float(v)
            if roundingUp { return Double(r) < v ? r.nextUp : r }
            return Double(r) > v ? r.nextDown : r
        }
        return try b.initializer(f, shape: shape ?? [Int64(values.count)], name: name)
    }

    /// Values for `x == v`: in float32 graphs NaN (never equal) where v has no float32.
    static func equalityBounds(_ values: [Double], _ b: GraphBuilder, _ dtype: DataType, name: String) throws -> GraphBuilder.Value {
        let v = dtype == .double ? values : values.map { Double(Float($0)) == $0 ? $0 : .nan }
        return try b.floats(v, shape: [Int64(values.count)], dtype: dtype, name: name)
    }
}

/// The standard normal quantile (scipy's norm.ppf) on (0, 1): Acklam's rational
/// approximation, relative error below 1.2e-9. The float64 constants (`value`) are then
/// refined by one Halley step on erfc; the graph is not, because onnxruntime has no
/// float64 Erf (and in float32 the CDF's rounding in the tails would undo the step), so
/// float64 graphs agree with scipy to about 1e-9 relative, not to the last bit.
enum NormalQuantile {
    static let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    static let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01, 1]
    static let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    static let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00, 1]
    /// Below this tail probability the tail form is used.
    static let tail = 0.02425

    static func horner(_ k: [Double], _ v: Double) -> Double { k.dropFirst().reduce(k[0]) { $0 * v + $1 } }

    /// The quantile in float64 (for constants).
    static func value(_ p: Double) -> Double {
        let t = min(p, 1 - p)
        var x: Double
        if t < tail {
            let s = (-2 * log(t)).squareRoot()
            x = horner(c, s) / horner(d, s)
            if p > 0.5 { x = -x }
        } else {
            let q = p - 0.5, r = q * q
            x = q * horner(a, r) / horner(b, r)
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        return x - u / (1 + x * u / 2)
    }

    /// The same computation as graph nodes, for p in (0, 1).
    static func addNodes(_ p: GraphBuilder.Value, to g: GraphBuilder, dtype: DataType) throws -> GraphBuilder.Value {
        func k(_ v: Double, _ name: String) throws -> GraphBuilder.Value { try g.floats([v], shape: [], dtype: dtype, name: name) }
        func poly(_ coef: [Double], _ v: GraphBuilder.Value, _ name: String) throws -> GraphBuilder.Value {
            var acc = try k(coef[0], "\(name)_c0")
            for (i, c) in coef.dropFirst().enumerated() {
                acc = try g.node("Add", [try g.node("Mul", [acc, v], name: "\(name)_mul\(i)"), try k(c, "\(name)_c\(i + 1)")], name: "\(name)_step\(i)")
            }
            return acc
        }
        let q = try g.node("Sub", [p, try k(0.5, "half")], name: "ppf_centered")
        let r = try g.node("Mul", [q, q], name: "ppf_r")
        let central = try g.node("Div", [try g.node("Mul", [q, try poly(a, r, "ppf_a")], name: "ppf_central_num"), try poly(b, r, "ppf_b")], name: "ppf_central")
        let t = try g.node("Min", [p, try g.node("Sub", [try k(1, "one"), p], name: "ppf_upper_p")], name: "ppf_tail_p")
        let s = try g.node("Sqrt", [try g.node("Mul", [try g.node("Log", [t], name: "ppf_log_t"), try k(-2, "minus_two")], name: "ppf_minus_2log")], name: "ppf_s")
        let lowerTail = try g.node("Div", [try poly(c, s, "ppf_c"), try poly(d, s, "ppf_d")], name: "ppf_lower_tail")
        let upper = try g.node("Greater", [p, try k(0.5, "half")], name: "ppf_upper")
        let tailValue = try g.node("Where", [upper, try g.node("Neg", [lowerTail], name: "ppf_upper_tail"), lowerTail], name: "ppf_tail")
        let inTail = try g.node("Less", [t, try k(tail, "ppf_tail_limit")], name: "ppf_in_tail")
        let x = try g.node("Where", [inTail, tailValue, central], name: "ppf_estimate")
        return x
    }
}
