import Foundation
import TestSupport
import XCTest

/// `convert-cli` on XGBoost files, end to end: flags, the verification report, exit
/// statuses, and that failures leave nothing behind.
final class ConvertXGBoostTests: XCTestCase {
    func cli(_ args: [String]) throws -> ProcessResult {
        let exe = TestPaths.cli
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("convert-cli is not built at \(exe.path)") }
        return try runProcess(exe, args)
    }

    func fixture(_ c: String, _ f: String) -> String { TestPaths.fixtures("xgboost/\(c)/\(f)").path }

    func testSavedModelConvertsAndReportsVerification() throws {
        let dir = TemporaryFolder("cli-xgb")
        let out = dir.file("m.onnx").path
        let r = try cli([fixture("multi_softprob", "model.ubj"), "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        // One line: output, what it holds, size, opsets, ops, verification.
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 2, r.stdout)
        XCTAssertEqual(lines.last, "", r.stdout)
        let line = String(lines[0])
        XCTAssertTrue(line.hasPrefix("\(fixture("multi_softprob", "model.ubj")) -> \(out): XGBoost multi:softprob, 12 trees, 6 features, 3 margins; "), line)
        XCTAssertTrue(line.contains(" bytes; opsets ai.onnx.ml=5, ai.onnx=21; ops Add, ArgMax, Gather, Softmax, ai.onnx.ml:TreeEnsemble; verified 236 rows, "), line)
        XCTAssertTrue(line.hasSuffix(" 0 of 236 labels differ, 0 of 2832 leaf choices differ: OK"), line)
        XCTAssertEqual(dir.contents, ["m.onnx"], "no staging file is left behind")
        let run = try cli(["run", out, "--input", "input=" + fixture("multi_softprob", "X.npy")])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("probabilities"), run.stdout)
    }

    func testDumpWithFlagsAndVerifyData() throws {
        let dir = TemporaryFolder("cli-xgb-dump")
        let out = dir.file("m.onnx").path
        let r = try cli([fixture("binary_logistic", "dump.txt"), "-o", out, "--objective", "binary:logistic", "--base-score", "[4.375E-1]",
                         "--num-features", "6", "--verify-data", fixture("binary_logistic", "X.npy"), "--zipmap", "--ml-opset", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "", "no warning when objective, base score and feature count are given")
        XCTAssertTrue(r.stdout.contains("verified 95 rows"), r.stdout)
        let inspect = try cli(["inspect", out])
        XCTAssertTrue(inspect.stdout.contains("output_probability"), inspect.stdout)
        XCTAssertTrue(inspect.stdout.contains("ai.onnx.ml 3"), inspect.stdout)
    }

    func testDumpWithoutObjectiveExits1AndWritesNothing() throws {
        let dir = TemporaryFolder("cli-xgb-noobj")
        let out = dir.file("m.onnx")
        let r = try cli([fixture("reg_gamma", "dump.txt"), "-o", out.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("error: \(fixture("reg_gamma", "dump.txt")): a dump does not record its objective; pass --objective NAME"), r.stderr)
        XCTAssertEqual(dir.contents, [])
    }

    func testMissingBaseScoreWarnsOnStderr() throws {
        let dir = TemporaryFolder("cli-xgb-warn")
        let r = try cli([fixture("reg_gamma", "dump.txt"), "-o", dir.file("m.onnx").path, "--objective", "reg:gamma"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: no base_score given; assuming 0.5"), r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: the dump does not record the number of features"), r.stderr)
    }

    func testBadInputKeepsAnExistingOutput() throws {
        let dir = TemporaryFolder("cli-xgb-keep")
        let out = dir.file("m.onnx")
        try Data("previous".utf8).write(to: out)
        let broken = dir.file("broken.json")
        var text = try String(contentsOfFile: fixture("reg_squarederror", "model.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"split_indices\":[", with: "\"split_indices\":[\"x\",")
        try text.write(to: broken, atomically: true, encoding: .utf8)
        let r = try cli([broken.path, "-o", out.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("$.learner.gradient_booster.model.trees[0].split_indices[0] is a string, expected a number"), r.stderr)
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), "previous")
        XCTAssertEqual(dir.contents, ["broken.json", "m.onnx"])
    }

    func testUsageErrors() throws {
        let dir = TemporaryFolder("cli-xgb-usage")
        var r = try cli([fixture("reg_gamma", "model.json"), "-o", dir.file("m.onnx").path, "--dtype", "int8"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--dtype must be float32 or float64"), r.stderr)
        r = try cli([fixture("reg_gamma", "model.json"), "-o", dir.file("m.onnx").path, "--base-score", "abc"])
        XCTAssertEqual(r.status, 2)
        r = try cli([fixture("reg_gamma", "model.json"), "-o", dir.file("m.onnx").path, "--verify-data", fixture("multi_softprob", "X.npy")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("do not fit the model's 5 features"), r.stderr)
        XCTAssertEqual(dir.contents, [])
    }

    func testNoVerifySaysSo() throws {
        let dir = TemporaryFolder("cli-xgb-noverify")
        let r = try cli([fixture("rank_ndcg", "model.json"), "-o", dir.file("m.onnx").path, "--no-verify"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("not verified (--no-verify)"), r.stdout)
    }

    /// The same input and options give byte-identical files.
    func testDeterministicOutput() throws {
        let dir = TemporaryFolder("cli-xgb-det")
        for n in ["a", "b"] {
            let r = try cli([fixture("categorical", "model.json"), "-o", dir.file("\(n).onnx").path, "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
        XCTAssertEqual(try Data(contentsOf: dir.file("a.onnx")), try Data(contentsOf: dir.file("b.onnx")))
    }
}
