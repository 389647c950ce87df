import Foundation
import PythonObjects
import TestSupport
import XCTest

/// `ZipDirectory`: the check that keeps ZIPFoundation from walking an archive whose
/// directory points outside the file (fuzzing's findings in Fixtures/fuzz-regressions).
final class ZipDirectoryTests: XCTestCase {
    func problem(_ bytes: [UInt8]) -> String? { bytes.withUnsafeBytes { ZipDirectory.problem(in: $0) } }

    func testEveryFixtureArchivePasses() throws {
        let archives = ["python/sklearn", "python/skops_extra", "layerspec"].flatMap { folder -> [URL] in
            let base = TestPaths.fixtures(folder)
            return ((try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [])
                .filter { $0.hasSuffix(".skops") || $0.hasSuffix(".pt") }.map { base.appendingPathComponent($0) }
        }
        XCTAssertGreaterThan(archives.count, 20)
        for url in archives { XCTAssertNil(problem([UInt8](try Data(contentsOf: url))), url.lastPathComponent) }
    }

    func testOffsetsAndSizesOutsideTheFileAreRefused() throws {
        // A torch checkpoint (ZIP64 end record), with its directory offset moved past the end.
        var pt = [UInt8](try Data(contentsOf: TestPaths.fixtures("layerspec/mlp.pt")))
        let record = try XCTUnwrap((0..<(pt.count - 4)).last { pt[$0..<($0 + 4)] == [0x50, 0x4B, 0x06, 0x06] })
        for k in 0..<8 { pt[record + 48 + k] = 0xFF }
        XCTAssertTrue(problem(pt)?.contains("past the end") == true, problem(pt) ?? "accepted")
        // What fuzzing found: the same for a file of 102 bytes, and an .npz member inside a
        // skops file whose entry points past its end.
        let pt64 = [UInt8](try Data(contentsOf: TestPaths.fixtures("fuzz-regressions/weights/zip64-directory-offset-above-int64-max.pt")))
        XCTAssertNotNil(problem(pt64))
        XCTAssertThrowsError(try SkopsReader().read(contentsOf: TestPaths.fixtures("fuzz-regressions/skops/npz-member-offset-past-the-end-traps-in-memory-archive.skops"))) { e in
            guard case PythonObjectsError.container(let reason) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(reason.contains(".npz archive") && reason.contains("past the end"), reason)
        }
        XCTAssertEqual(problem(Array("not a zip".utf8)), nil, "too short to be one: ZIPFoundation refuses it itself")
        XCTAssertEqual(problem([UInt8](repeating: 0, count: 64)), "no end of central directory record")
    }
}
