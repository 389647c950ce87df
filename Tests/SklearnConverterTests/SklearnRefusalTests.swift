import ConversionKit
import ONNX
import Foundation
import SklearnConverter
import TestSupport
import XCTest

/// Fitted states the converters do not handle (Fixtures/python/sklearn_extra/REFUSED.json):
/// each conversion must fail with a SklearnError whose description names the class or
/// attribute and the reason, never produce a model.
final class SklearnRefusalTests: XCTestCase {
    func testUnsupportedStatesFailWithTheirNames() throws {
        let root = TestPaths.fixtures("python/sklearn_extra")
        let cases = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("REFUSED.json"))) as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(cases.count, 3)  // infrequent and string categories moved to the converted (sklearn_mixed)
        for entry in cases {
            let name = try XCTUnwrap(entry["name"] as? String)
            let words = try XCTUnwrap(entry["words"] as? [String])
            for floatType in [DataType.float, DataType.double] {
                var options = ConversionOptions()
                options.floatType = floatType
                do {
                    _ = try SklearnConverter().convert(contentsOf: root.appendingPathComponent("\(name).p4.pkl"), format: .pickle, options: options)
                    XCTFail("\(name): converted, but should have been refused")
                } catch let e as SklearnError {
                    for w in words { XCTAssertTrue(e.description.contains(w), "\(name): '\(e.description)' does not mention '\(w)'") }
                }
            }
        }
    }
}
