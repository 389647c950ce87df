import ConversionKit
import Foundation
import LightGBMConverter
import TestSupport
import XCTest

/// A model.txt cut anywhere inside its trees must be refused, never converted as a
/// smaller model (a cut inside the last number of a leaf_value line still parses).
final class TruncationTests: XCTestCase {
    func testModelTextCutInsideTheTreesIsRefused() throws {
        let source = TestPaths.fixtures("lightgbm/binary/model.txt")
        let text = try Data(contentsOf: source)
        let end = try XCTUnwrap(String(decoding: text, as: UTF8.self).range(of: "end of trees")).lowerBound.utf16Offset(in: String(decoding: text, as: UTF8.self))
        let folder = TemporaryFolder("lgb-truncated")
        var refused = 0
        for cut in stride(from: 300, to: end, by: max(1, (end - 300) / 40)) {
            let url = folder.file("cut-\(cut).txt")
            try text.prefix(cut).write(to: url)
            XCTAssertThrowsError(try LightGBMConverter().convert(contentsOf: url, format: .lightgbmText, options: ConversionOptions()), "cut at \(cut)") {
                XCTAssertTrue("\($0)".contains("line"), "\($0)")
            }
            refused += 1
        }
        XCTAssertGreaterThan(refused, 30)
    }
}
