import TreeEnsembles
import XCTest

final class TreeModelTests: XCTestCase {
    /// A split keeps the source's number type and comparison.
    func testSplitKeepsSourceThresholdType() {
        let s = Split(feature: 2, threshold: .float64(0.1), comparison: .lessOrEqual, yes: 1, no: 2, missingGoesToYes: true)
        XCTAssertEqual(s.threshold, .float64(0.1))
        XCTAssertNotEqual(s.threshold, .float32(0.1))
    }
}
