import Foundation
import TestSupport
import XCTest

/// A truncated file of every convertible format: exit 1, one `error: FILE: ...` line, and
/// no output file (nor any temporary file) left behind.
final class CorruptInputTests: XCTestCase {
    func testTruncatedFileOfEachFormat() throws {
        let exe = TestPaths.cli
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("convert-cli is not built at \(exe.path)") }
        let cases: [(String, Int, [String])] = [
            ("xgboost/binary_logistic/model.json", 3000, []),
            ("xgboost/binary_logistic/model.ubj", 2000, []),
            ("xgboost/binary_logistic/dump.txt", 150, ["--objective", "binary:logistic", "--base-score", "0.5"]),
            ("xgboost/binary_logistic/dump.json", 400, ["--objective", "binary:logistic", "--base-score", "0.5"]),
            ("lightgbm/binary/model.txt", 900, []),
            ("lightgbm/binary/dump.json", 700, []),
            ("python/sklearn/logreg.p4.pkl", 300, []),
            ("python/sklearn/logreg.plain.joblib", 300, []),
            ("python/sklearn/logreg.gzip3.joblib", 300, []),
            ("python/sklearn/logreg.skops", 600, []),
            ("python/sklearn/logreg.jsonpickle.json", 500, []),
            ("layerspec/mlp.layers.json", 200, []),
        ]
        for (fixture, keep, flags) in cases {
            let source = TestPaths.fixtures(fixture)
            guard FileManager.default.fileExists(atPath: source.path) else { XCTFail("missing fixture \(fixture)"); continue }
            let dir = TemporaryFolder("corrupt")
            let name = source.lastPathComponent
            let cut = dir.file(name)
            try Data(contentsOf: source).prefix(keep).write(to: cut)
            let out = dir.file("out.onnx")
            let r = try runProcess(exe, [cut.path, "-o", out.path] + flags)
            XCTAssertEqual(r.status, 1, "\(fixture): \(r.stdout) \(r.stderr)")
            let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
            XCTAssertEqual(lines.count, 1, "\(fixture): \(r.stderr)")
            XCTAssertTrue(lines.first?.hasPrefix("error: \(cut.path): ") ?? false, "\(fixture): \(r.stderr)")
            XCTAssertEqual(dir.contents, [name], "\(fixture): something was left behind")
        }
    }
}
