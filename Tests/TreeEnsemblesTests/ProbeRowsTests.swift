import TreeEnsembles
import XCTest

/// `TreeEnsembleModel.probeRows`: straddles every threshold, reaches every split,
/// deterministic and capped.
final class ProbeRowsTests: XCTestCase {
    func values(_ rows: [[Float]], feature f: Int) -> Set<UInt32> { Set(rows.map { $0[f].bitPattern }) }

    func testStartsWithZeroAndNaNRows() throws {
        let rows = try T.mixed().probeRows()
        XCTAssertEqual(rows[0], [0, 0, 0, 0])
        XCTAssertTrue(rows[1].allSatisfy(\.isNaN))
    }

    func testFloat32ThresholdIsStraddled() throws {
        let m = T.regression([T.stump({ T.lt32(0, 0.5, yes: $0, no: $1) }, 1, 2)], features: 1)
        let v = values(try m.probeRows(), feature: 0)
        for x: Float in [0.5, Float(0.5).nextDown, Float(0.5).nextUp, .nan] { XCTAssertTrue(v.contains(x.bitPattern), "\(x)") }
    }

    func testFloat64ThresholdIsStraddledInFloat32() throws {
        let m = T.regression([T.stump({ T.le64(0, 0.1, yes: $0, no: $1) }, 1, 2)], features: 1)
        let v = values(try m.probeRows(), feature: 0)
        // The float32 values around 0.1: ...CB, ...CC (just below), ...CD (just above), ...CE.
        for bits: UInt32 in [0x3DCC_CCCB, 0x3DCC_CCCC, 0x3DCC_CCCD, 0x3DCC_CCCE] { XCTAssertTrue(v.contains(bits), String(bits, radix: 16)) }
        let d = Set(try m.probeRowsFloat64().map { $0[0].bitPattern })
        for x in [0.1, Double(0.1).nextDown, Double(0.1).nextUp] { XCTAssertTrue(d.contains(x.bitPattern), "\(x)") }
    }

    func testFloat32ThresholdGetsItsFloat64RoundingBoundary() throws {
        let m = T.regression([T.stump({ T.lt32(0, 1, yes: $0, no: $1) }, 1, 2)], features: 1)
        let d = Set(try m.probeRowsFloat64().map { $0[0] })
        let b = 1 - 0x1p-25                                   // Float(x) < 1 exactly for x < b
        for x in [b, b.nextDown, b.nextUp, 1] { XCTAssertTrue(d.contains(x), "\(x)") }
    }

    func testCategoricalValues() throws {
        let m = T.regression([T.stump({ T.cat(0, [2, 5], yes: $0, no: $1) }, 1, 2)], features: 1)
        let v = Set(try m.probeRows().map { $0[0] }.filter { !$0.isNaN })
        for x: Float in [2, 2.9, 5, 5.9, 6, -0.5, -1, -1.5, 0x1p31] { XCTAssertTrue(v.contains(x), "\(x)") }
        XCTAssertTrue(try m.probeRows().contains { $0[0].isNaN })
    }

    func testDeepSplitsAreReachedOnTheirThreshold() throws {
        // The split on feature 1 is reached only when x0 >= 0.25 and trunc(x2) is 3.
        let tree = Tree(nodes: [T.lt32(0, 0.25, yes: 1, no: 2), T.leaf(0), T.cat(2, [3], yes: 3, no: 4),
                                T.le64(1, 7.5, yes: 5, no: 6), T.leaf(1), T.leaf(2), T.leaf(3)])
        let m = T.regression([tree], features: 3)
        let rows = try m.probeRows()
        let reaching = rows.filter { $0[0] >= 0.25 && $0[2].rounded(.towardZero) == 3 }
        let v = Set(reaching.map { $0[1] })
        for x: Float in [7.5, Float(7.5).nextDown, Float(7.5).nextUp] { XCTAssertTrue(v.contains(x), "\(x)") }
        XCTAssertTrue(reaching.contains { $0[1].isNaN })
        // Both leaves under the deep split are reached.
        let leaves = Set(try rows.map { try TreeEnsembleEvaluator(m).leaves($0)[0] })
        XCTAssertEqual(leaves, [1, 4, 5, 6])
    }

    func testDeterministicAndCapped() throws {
        let m = RandomEnsembles.model(seed: 5, trees: 40, depth: 6, features: 5, columns: 1)
        XCTAssertEqual(try m.probeRows().map { $0.map(\.bitPattern) }, try m.probeRows().map { $0.map(\.bitPattern) })
        XCTAssertLessThanOrEqual(try m.probeRows(limit: 4096).count, 4096)
        let few = try m.probeRows(limit: 32)
        XCTAssertEqual(few.count, 32)
        // A cap is spread over features: each feature is varied in some of the 32 rows.
        for f in 0..<5 { XCTAssertGreaterThan(Set(few.map { $0[f].bitPattern }).count, 2, "feature \(f)") }
        XCTAssertEqual(try m.probeRows(limit: 0), [])
        // No duplicate rows.
        let all = try m.probeRows()
        XCTAssertEqual(Set(all.map { $0.map(\.bitPattern) }).count, all.count)
    }
}
