import Foundation
import TestSupport
import XCTest

/// `convert-cli` on LightGBM files, end to end.
final class ConvertLightGBMTests: XCTestCase {
    func cli(_ args: [String]) throws -> ProcessResult {
        let exe = TestPaths.cli
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("convert-cli is not built at \(exe.path)") }
        return try runProcess(exe, args)
    }

    func fixture(_ c: String, _ f: String) -> String { TestPaths.fixtures("lightgbm/\(c)/\(f)").path }

    func testModelTextConvertsVerifiedAndRuns() throws {
        let dir = TemporaryFolder("cli-lgb")
        let out = dir.file("m.onnx").path
        let r = try cli([fixture("multiclass", "model.txt"), "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("LightGBM multiclass") && r.stdout.contains(": OK"), r.stdout)
        let run = try cli(["run", out, "--input", "input=" + fixture("multiclass", "X.npy")])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("probabilities"), run.stdout)
    }

    func testDumpJSONWithIterationsAndFloat64() throws {
        let dir = TemporaryFolder("cli-lgb-dump")
        let r = try cli([fixture("zero_as_missing", "dump.json"), "-o", dir.file("m.onnx").path, "--num-iterations", "2", "--dtype", "float64"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("2 trees"), r.stdout)
    }

    func testLinearTreeExits1WithoutOutput() throws {
        let dir = TemporaryFolder("cli-lgb-linear")
        let r = try cli([fixture("linear_tree", "model.txt"), "-o", dir.file("m.onnx").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("is a linear tree"), r.stderr)
        XCTAssertEqual(dir.contents, [])
    }
}

/// `convert-cli` on scikit-learn files.
final class ConvertSklearnTests: XCTestCase {
    func testForestJoblibConvertsVerified() throws {
        let exe = TestPaths.cli
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("convert-cli is not built") }
        let dir = TemporaryFolder("cli-sklearn")
        let r = try runProcess(exe, [TestPaths.fixtures("python/sklearn/forest.zlib3.joblib").path, "-o", dir.file("m.onnx").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("scikit-learn RandomForestClassifier, 3 trees") && r.stdout.contains(": OK"), r.stdout)
        let bad = try runProcess(exe, [TestPaths.fixtures("python/hostile/os_system_p0.pkl").path, "-o", dir.file("x.onnx").path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("calls os.system at byte") && bad.stderr.contains("nothing was executed"), bad.stderr)
        XCTAssertEqual(dir.contents, ["m.onnx"])
    }
}
