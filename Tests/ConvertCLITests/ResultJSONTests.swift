@testable import convert_cli
import Foundation
import XCTest

/// The hand-written JSON of --json, --result-file and report.json, read back by Foundation.
final class ResultJSONTests: XCTestCase {
    func testStringsNeedingEscapesAndPlainOnesRoundTrip() throws {
        let texts = ["plain", "", "quote \" backslash \\ newline \n tab \t cr \r", "control \u{01}\u{1F}", "é, 中文, 🙂 and | pipes"]
        let value: ResultJSON = .object(Dictionary(uniqueKeysWithValues: texts.enumerated().map { ("k\($0.offset)", .string($0.element)) }))
        for text in [value.text, value.indentedText] {
            let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
            XCTAssertEqual(parsed, Dictionary(uniqueKeysWithValues: texts.enumerated().map { ("k\($0.offset)", $0.element) }))
        }
    }

    func testNumbersAndNestingRoundTrip() throws {
        let value: ResultJSON = ["n": .int(-3), "x": .double(0.125), "big": .double(1e20), "nan": .double(.nan), "list": [true, false, .null],
                                 "nested": ["a": .strings(["x", "y"])]]
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(value.indentedText.utf8)) as? [String: Any])
        XCTAssertEqual(parsed["n"] as? Int, -3)
        XCTAssertEqual(parsed["x"] as? Double, 0.125)
        XCTAssertEqual(parsed["big"] as? Double, 1e20)
        XCTAssertTrue(parsed["nan"] is NSNull)
        XCTAssertEqual((parsed["nested"] as? [String: Any])?["a"] as? [String], ["x", "y"])
        XCTAssertEqual(value.text, #"{"big":1e+20,"list":[true,false,null],"n":-3,"nan":null,"nested":{"a":["x","y"]},"x":0.125}"#)
    }
}
