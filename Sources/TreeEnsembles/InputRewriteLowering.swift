import ONNX

/// Lowers `TreeEnsembleModel.inputRewrites` to standard ops in front of the tree op, so
/// that a source's missing-value rules hold exactly with ONNX trees, which only give NaN
/// a missing direction:
///
/// ```
/// x1    = Where(And(IsNaN(x), nanColumns), 0, x)          (toZero with nan)
/// small = Less(Abs(x1), nextUp(z))                         (z per column, -1 where unused)
/// x2    = Where(And(small, zeroColumns), 0, x1)            (toZero)
/// x3    = Where(And(small, missingColumns), NaN, x2)       (zeroToMissing)
/// x4    = Where(And(Not(Equal(Floor(x3), x3)), wholeColumns), NaN, x3)   (nonIntegerToMissing)
/// ```
///
/// The column masks are [F] booleans. `|x| < nextUp(z)` is `|x| <= z` except that NaN
/// fails it (LessOrEqual needs opset 12; Not(Greater) would hold for NaN). For float32
/// inputs z is first rounded down to float32, so the float32 comparison decides as
/// `Double(x) <= z` does (docs/tree-ir.md, the threshold rule).
enum InputRewriteLowering {
    static func lower(_ model: TreeEnsembleModel, input x: GraphBuilder.Value, builder b: GraphBuilder,
                      inputType: TreeEnsembleLowering.InputType) throws -> GraphBuilder.Value {
        guard !model.inputRewrites.isEmpty else { return x }
        let F = model.featureCount
        var nanColumns = [Bool](repeating: false, count: F)
        var zeroColumns = [Bool](repeating: false, count: F)
        var missingColumns = [Bool](repeating: false, count: F)
        var wholeColumns = [Bool](repeating: false, count: F)
        var band = [Double](repeating: -1, count: F)
        for (f, rule) in model.inputRewrites.sorted(by: { $0.key < $1.key }) {
            switch rule {
            case .toZero(let z, let nan): zeroColumns[f] = true; nanColumns[f] = nan; band[f] = z
            case .zeroToMissing(let z): missingColumns[f] = true; band[f] = z
            case .nonIntegerToMissing: wholeColumns[f] = true
            }
        }
        let shape = [Int64(F)]
        func values(_ v: [Double], name: String) throws -> GraphBuilder.Value {
            switch inputType {
            case .float32: return try b.initializer(v.map { $0 < 0 ? Float(-1) : ThresholdRounding.float32RoundedDown($0).nextUp }, shape: shape, name: name)
            case .float64: return try b.initializer(v.map { $0 < 0 ? -1 : $0.nextUp }, shape: shape, name: name)
            }
        }
        func scalar(_ d: Double, name: String) throws -> GraphBuilder.Value {
            switch inputType {
            case .float32: return try b.initializer([Float(d)], shape: [], name: name)
            case .float64: return try b.initializer([d], shape: [], name: name)
            }
        }
        var v = x
        if nanColumns.contains(true) {
            let isNaN = try b.node("IsNaN", [v], name: "input_is_nan")
            let hit = try b.node("And", [isNaN, try b.initializer(nanColumns, shape: shape, name: "nan_as_zero_columns")], name: "nan_as_zero")
            v = try b.node("Where", [hit, try scalar(0, name: "zero"), v], name: "input_nan_to_zero")
        }
        if zeroColumns.contains(true) || missingColumns.contains(true) {
            let magnitude = try b.node("Abs", [v], name: "input_magnitude")
            let small = try b.node("Less", [magnitude, try values(band, name: "zero_band_limit")], name: "input_in_zero_band")
            if zeroColumns.contains(true) {
                let hit = try b.node("And", [small, try b.initializer(zeroColumns, shape: shape, name: "small_as_zero_columns")], name: "small_as_zero")
                v = try b.node("Where", [hit, try scalar(0, name: "zero"), v], name: "input_small_to_zero")
            }
            if missingColumns.contains(true) {
                let hit = try b.node("And", [small, try b.initializer(missingColumns, shape: shape, name: "zero_as_missing_columns")], name: "zero_as_missing")
                v = try b.node("Where", [hit, try scalar(.nan, name: "missing_value"), v], name: "input_zero_to_missing")
            }
        }
        if wholeColumns.contains(true) {
            // NaN fails Equal and stays NaN; infinities are whole (Floor(inf) = inf).
            let fraction = try b.node("Not", [try b.node("Equal", [try b.node("Floor", [v], name: "input_floor"), v], name: "input_is_whole")], name: "input_not_whole")
            let hit = try b.node("And", [fraction, try b.initializer(wholeColumns, shape: shape, name: "non_integer_as_missing_columns")], name: "non_integer_as_missing")
            v = try b.node("Where", [hit, try scalar(.nan, name: "missing_value"), v], name: "input_non_integer_to_missing")
        }
        return v
    }
}
