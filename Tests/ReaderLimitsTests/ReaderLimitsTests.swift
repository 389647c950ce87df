import ReaderLimits
import XCTest

/// The policy itself: sizes as people write them, and a breach's message.
final class ReaderLimitsTests: XCTestCase {
    func testByteCounts() {
        XCTAssertEqual(ReaderLimits.byteCount("1048576"), 1 << 20)
        XCTAssertEqual(ReaderLimits.byteCount("1K"), 1024)
        XCTAssertEqual(ReaderLimits.byteCount("512M"), 512 << 20)
        XCTAssertEqual(ReaderLimits.byteCount("4G"), 4 << 30)
        XCTAssertEqual(ReaderLimits.byteCount("4g"), 4 << 30)
        XCTAssertEqual(ReaderLimits.byteCount("1.5GiB"), 3 << 29)
        XCTAssertEqual(ReaderLimits.byteCount("2TB"), 2 << 40)
        for bad in ["", "0", "-1", "12X", "M", "1.2.3G", "1e3", "99999999999T", "0.0001K"] {
            XCTAssertNil(ReaderLimits.byteCount(bad), bad)
        }
    }
}
