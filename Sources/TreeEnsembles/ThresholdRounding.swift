/// How a split's threshold is written for an input type so that the ONNX comparison
/// makes the source's decision for every input value (DESIGN.md, "Numbers").
///
/// Each function returns the ONNX mode and threshold; docs/tree-ir.md repeats the
/// proofs given here.
public enum ThresholdRounding {
    /// The comparison an ONNX tree node makes.
    public enum Mode: Sendable, Equatable {
        /// `x <= threshold` (BRANCH_LEQ).
        case lessOrEqual
        /// `x < threshold` (BRANCH_LT).
        case lessThan
    }

    /// The largest float32 (or -inf) that is at most `t`: rounding toward -inf.
    ///
    /// Values above the float32 range give `greatestFiniteMagnitude` (+inf gives +inf),
    /// values below it give -inf.
    public static func float32RoundedDown(_ t: Double) -> Float {
        var f = Float(t)                         // to nearest; may overflow to ±inf
        if Double(f) > t { f = f.nextDown }      // nextDown(+inf) is greatestFiniteMagnitude
        return f
    }

    /// The smallest float32 (or +inf) that is at least `t`: rounding toward +inf.
    public static func float32RoundedUp(_ t: Double) -> Float {
        var f = Float(t)
        if Double(f) < t { f = f.nextUp }
        return f
    }

    /// A float64 threshold for a float32 input.
    ///
    /// `x <= t` (float64) becomes `x <= t'` with t' the largest float32 at most t.
    /// Proof, for every float32 x that is not NaN: if `x <= t'` then
    /// `Double(x) <= Double(t') <= t`; if `Double(x) <= t` then x is a float32 that is
    /// at most t, so `x <= t'` because t' is the largest such. (-inf is at most every
    /// non-NaN t, so t' exists; t above the float32 range gives greatestFiniteMagnitude,
    /// and indeed only +inf is then above it; t below the range gives -inf, and only -inf
    /// is then at most t.) NaN fails both comparisons and goes where the missing-value
    /// flag says.
    ///
    /// `x < t` (float64) becomes `x < t''` with t'' the smallest float32 at least t:
    /// if `x < t` then `x < t <= t''`; if `x < t''` then x, being a float32 below the
    /// smallest float32 at least t, is below t.
    ///
    /// - Parameters:
    ///   - t: the float64 threshold (not NaN).
    ///   - comparison: the source's comparison.
    /// - Returns: the ONNX mode (the same comparison) and the float32 threshold.
    public static func float32Threshold(forFloat64 t: Double, _ comparison: Split.Comparison) -> (Mode, Float) {
        switch comparison {
        case .lessOrEqual: return (.lessOrEqual, float32RoundedDown(t))
        case .lessThan: return (.lessThan, float32RoundedUp(t))
        }
    }

    /// A float32 threshold (XGBoost: the input is rounded to float32, then compared) for
    /// a float64 input.
    ///
    /// `Float(x) < t` holds exactly for the float64 x below the point where rounding to
    /// float32 starts giving t: the midpoint b between t's predecessor and t (exact in
    /// float64, since adjacent float32 values need 25 significant bits). Rounding is
    /// monotone, so the set is `x < b` or `x <= b`; which one is decided by rounding b
    /// itself (a tie goes to the even neighbour). Infinities take ±2^128 as their
    /// neighbour's other side, where float32 rounding overflows. `Float(x) <= t` is
    /// `Float(x) < nextUp(t)` for t below +inf, and always true (for non-NaN x) at +inf.
    ///
    /// - Returns: the ONNX mode and the float64 threshold.
    public static func float64Threshold(forFloat32 t: Float, _ comparison: Split.Comparison) -> (Mode, Double) {
        switch comparison {
        case .lessThan: return lessThanBoundary(t)
        case .lessOrEqual:
            if t == .infinity { return (.lessOrEqual, .infinity) }
            return lessThanBoundary(t.nextUp)
        }
    }

    /// `Float(x) < t` as a float64 comparison.
    static func lessThanBoundary(_ t: Float) -> (Mode, Double) {
        if t == -.infinity { return (.lessThan, -.infinity) }     // never true
        let overflow = 0x1p128 as Double
        let lower = t.nextDown
        let lo = lower == -.infinity ? -overflow : Double(lower)
        let hi = t == .infinity ? overflow : Double(t)
        let b = (lo + hi) / 2                                     // exact
        // Where does the midpoint itself round?
        return Float(b) < t ? (.lessOrEqual, b) : (.lessThan, b)
    }
}
