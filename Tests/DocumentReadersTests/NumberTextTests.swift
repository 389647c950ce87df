import DocumentReaders
import Foundation
import XCTest

final class NumberTextTests: XCTestCase {
    func parse(_ s: String) -> Double? {
        let b = Array(s.utf8)
        return b.withUnsafeBufferPointer { NumberText.double($0, 0, b.count) }
    }

    func testAgreesWithStrtod() {
        for s in ["0", "-0", "+5", "1.0000000180025095e-35", "5.5000000000000009", "-0.27815441787242884", "1e300", "4.9e-324",
                  "123456789012345678901234", "0.1", "-1E+2", "inf", "-inf", "nan"] {
            let want = strtod(s, nil)
            guard let got = parse(s) else { XCTFail("\(s) not parsed"); continue }
            XCTAssertTrue(got.bitPattern == want.bitPattern || (got.isNaN && want.isNaN), "\(s): \(got) vs \(want)")
        }
        for bad in ["", "-", "1e", "1.2.3", "abc", "1,5", "0x10"] where bad != "0x10" {
            XCTAssertNil(parse(bad), bad)
        }
    }

    func testIntegers() {
        let b = Array("-42 7 x 99999999999999999999".utf8)
        b.withUnsafeBufferPointer { p in
            XCTAssertEqual(NumberText.integer(p, 0, 3), -42)
            XCTAssertEqual(NumberText.integer(p, 4, 5), 7)
            XCTAssertNil(NumberText.integer(p, 6, 7))
            XCTAssertNil(NumberText.integer(p, 8, b.count))
        }
    }
}
