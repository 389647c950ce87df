import Foundation
import PythonObjects
import TestSupport
import XCTest

/// Reads the pickles Python wrote (Fixtures/python/objects, scripts/make_python_fixtures.py)
/// and compares each value with the description Python wrote beside it, arrays byte for
/// byte with numpy's own .npy files.
final class ObjectFixtureTests: XCTestCase {
    let root = TestPaths.fixtures("python/objects")

    func testEveryProtocolOfEveryValueMatchesPython() throws {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
        let pickles = files.filter { $0.hasSuffix(".pkl") && !$0.contains("p5oob") }
        guard !pickles.isEmpty else { throw XCTSkip("Fixtures/python/objects is missing") }
        var checked = 0
        for file in pickles {
            let name = String(file.split(separator: ".")[0])
            let expected = try json(root.appendingPathComponent("\(name).expected.json"))
            let value: PyValue
            do { value = try PythonObjectFile.read([UInt8](Data(contentsOf: root.appendingPathComponent(file)))) } catch {
                XCTFail("\(file): \(error)"); continue
            }
            var problems: [String] = []
            var ids: [Int: ObjectIdentifier] = [:]
            compare(value, expected, path: file, problems: &problems, ids: &ids)
            XCTAssertEqual(problems, [], file)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 150)
    }

    func testOutOfBandBuffers() throws {
        let pkl = root.appendingPathComponent("oob_arrays.p5oob.pkl")
        guard FileManager.default.fileExists(atPath: pkl.path) else { throw XCTSkip("no oob fixture") }
        let dir = root.appendingPathComponent("oob_arrays.p5oob.buffers")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted { Int($0.split(separator: ".")[0])! < Int($1.split(separator: ".")[0])! }
        let buffers = try names.map { [UInt8](try Data(contentsOf: dir.appendingPathComponent($0))) }
        let value = try PythonObjectFile.read([UInt8](Data(contentsOf: pkl)), buffers: buffers)
        var problems: [String] = []
        var ids: [Int: ObjectIdentifier] = [:]
        compare(value, try json(root.appendingPathComponent("oob_arrays.expected.json")), path: "oob", problems: &problems, ids: &ids)
        XCTAssertEqual(problems, [])
        XCTAssertThrowsError(try PythonObjectFile.read([UInt8](Data(contentsOf: pkl)))) { e in
            XCTAssertTrue("\(e)".contains("out-of-band buffer"), "\(e)")
        }
    }

    func json(_ url: URL) throws -> [String: Any] { try ExpectationChecker.json(url) }

    func compare(_ v: PyValue, _ e: [String: Any], path: String, problems: inout [String], ids: inout [Int: ObjectIdentifier]) {
        ExpectationChecker(root: root).compare(v, e, path: path, problems: &problems, ids: &ids)
    }
}
