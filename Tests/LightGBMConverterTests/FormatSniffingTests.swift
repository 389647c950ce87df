import ConversionKit
import Foundation
import TestSupport
import XCTest

/// Format detection of the tree frontends' files, from their first bytes.
final class FormatSniffingTests: XCTestCase {
    func testFixturesAreRecognised() throws {
        let cases: [(String, SourceFormat)] = [
            ("lightgbm/binary/model.txt", .lightgbmText), ("lightgbm/binary/dump.json", .lightgbmJSON),
            ("xgboost/binary_logistic/model.json", .xgboostJSON), ("xgboost/binary_logistic/model.ubj", .xgboostUBJSON),
            ("xgboost/binary_logistic/dump.txt", .xgboostTextDump), ("xgboost/binary_logistic/dump.json", .xgboostJSONDump),
        ]
        for (path, format) in cases {
            XCTAssertEqual(try FormatSniffer.sniff(url: TestPaths.fixtures(path)), format, path)
        }
    }

    /// A dump of a model with many features pushes tree_info past the sniffed prefix;
    /// its opening `"name": "tree"` still says what it is.
    func testLargeLightGBMDumpIsRecognisedByItsOpening() {
        let infos = (0..<200).map { "\"Column_\($0)\": \"[-2.5:3.5]\"" }.joined(separator: ", ")
        let text = "{\"name\": \"tree\", \"version\": \"v4\", \"num_class\": 1, \"feature_infos\": {\(infos)}, \"tree_info\": []}"
        XCTAssertGreaterThan(text.utf8.count, FormatSniffer.prefixLength)
        XCTAssertEqual(FormatSniffer.sniff(prefix: Array(text.utf8.prefix(FormatSniffer.prefixLength)), fileName: "big.json"), .lightgbmJSON)
    }
}
