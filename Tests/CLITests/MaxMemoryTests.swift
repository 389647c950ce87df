import Foundation
import TestSupport
import XCTest

/// `--max-memory`: a budget a model does not fit is an error naming the limit (exit 1,
/// nothing written); a size that is not one is a usage error (exit 2).
final class MaxMemoryTests: XCTestCase {
    func cli(_ args: [String]) throws -> ProcessResult {
        let exe = TestPaths.cli
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("convert-cli is not built at \(exe.path)") }
        return try runProcess(exe, args)
    }

    func testABudgetTooSmallForTheModelFailsAndWritesNothing() throws {
        for fixture in ["xgboost/binary_logistic/model.json", "lightgbm/binary/model.txt", "python/sklearn/forest.p4.pkl",
                        "python/sklearn/logreg.skops", "layerspec/mlp.layers.json"] {
            let dir = TemporaryFolder("max-memory")
            let out = dir.file("m.onnx")
            let input = TestPaths.fixtures(fixture).path
            let r = try cli([input, "-o", out.path, "--max-memory", "1K"])
            XCTAssertEqual(r.status, 1, "\(fixture): \(r.stdout) \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("error: \(input): "), "\(fixture): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("reader limit memoryBudget:") && r.stderr.contains("exceeds the limit of 1024"), "\(fixture): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--max-memory"), "\(fixture): \(r.stderr)")
            XCTAssertEqual(dir.contents, [], "\(fixture): something was left behind")
        }
        // The same model within a budget it fits converts.
        let dir = TemporaryFolder("max-memory")
        let r = try cli([TestPaths.fixtures("xgboost/binary_logistic/model.json").path, "-o", dir.file("m.onnx").path, "--max-memory", "64M"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(dir.contents, ["m.onnx"])
    }

    func testAMalformedSizeIsAUsageError() throws {
        let dir = TemporaryFolder("max-memory")
        for bad in ["lots", "-5M", "0", "12Q"] {
            let r = try cli([TestPaths.fixtures("xgboost/binary_logistic/model.json").path, "-o", dir.file("m.onnx").path, "--max-memory=\(bad)"])
            XCTAssertEqual(r.status, 2, "\(bad): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--max-memory must be a size such as 512M, 4G or a number of bytes"), "\(bad): \(r.stderr)")
        }
        XCTAssertEqual(dir.contents, [])
    }

    func testHelpShowsTheFlagAndItsDefault() throws {
        let r = try cli(["convert", "--help"])
        XCTAssertTrue(r.stdout.contains("--max-memory <size>"), r.stdout)
        XCTAssertTrue(r.stdout.contains("default 8G"), r.stdout)
    }
}
