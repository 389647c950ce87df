import DocumentReaders
import TestSupport
import Foundation
import XCTest

final class UBJSONReaderTests: XCTestCase {
    /// Bytes written by hand from the UBJSON draft-12 specification.
    func testContainersAndTypedArrays() throws {
        var b: [UInt8] = [UInt8(ascii: "{")]
        func key(_ s: String) { b += [UInt8(ascii: "U"), UInt8(s.utf8.count)] + Array(s.utf8) }
        key("f")   // float32 typed array of 2: 1.5, -0.1f
        b += Array("[$d#U".utf8) + [2] + [0x3F, 0xC0, 0x00, 0x00] + [0xBD, 0xCC, 0xCC, 0xCD]
        key("l")   // int32 typed array, count as int64 (XGBoost writes L counts)
        b += Array("[$l#L".utf8) + [0, 0, 0, 0, 0, 0, 0, 2] + [0xFF, 0xFF, 0xFF, 0xFF] + [0, 0, 0, 7]
        key("s")
        b += [UInt8(ascii: "S"), UInt8(ascii: "i"), 3] + Array("abc".utf8)
        key("n")   // no-op markers are skipped
        b += [UInt8(ascii: "N"), UInt8(ascii: "Z")]
        key("m")   // untyped array of mixed values
        b += [UInt8(ascii: "["), UInt8(ascii: "T"), UInt8(ascii: "I"), 0x01, 0x00, UInt8(ascii: "]")]
        key("D")
        b += [UInt8(ascii: "D")] + [0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18]
        b += [UInt8(ascii: "}")]
        let root = DocumentNode(try UBJSONReader.parse(b), path: "$")
        XCTAssertEqual(root.keys, ["f", "l", "s", "n", "m", "D"])
        let f = try root.member("f").numbers()
        XCTAssertEqual(f.floats, [1.5, -0.1])
        XCTAssertEqual(f.doubles[1], Double(Float(-0.1)))
        XCTAssertEqual(try root.member("l").integers(), [-1, 7])
        XCTAssertEqual(try root.member("s").string(), "abc")
        XCTAssertTrue(root.has("n"))
        XCTAssertNil(try root.optionalMember("n"), "null reads as absent")
        let m = try root.member("m").elements()
        XCTAssertTrue(try m[0].bool())
        XCTAssertEqual(try m[1].integer(), 256)
        XCTAssertEqual(try root.member("D").double(), 3.141592653589793)
    }

    func testTruncatedInputNamesTheOffset() {
        let b = Array("[$d#U".utf8) + [4, 0x3F, 0xC0]
        XCTAssertThrowsError(try UBJSONReader.parse(b)) { e in
            guard case DocumentError.ubjsonSyntax(let offset, let message) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(offset, 6)
            XCTAssertTrue(message.contains("runs past the end"), message)
        }
        XCTAssertThrowsError(try UBJSONReader.parse([UInt8(ascii: "{"), UInt8(ascii: "U"), 1, UInt8(ascii: "a"), UInt8(ascii: "?")])) { e in
            XCTAssertEqual("\(e)", "invalid UBJSON at byte 4: unknown marker '?'")
        }
        XCTAssertThrowsError(try UBJSONReader.parse([UInt8(ascii: "T"), UInt8(ascii: "T")])) { e in
            XCTAssertTrue("\(e)".contains("after the end"), "\(e)")
        }
    }

    /// As in JSON, a name twice in one object is refused, naming the second one's offset.
    func testRepeatedMemberNameIsRefused() {
        let member = [UInt8(ascii: "i"), 1, UInt8(ascii: "a"), UInt8(ascii: "T")]
        XCTAssertThrowsError(try UBJSONReader.parse([UInt8(ascii: "{")] + member + member + [UInt8(ascii: "}")])) { e in
            XCTAssertEqual("\(e)", #"invalid UBJSON at byte 5: the member name "a" appears twice in one object"#)
        }
    }

    /// The same XGBoost model saved as JSON and as UBJSON reads to the same numbers.
    func testXGBoostModelJSONAndUBJSONAgree() throws {
        let dir = TestPaths.fixtures("xgboost/binary_logistic")
        let json = try JSONReader.parse([UInt8](Data(contentsOf: dir.appendingPathComponent("model.json"))))
        let ubj = try UBJSONReader.parse([UInt8](Data(contentsOf: dir.appendingPathComponent("model.ubj"))))
        func trees(_ v: DocumentValue) throws -> [DocumentNode] {
            try DocumentNode(v, path: "$").member("learner").member("gradient_booster").member("model").member("trees").elements()
        }
        let a = try trees(json), b = try trees(ubj)
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(try x.member("split_conditions").numbers().floats, try y.member("split_conditions").numbers().floats)
            XCTAssertEqual(try x.member("left_children").integers(), try y.member("left_children").integers())
            XCTAssertEqual(try x.member("default_left").integers(), try y.member("default_left").integers())
        }
    }
}

