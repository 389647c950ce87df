import TreeEnsembles
import XCTest

/// The threshold rule (DESIGN.md, Numbers), checked against the definition of each
/// comparison on every float32 (or float64) value near the threshold.
final class ThresholdTests: XCTestCase {
    /// float64 thresholds that are not float32 values, or sit at the edges of the range.
    static let float64Thresholds: [Double] = [
        0.1, 1.0 / 3.0, 1e-40, -1e-40, 3.4e38, -3.4e38, -0.0, 0.0, 0.5, 2.5, 1e300, -1e300, .infinity, -.infinity,
        Double(Float.greatestFiniteMagnitude), -Double(Float.greatestFiniteMagnitude), 0.30000000000000004, 16_777_217,
        Double.leastNonzeroMagnitude, 1e-46, 0x1p-149, 0x1p-150, Double(Float(0.1)), Double(0.1).nextUp,
    ]

    /// `count` float32 values on each side of `center` (and the center).
    func float32Walk(_ center: Float, _ count: Int = 64) -> [Float] {
        var out = [center]
        var up = center, down = center
        for _ in 0..<count {
            up = up.nextUp
            down = down.nextDown
            out += [up, down]
        }
        return out.filter { !$0.isNaN } + [.infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0, -0.0]
    }

    func float64Walk(_ center: Double, _ count: Int = 64) -> [Double] {
        var out = [center]
        var up = center, down = center
        for _ in 0..<count {
            up = up.nextUp
            down = down.nextDown
            out += [up, down]
        }
        return out.filter { !$0.isNaN } + [.infinity, -.infinity]
    }

    func decide(_ mode: ThresholdRounding.Mode, _ x: Float, _ t: Float) -> Bool { mode == .lessOrEqual ? x <= t : x < t }
    func decide(_ mode: ThresholdRounding.Mode, _ x: Double, _ t: Double) -> Bool { mode == .lessOrEqual ? x <= t : x < t }

    // MARK: - float64 threshold, float32 input

    func testRoundedDownByHand() {
        XCTAssertEqual(ThresholdRounding.float32RoundedDown(0.1).bitPattern, 0x3DCC_CCCC)        // Float(0.1) = 0x3DCCCCCD > 0.1
        XCTAssertEqual(ThresholdRounding.float32RoundedDown(1.0 / 3.0).bitPattern, 0x3EAA_AAAA)  // Float(1/3) = 0x3EAAAAAB > 1/3
        XCTAssertEqual(ThresholdRounding.float32RoundedDown(1e-40).bitPattern, 0x0001_16C2)      // 71362.38 * 2^-149
        XCTAssertEqual(ThresholdRounding.float32RoundedDown(3.4e38).bitPattern, 0x7F7F_C99E)     // nearest is already below
        XCTAssertEqual(ThresholdRounding.float32RoundedDown(-0.0).bitPattern, 0x8000_0000)
        XCTAssertEqual(ThresholdRounding.float32RoundedDown(0.5), 0.5)
        XCTAssertEqual(ThresholdRounding.float32RoundedDown(16_777_217), 16_777_216)
        XCTAssertEqual(ThresholdRounding.float32RoundedDown(1e300), .greatestFiniteMagnitude)
        XCTAssertEqual(ThresholdRounding.float32RoundedDown(-1e300), -.infinity)
        XCTAssertEqual(ThresholdRounding.float32RoundedDown(.infinity), .infinity)
        XCTAssertEqual(ThresholdRounding.float32RoundedDown(-.infinity), -.infinity)
        XCTAssertEqual(ThresholdRounding.float32RoundedUp(0.1).bitPattern, 0x3DCC_CCCD)
        XCTAssertEqual(ThresholdRounding.float32RoundedUp(1e300), .infinity)
        XCTAssertEqual(ThresholdRounding.float32RoundedUp(-1e300), -.greatestFiniteMagnitude)
    }

    /// `x <= t'` equals `Double(x) <= t`, and `x < t''` equals `Double(x) < t`, for every
    /// float32 x near the threshold.
    func testFloat32DecisionsEqualFloat64DecisionsExhaustively() {
        var checked = 0
        for t in Self.float64Thresholds {
            for comparison in [Split.Comparison.lessOrEqual, .lessThan] {
                let (mode, t32) = ThresholdRounding.float32Threshold(forFloat64: t, comparison)
                XCTAssertEqual(mode, comparison == .lessOrEqual ? .lessOrEqual : .lessThan)
                let centers = [ThresholdRounding.float32RoundedDown(t), ThresholdRounding.float32RoundedUp(t), Float(t)]
                for c in centers {
                    for x in float32Walk(c) {
                        let want = comparison == .lessOrEqual ? Double(x) <= t : Double(x) < t
                        XCTAssertEqual(decide(mode, x, t32), want, "t \(t) \(comparison) x \(x)")
                        checked += 1
                    }
                }
                // NaN fails both (it goes where the missing flag says).
                XCTAssertFalse(decide(mode, Float.nan, t32))
            }
        }
        XCTAssertGreaterThan(checked, 10_000)
    }

    // MARK: - float32 threshold, float64 input

    func testFloat64BoundaryByHand() {
        // Float(x) < 1: x below the midpoint of 1 - 2^-24 and 1, which itself rounds to
        // 1 (the even neighbour), so strictly below.
        let (mode, b) = ThresholdRounding.float64Threshold(forFloat32: 1, .lessThan)
        XCTAssertEqual(mode, .lessThan)
        XCTAssertEqual(b, 1 - 0x1p-25)
        // Float(x) <= 1: below the midpoint of 1 and 1 + 2^-23, which rounds to 1 (even): <=.
        let (mode2, b2) = ThresholdRounding.float64Threshold(forFloat32: 1, .lessOrEqual)
        XCTAssertEqual(mode2, .lessOrEqual)
        XCTAssertEqual(b2, 1 + 0x1p-24)
        // Float(x) < +inf: x below 2^128 - 2^103, where rounding overflows.
        let (mode3, b3) = ThresholdRounding.float64Threshold(forFloat32: .infinity, .lessThan)
        XCTAssertEqual(mode3, .lessThan)
        XCTAssertEqual(b3, 0x1p128 - 0x1p103)
        XCTAssertEqual(ThresholdRounding.float64Threshold(forFloat32: .infinity, .lessOrEqual).1, .infinity)
        XCTAssertEqual(ThresholdRounding.float64Threshold(forFloat32: -.infinity, .lessThan).1, -.infinity)
    }

    /// `x <op> b` equals `Float(x) < t` (or `<=`) for every float64 x near the rounding
    /// boundary and near the threshold.
    func testFloat64DecisionsEqualFloat32DecisionsExhaustively() {
        let thresholds: [Float] = [0.1, 1.0 / 3.0, Float(Double(1e-40)), Float(Double(-1e-40)), 3.4e38, -3.4e38, -0.0, 0, 1, 0.5, 2.5, 16_777_216,
                                   .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity,
                                   .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, Float(1).nextUp]
        var checked = 0
        for t in thresholds {
            for comparison in [Split.Comparison.lessOrEqual, .lessThan] {
                let (mode, b) = ThresholdRounding.float64Threshold(forFloat32: t, comparison)
                var centers = [b]
                if t.isFinite { centers += [Double(t), Double(t.nextDown), Double(t.nextUp)] }
                for c in centers where c.isFinite {
                    for x in float64Walk(c) {
                        let want = comparison == .lessOrEqual ? Float(x) <= t : Float(x) < t
                        XCTAssertEqual(decide(mode, x, b), want, "t \(t) \(comparison) x \(x)")
                        checked += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 10_000)
    }
}
