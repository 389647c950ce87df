import Foundation
import ONNX
import PythonObjects

/// SplineTransformer: per feature, scipy's BSpline of `bsplines_[f]` evaluated the way
/// scipy does (the knot interval l is the last one in [k, n-1] starting at or before x,
/// so outside the knots the end pieces continue), then the extrapolation rule of
/// scikit-learn's `transform` ("continue", "periodic", "constant", "linear"; "error",
/// which raises in scikit-learn, gives NaN outside the knots), handle_missing="zeros",
/// and include_bias=False dropping each feature's last spline. Output is dense.
struct SklearnSplineTransformer: SklearnGraphLowering {
    static let spline = "sklearn.preprocessing._polynomial.SplineTransformer"
    var classNames: [String] { [Self.spline] }

    /// One feature's fitted spline: knots, degree and coefficients [n, splines].
    struct Spline {
        let t: [Double]
        let k: Int
        let c: [Double]
        let splines: Int
        var n: Int { t.count - k - 1 }

        /// The basis functions B_{j,d} (j = 0..<t.count-1-d) on interval l at x, by the
        /// Cox-de Boor recursion started from the indicator of l.
        func basis(_ x: Double, interval l: Int, degree d: Int) -> [Double] {
            var b = (0..<(t.count - 1)).map { $0 == l ? 1.0 : 0.0 }
            if d == 0 { return b }
            for e in 1...d {
                b = (0..<(t.count - 1 - e)).map { j in
                    let left = t[j + e] > t[j] ? (x - t[j]) / (t[j + e] - t[j]) * b[j] : 0
                    let right = t[j + e + 1] > t[j + 1] ? (t[j + e + 1] - x) / (t[j + e + 1] - t[j + 1]) * b[j + 1] : 0
                    return left + right
                }
            }
            return b
        }

        /// scipy's interval for x: the last l in [k, n-1] with t[l] <= x.
        func interval(_ x: Double) -> Int {
            var l = k
            while l + 1 < n && t[l + 1] <= x { l += 1 }
            return l
        }

        /// spl(x) (nu = 0) or spl(x, nu=1) on interval l.
        func evaluate(_ x: Double, interval l: Int, derivative: Bool) -> [Double] {
            let values: [Double]
            if derivative && k == 0 { return Array(repeating: 0, count: splines) }
            if !derivative { values = basis(x, interval: l, degree: k) } else {
                let lower = basis(x, interval: l, degree: k - 1)
                values = (0..<n).map { j in
                    let a = t[j + k] > t[j] ? Double(k) / (t[j + k] - t[j]) * lower[j] : 0
                    let b = t[j + k + 1] > t[j + 1] ? Double(k) / (t[j + k + 1] - t[j + 1]) * lower[j + 1] : 0
                    return a - b
                }
            }
            return (0..<splines).map { s in (0..<n).reduce(0) { $0 + values[$1] * c[$1 * splines + s] } }
        }
    }

    static func spline(_ node: PyNode) throws -> Spline {
        let tNode = try node.optionalAttribute("_t") ?? node.attribute("t")
        let cNode = try node.optionalAttribute("_c") ?? node.attribute("c")
        let t = try tNode.doubles(rank: 1)
        let k = try node.attribute("k").int()
        let ca = try cNode.array(rank: 2)
        guard k >= 0, t.count >= 2 * k + 2, ca.shape[0] == t.count - k - 1 else {
            throw SklearnError.invalid(path: node.path, reason: "a BSpline of degree \(k) with \(t.count) knots and \(ca.shape[0]) coefficient rows")
        }
        return Spline(t: t, k: k, c: try cNode.doubles(), splines: ca.shape[1])
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let splinesNode = try node.attribute("bsplines_")
        let splines = try splinesNode.items().map(Self.spline)
        guard splines.count == width else { throw SklearnError.invalid(path: splinesNode.path, reason: "\(splines.count) splines for \(width) columns") }
        let extrapolation = try node.attribute("extrapolation").string()
        guard ["continue", "periodic", "constant", "linear", "error"].contains(extrapolation) else {
            throw SklearnError.invalid(path: node.path + ".extrapolation", reason: "SplineTransformer extrapolation '\(extrapolation)' is not converted")
        }
        let degree = try node.attribute("degree").int()
        let missing = (try? node.attribute("handle_missing").string()) ?? "error"
        guard missing == "error" || missing == "zeros" else {
            throw SklearnError.invalid(path: node.path + ".handle_missing", reason: "SplineTransformer handle_missing '\(missing)' is not converted")
        }
        let includeBias: Bool
        if case .bool(false)? = node.optionalAttribute("include_bias")?.value { includeBias = false } else { includeBias = true }
        var parts: [GraphBuilder.Value] = []
        var total = 0
        // scikit-learn 1.9's transform raises its local `degree` by one in the "linear"
        // branch when it is at most 1, and keeps the raised value for the next features'
        // xmin, xmax and continued columns; `d` follows it so the outputs agree.
        var d = degree
        for (f, s) in splines.enumerated() {
            let p = "spline\(f)"
            func k(_ v: [Double], _ name: String) throws -> GraphBuilder.Value { try b.floats(v, shape: v.count == 1 ? [] : [Int64(v.count)], dtype: dtype, name: "\(p)_\(name)") }
            let column = try b.node("Gather", [x, try b.initializer([Int64(f)], shape: [1], name: "\(p)_index")], attributes: ["axis": .int(1)], name: "\(p)_column")
            var xs = column
            if extrapolation == "periodic" {
                // x = t[k] + (x - t[k]) % (t[n] - t[k]) with Python's floor modulo, or 0
                // when the period is empty.
                let period = s.t[s.n] - s.t[s.k]
                if period > 0 {
                    let shifted = try b.node("Sub", [column, try k([s.t[s.k]], "period_start")], name: "\(p)_shifted")
                    let size = try k([period], "period")
                    let r = try b.node("Mod", [shifted, size], attributes: ["fmod": .int(1)], name: "\(p)_fmod")
                    let floorMod = try b.node("Where", [try b.node("Less", [r, try k([0], "zero")], name: "\(p)_negative"), try b.node("Add", [r, size], name: "\(p)_wrapped"), r], name: "\(p)_mod")
                    xs = try b.node("Add", [floorMod, try k([s.t[s.k]], "period_origin")], name: "\(p)_periodic")
                } else {
                    xs = try b.node("Mul", [column, try k([0], "zero_period")], name: "\(p)_constant")
                }
            }
            // The interval: k plus the inner knots t[k+1..<n] at or before x.
            // ([N, 1] even without inner knots, so the basis keeps its row dimension.)
            var l = try b.node("Add", [try b.node("Mul", [xs, try k([0], "zero")], name: "\(p)_row_zeros"), try k([Double(s.k)], "first_interval")], name: "\(p)_first")
            if s.n - 1 > s.k {
                let inner = Array(s.t[(s.k + 1)..<s.n])
                let passed = try b.node("Cast", [try b.node("GreaterOrEqual", [xs, try k(inner, "inner_knots")], name: "\(p)_passed")], attributes: ["to": .dataType(dtype)], name: "\(p)_passed_float")
                let count = try b.node("ReduceSum", [passed, try b.initializer([Int64(1)], shape: [1], name: "axis1")], attributes: ["keepdims": .int(1)], name: "\(p)_count")
                l = try b.node("Add", [count, l], name: "\(p)_interval")
            }
            let intervals = s.t.count - 1
            var basis = try b.node("Cast", [try b.node("Equal", [l, try b.floats((0..<intervals).map(Double.init), shape: [Int64(intervals)], dtype: dtype, name: "\(p)_interval_ids")], name: "\(p)_on_interval")],
                                   attributes: ["to": .dataType(dtype)], name: "\(p)_degree0")
            if s.k > 0 {
                for e in 1...s.k {
                    let w = intervals - e
                    let start = (0..<w).map { s.t[$0] }, end = (0..<w).map { s.t[$0 + e + 1] }
                    let invLeft = (0..<w).map { s.t[$0 + e] > s.t[$0] ? 1 / (s.t[$0 + e] - s.t[$0]) : 0 }
                    let invRight = (0..<w).map { s.t[$0 + e + 1] > s.t[$0 + 1] ? 1 / (s.t[$0 + e + 1] - s.t[$0 + 1]) : 0 }
                    let lowerPart = try slice(basis, 0, w, b, name: "\(p)_d\(e)_lower")
                    let upperPart = try slice(basis, 1, w + 1, b, name: "\(p)_d\(e)_upper")
                    let left = try b.node("Mul", [try b.node("Mul", [try b.node("Sub", [xs, try b.floats(start, shape: [Int64(w)], dtype: dtype, name: "\(p)_d\(e)_start")], name: "\(p)_d\(e)_from_start"),
                                                                     try b.floats(invLeft, shape: [Int64(w)], dtype: dtype, name: "\(p)_d\(e)_inv_left")], name: "\(p)_d\(e)_left_weight"), lowerPart], name: "\(p)_d\(e)_left")
                    let right = try b.node("Mul", [try b.node("Mul", [try b.node("Sub", [try b.floats(end, shape: [Int64(w)], dtype: dtype, name: "\(p)_d\(e)_end"), xs], name: "\(p)_d\(e)_to_end"),
                                                                      try b.floats(invRight, shape: [Int64(w)], dtype: dtype, name: "\(p)_d\(e)_inv_right")], name: "\(p)_d\(e)_right_weight"), upperPart], name: "\(p)_d\(e)_right")
                    basis = try b.node("Add", [left, right], name: "\(p)_degree\(e)")
                }
            }
            var out = try b.node("MatMul", [basis, try b.floats(s.c, shape: [Int64(s.n), Int64(s.splines)], dtype: dtype, name: "\(p)_coefficients")], name: "\(p)_values")
            guard d >= 0, d < s.t.count - d - 1 else { throw SklearnError.invalid(path: splinesNode.path + "[\(f)]", reason: "degree \(d) for \(s.t.count) knots") }
            let xmin = s.t[d], xmax = s.t[s.t.count - d - 1]
            let below = try b.node("Less", [column, try k([xmin], "xmin")], name: "\(p)_below")
            let above = try b.node("Greater", [column, try k([xmax], "xmax")], name: "\(p)_above")
            switch extrapolation {
            case "constant", "linear":
                let fMin = s.evaluate(xmin, interval: s.interval(xmin), derivative: false), fMax = s.evaluate(xmax, interval: s.interval(xmax), derivative: false)
                var belowRow = [Double](repeating: 0, count: s.splines), aboveRow = belowRow
                var belowSlope = belowRow, aboveSlope = belowRow
                if extrapolation == "constant" {
                    for j in 0..<min(d, s.splines) { belowRow[j] = fMin[j]; aboveRow[s.splines - 1 - j] = fMax[s.splines - 1 - j] }
                } else {
                    let dMin = s.evaluate(xmin, interval: s.interval(xmin), derivative: true), dMax = s.evaluate(xmax, interval: s.interval(xmax), derivative: true)
                    if d <= 1 { d += 1 }
                    for j in 0..<min(d, s.splines) {
                        belowRow[j] = fMin[j]; belowSlope[j] = dMin[j]
                        aboveRow[s.splines - 1 - j] = fMax[s.splines - 1 - j]; aboveSlope[s.splines - 1 - j] = dMax[s.splines - 1 - j]
                    }
                }
                func continued(_ row: [Double], _ slope: [Double], from edge: Double, _ name: String) throws -> GraphBuilder.Value {
                    let r = try b.floats(row, shape: [Int64(s.splines)], dtype: dtype, name: "\(p)_\(name)_values")
                    guard slope.contains(where: { $0 != 0 }) else { return r }
                    let dx = try b.node("Sub", [column, try k([edge], "\(name)_edge")], name: "\(p)_\(name)_distance")
                    return try b.node("Add", [r, try b.node("Mul", [dx, try b.floats(slope, shape: [Int64(s.splines)], dtype: dtype, name: "\(p)_\(name)_slopes")], name: "\(p)_\(name)_rise")], name: "\(p)_\(name)_line")
                }
                out = try b.node("Where", [above, try continued(aboveRow, aboveSlope, from: xmax, "above"), out], name: "\(p)_above_extrapolated")
                out = try b.node("Where", [below, try continued(belowRow, belowSlope, from: xmin, "below"), out], name: "\(p)_extrapolated")
            case "error":
                let outside = try b.node("Or", [below, above], name: "\(p)_outside")
                out = try b.node("Where", [outside, try k([.nan], "nan"), out], name: "\(p)_in_range")
            default: break
            }
            if missing == "zeros" {
                out = try b.node("Where", [try b.node("IsNaN", [column], name: "\(p)_missing"), try k([0], "zero"), out], name: "\(p)_missing_zeroed")
            }
            var count = s.splines
            if !includeBias {
                out = try slice(out, 0, s.splines - 1, b, name: "\(p)_without_last")
                count -= 1
            }
            parts.append(out)
            total += count
        }
        return .transformed(parts.count == 1 ? parts[0] : try b.node("Concat", parts, attributes: ["axis": .int(1)], name: "splines"), width: total)
    }

    func slice(_ v: GraphBuilder.Value, _ start: Int, _ end: Int, _ b: GraphBuilder, name: String) throws -> GraphBuilder.Value {
        try b.node("Slice", [v, try b.initializer([Int64(start)], shape: [1], name: "\(name)_start"), try b.initializer([Int64(end)], shape: [1], name: "\(name)_end"),
                             try b.initializer([Int64(1)], shape: [1], name: "axis1")], name: name)
    }
}
