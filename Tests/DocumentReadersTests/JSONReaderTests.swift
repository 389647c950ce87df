import DocumentReaders
import Foundation
import XCTest

final class JSONReaderTests: XCTestCase {
    func testValuesAndOrder() throws {
        let v = try JSONReader.parse(#"{"b": [1, 2.5, -3e2], "a": {"x": null, "y": true, "z": "h\u00e9\n\"q\""}, "c": [1, "s"], "d": []}"#)
        let root = DocumentNode(v, path: "$")
        XCTAssertEqual(root.keys, ["b", "a", "c", "d"])
        let b = try root.member("b").numbers()
        XCTAssertEqual(b.doubles, [1, 2.5, -300])
        XCTAssertFalse(b.allIntegers)
        XCTAssertNil(try root.member("a").optionalMember("x"))
        XCTAssertTrue(try root.member("a").member("y").bool())
        XCTAssertEqual(try root.member("a").member("z").string(), "hé\n\"q\"")
        let c = try root.member("c").elements()
        XCTAssertEqual(try c[0].integer(), 1)
        XCTAssertEqual(try c[1].string(), "s")
        XCTAssertEqual(try root.member("d").integers(), [])
    }

    /// A name twice in one object is refused at the second one: readers disagree on which
    /// wins, so the file is ambiguous. The same name in different objects is fine, and a
    /// large object (where a set takes over from the scan) is checked just the same.
    func testRepeatedMemberNameIsRefused() throws {
        XCTAssertThrowsError(try JSONReader.parse(#"{"a": 1, "b": {"a": 2}, "a": 3}"#)) { e in
            XCTAssertEqual("\(e)", #"invalid JSON at line 1, column 25 (byte 24): the member name "a" appears twice in one object"#)
        }
        XCTAssertNoThrow(try JSONReader.parse(#"{"a": 1, "b": {"a": 2}}"#))
        let many = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        XCTAssertNoThrow(try JSONReader.parse("{\(many)}"))
        XCTAssertThrowsError(try JSONReader.parse("{\(many), \"k7\": 0}"))
    }

    /// Each literal is rounded once to float32, not through float64. The literal below is
    /// just above the midpoint of two float32 neighbours by less than a float64 ulp: via
    /// float64 it lands exactly on the midpoint and rounds to even (down); directly it
    /// rounds up.
    func testFloat32RoundedOnceFromTheLiteral() throws {
        // Midpoint of 1 and nextUp(1) in float32 is 1 + 2^-24; add 2^-80.
        let literal = "1.00000005960464477539062582718061255302767487140869206996285356581211090087890625"
        let v = try JSONReader.parse("[\(literal)]")
        guard case .numbers(let n) = v else { return XCTFail("not packed: \(v)") }
        XCTAssertEqual(n.floats[0], Float(1).nextUp)
        XCTAssertEqual(Float(n.doubles[0]), 1, "via float64 it rounds to even; this is the case the direct parse avoids")
        XCTAssertEqual(n.doubles[0], 1 + 0x1p-24)
    }

    /// A short literal (the fast float64 path) whose float64 lands exactly on a float32
    /// midpoint: the float32 must still come from the literal.
    func testFloat32AtAMidpointOnTheFastPath() throws {
        let n = try DocumentNode(JSONReader.parse("[1.000000059604644776, 1.000000059604644775, 0.1, -2.5e-3, 3.4028235e38, 1e39]"), path: "$").numbers()
        XCTAssertEqual(n.doubles[0], 1 + 0x1p-24)
        XCTAssertEqual(n.floats[0], Float(1).nextUp, "above the midpoint: rounds up")
        XCTAssertEqual(n.floats[1], 1, "below the midpoint: rounds down")
        XCTAssertEqual(n.doubles[2], 0.1)
        XCTAssertEqual(n.floats[2], Float(0.1))
        XCTAssertEqual(n.doubles[3], -0.0025)
        XCTAssertEqual(n.floats[4], .greatestFiniteMagnitude)
        XCTAssertEqual(n.floats[5], .infinity)
        XCTAssertEqual(n.doubles[5], 1e39)
    }

    /// Against the C library's correctly rounded strtod/strtof, on literals of the shapes
    /// model files hold (shortest float32, 9 and 17 significant digits, exponents).
    func testNumbersAgreeWithStrtodAndStrtof() throws {
        var rng = SystemRandomNumberGenerator()
        var literals: [String] = []
        for _ in 0..<5000 {
            let f = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng))
            guard f.isFinite else { continue }
            literals.append("\(f)")
            literals.append(String(format: "%.9g", Double(f)))
            literals.append(String(format: "%.17g", Double(f) * 1.000000119))
            literals.append(String(format: "%.6e", Double.random(in: -1e6...1e6, using: &rng)))
        }
        let n = try DocumentNode(JSONReader.parse("[" + literals.joined(separator: ",") + "]"), path: "$").numbers()
        let floats = n.floats
        var wrong: [String] = []
        for (k, lit) in literals.enumerated() {
            let d = strtod(lit, nil), f = strtof(lit, nil)
            if n.doubles[k].bitPattern != d.bitPattern || floats[k].bitPattern != f.bitPattern { wrong.append(lit) }
        }
        XCTAssertEqual(wrong, [], "literals read differently from strtod/strtof")
    }

    func testIntegersStayExact() throws {
        let v = try JSONReader.parse("[9007199254740993, -0, 2147483647]")
        let node = DocumentNode(v, path: "$")
        let e = try node.elements()
        XCTAssertEqual(try e[2].integer(), 2_147_483_647)
        XCTAssertEqual(try e[1].number().double.sign, .minus)
    }

    func testPythonLiterals() throws {
        let n = try DocumentNode(JSONReader.parse("[NaN, Infinity, -Infinity]"), path: "$").numbers()
        XCTAssertTrue(n.doubles[0].isNaN)
        XCTAssertEqual(n.doubles[1], .infinity)
        XCTAssertEqual(n.floats[2], -.infinity)
    }

    func testSyntaxErrorsNameLineAndColumn() {
        XCTAssertThrowsError(try JSONReader.parse("{\n  \"a\": [1, 2,, 3]\n}")) { e in
            guard case DocumentError.jsonSyntax(let offset, let line, let column, let message) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(line, 2)
            XCTAssertEqual(column, 14)
            XCTAssertEqual(offset, 15)
            XCTAssertTrue(message.contains("expected a value"), message)
        }
        XCTAssertThrowsError(try JSONReader.parse("{\"a\": 1} x")) { e in
            XCTAssertTrue("\(e)".contains("after the end of the document"), "\(e)")
        }
        XCTAssertThrowsError(try JSONReader.parse("[01]")) { e in XCTAssertTrue("\(e)".contains("leading zeros"), "\(e)") }
        XCTAssertThrowsError(try JSONReader.parse("\"abc")) { e in XCTAssertTrue("\(e)".contains("unterminated string"), "\(e)") }
        XCTAssertThrowsError(try JSONReader.parse(String(repeating: "[", count: 600))) { e in XCTAssertTrue("\(e)".contains("nesting"), "\(e)") }
        XCTAssertThrowsError(try JSONReader.parse("")) { e in XCTAssertTrue("\(e)".contains("empty"), "\(e)") }
    }

    func testAccessorErrorsNameThePath() throws {
        let root = DocumentNode(try JSONReader.parse(#"{"learner": {"objective": {"name": 3}}}"#), path: "$")
        XCTAssertThrowsError(try root.member("learner").member("objective").member("name").string()) { e in
            XCTAssertEqual("\(e)", "$.learner.objective.name is a number, expected a string")
        }
        XCTAssertThrowsError(try root.member("learner").member("booster")) { e in
            XCTAssertEqual("\(e)", "$.learner has no member 'booster'")
        }
        let s = DocumentNode(.string("12x"), path: "p")
        XCTAssertThrowsError(try s.integer()) { e in XCTAssertEqual("\(e)", "p: '12x' is not an integer") }
        XCTAssertEqual(try DocumentNode(.string(" 7 "), path: "p").integer(), 7)
    }
}
