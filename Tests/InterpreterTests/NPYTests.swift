import Foundation
import Interpreter
import ONNX
import TestSupport
import XCTest

/// Reads .npy files that numpy wrote (scripts/make_npy_fixtures.py; values are the
/// literals in that script).
final class NPYTests: XCTestCase {
    func read(_ name: String) throws -> TensorValue { try NPYFile.read(TestPaths.fixtures("npy/" + name)) }

    func testFloat32() throws {
        let t = try read("f32_2x3.npy")
        XCTAssertEqual(t.dataType, .float)
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(try t.floats(), [1.5, -2.0, 3.25, 0.0, 1e-3, -7.0])
    }

    func testFortranOrderIsReadRowMajor() throws {
        let t = try read("i64_fortran_2x3.npy")
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(try t.int64s(), [1, 2, 3, 4, 5, 6])
    }

    func testBoolStringsHalfAndScalar() throws {
        XCTAssertEqual(try read("bool_4.npy").bools(), [true, false, false, true])
        let s = try read("str_3.npy")
        XCTAssertEqual(try s.strings(), ["a", "héllo", ""])
        let h = try read("f16_3.npy")
        XCTAssertEqual(h.dataType, .float16)
        XCTAssertEqual(try h.floats(), [0.5, -1.0, 65504.0])
        let d = try read("f64_scalar.npy")
        XCTAssertEqual(d.shape, [])
        XCTAssertEqual(try d.doubles(), [2.5])
    }

    func testWriteThenReadBack() throws {
        for name in ["f32_2x3.npy", "bool_4.npy", "str_3.npy", "f16_3.npy", "f64_scalar.npy"] {
            let t = try read(name)
            XCTAssertEqual(try NPYFile.decode(try NPYFile.encode(t), source: name), t, name)
        }
    }

    func testBadFilesAreErrors() {
        XCTAssertThrowsError(try NPYFile.decode(Array("hello".utf8), source: "x.npy")) { e in
            XCTAssertTrue("\(e)".contains("x.npy"), "\(e)")
        }
        var bytes = [UInt8]([0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0x7F])
        bytes += Array("{'descr': '<f4'".utf8)
        XCTAssertThrowsError(try NPYFile.decode(bytes, source: "t.npy"))
    }
}
