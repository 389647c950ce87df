import Foundation
import PythonObjects
import ReaderLimits
import TestSupport
import XCTest

/// Fixtures/python/hostile: files that would run code, exhaust memory or are cut short.
/// Each gives an error (or, for valid but heavy streams, reads within bounds), and none
/// of the commands they carry ran.
final class HostileFileTests: XCTestCase {
    let root = TestPaths.fixtures("python/hostile")

    func read(_ name: String) throws -> PyValue {
        try PythonObjectFile.read([UInt8](Data(contentsOf: root.appendingPathComponent(name))))
    }

    func testFilesThatWouldRunCodeAreRefusedByName() throws {
        let cases = ["os_system_p0.pkl": "os.system", "posix_system_p4.pkl": "posix.system", "exec_p2.pkl": "__builtin__.exec",
                     "eval_p5.pkl": "builtins.eval", "popen_p4.pkl": "subprocess.Popen", "import_module_chain.pkl": "importlib.import_module",
                     "import_getattr_chain_p4.pkl": "builtins.__import__", "inst_os_system.pkl": "os.system", "obj_os_system.pkl": "os.system",
                     "dotted_name_numpy.pkl": "numpy.testing._private.utils.os.system"]
        guard FileManager.default.fileExists(atPath: root.path) else { throw XCTSkip("no hostile fixtures") }
        for (file, callable) in cases.sorted(by: { $0.key < $1.key }) {
            XCTAssertThrowsError(try read(file), file) { e in
                guard case PythonObjectsError.forbiddenCallable(let name, _) = e else { return XCTFail("\(file): \(e)") }
                XCTAssertEqual(name, callable, file)
                XCTAssertTrue("\(e)".contains("nothing was executed"), "\(e)")
            }
        }
        let touched = ((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter { $0.hasPrefix("pwned-") }
        XCTAssertEqual(touched, [], "a hostile file's command ran")
    }

    func testBrokenAndOversizedFilesAreErrors() throws {
        guard FileManager.default.fileExists(atPath: root.path) else { throw XCTSkip("no hostile fixtures") }
        let expectations: [String: String] = [
            "ext1_registry.pkl": "EXT1", "memo_get_missing.pkl": "memo key 7 was never stored",
            "huge_array_reconstruct.pkl": "needs 8000000000000000 bytes", "huge_array_frombuffer.pkl": "overflows",
            "huge_bytes_length.pkl": "remain", "next_buffer_missing.pkl": "out-of-band buffer",
            "truncated_empty.pkl": "ends", "truncated_proto_arg.pkl": "ends", "truncated_after_proto.pkl": "ends",
            "truncated_frame_header.pkl": "remain", "truncated_mid_string.pkl": "remain", "truncated_mid_bytes.pkl": "remain",
            "truncated_half.pkl": "ends", "truncated_before_stop.pkl": "ends", "truncated_plain.joblib": "remain",
            "zlib_bomb.joblib": "maxDecompressionRatio", "lzma3.joblib": "compressed with lzma", "bz2_3.joblib": "compressed with bz2",
        ]
        for (file, text) in expectations.sorted(by: { $0.key < $1.key }) {
            XCTAssertThrowsError(try read(file), file) { e in
                XCTAssertTrue(e is PythonObjectsError || e is ReaderLimitBreach, "\(file): \(e)")
                XCTAssertTrue("\(e)".contains(text), "\(file): \(e)")
            }
        }
    }

    func testHeavyButValidStreamsStayBounded() throws {
        guard FileManager.default.fileExists(atPath: root.path) else { throw XCTSkip("no hostile fixtures") }
        // 100,000 DUPs: a list of 100,001 Nones.
        guard case .list(let l) = try read("dup_bomb.pkl") else { return XCTFail() }
        XCTAssertEqual(l.items.count, 100_001)
        // 10^10 leaves by reference: read by sharing, printed within the line budget.
        let laughs = try read("billion_laughs.pkl")
        XCTAssertLessThanOrEqual(PyValueDump(depth: 12).text(laughs).split(separator: "\n").count, 20_001)
        // list(list(...)) 5000 deep and a list nested 30,000 deep read without recursion.
        XCTAssertNoThrow(try read("reduce_chain_deep.pkl"))
        let deep = try read("deep_nesting.pkl")
        XCTAssertTrue(PyValueDump().text(deep).contains("..."))
        XCTAssertNoThrow(try read("memo_long_binput.pkl"))
    }
}
