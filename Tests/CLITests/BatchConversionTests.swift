import Foundation
import TestSupport
import XCTest

/// `make convert SRC= OUT=` on a folder of good and bad models, and the CLI pieces it uses
/// (`list-models`, `--json`, sidecar options, `report`).
final class BatchConversionTests: XCTestCase {
    func cli(_ args: [String]) throws -> ProcessResult {
        let exe = TestPaths.cli
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("convert-cli is not built at \(exe.path)") }
        return try runProcess(exe, args)
    }

    /// A source folder: an XGBoost saved model, a dump whose sidecar names its config, a
    /// LightGBM model, a layer spec with its weights, a truncated model and files that
    /// are not models (inputs, the config).
    func sources() throws -> TemporaryFolder {
        let dir = TemporaryFolder("batch-src")
        let fm = FileManager.default
        let xgb = TestPaths.fixtures("xgboost/binary_logistic")
        try fm.createDirectory(at: dir.file("sub"), withIntermediateDirectories: true)
        try fm.copyItem(at: xgb.appendingPathComponent("model.json"), to: dir.file("model.json"))
        try fm.copyItem(at: xgb.appendingPathComponent("dump.txt"), to: dir.file("sub/dump.txt"))
        try fm.copyItem(at: xgb.appendingPathComponent("config.json"), to: dir.file("sub/config.json"))
        try Data(#"{"config": "config.json", "num-features": 6}"#.utf8).write(to: dir.file("sub/dump.txt.convert.json"))
        try fm.copyItem(at: xgb.appendingPathComponent("X.npy"), to: dir.file("X.npy"))
        try fm.copyItem(at: TestPaths.fixtures("lightgbm/binary/model.txt"), to: dir.file("lgb.txt"))
        try fm.copyItem(at: TestPaths.fixtures("layerspec/mlp.layers.json"), to: dir.file("mlp.layers.json"))
        try fm.copyItem(at: TestPaths.fixtures("layerspec/mlp.safetensors"), to: dir.file("mlp.safetensors"))
        let text = try Data(contentsOf: TestPaths.fixtures("lightgbm/binary/model.txt"))
        try text.prefix(500).write(to: dir.file("broken.txt"))
        return dir
    }

    func testListModelsFindsModelsByContent() throws {
        let src = try sources()
        let r = try cli(["list-models", src.url.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n"), ["broken.txt", "lgb.txt", "mlp.layers.json", "model.json", "sub/dump.txt"])
    }

    func testSidecarOptionsAndJSONReport() throws {
        let src = try sources()
        let out = TemporaryFolder("batch-json")
        let r = try cli([src.file("sub/dump.txt").path, "-o", out.file("d.onnx").path, "--json", "--options-file", src.file("sub/dump.txt.convert.json").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["status"] as? String, "ok")
        XCTAssertEqual(object["format"] as? String, "xgboost-text")
        XCTAssertEqual(object["warnings"] as? [String], [])   // the sidecar supplied config and feature count
        let v = try XCTUnwrap(object["verification"] as? [String: Any])
        XCTAssertEqual(v["passed"] as? Bool, true)
        XCTAssertTrue((object["ops"] as? [String] ?? []).contains("ai.onnx.ml:TreeEnsemble"))
        let bad = try cli([src.file("broken.txt").path, "-o", out.file("b.onnx").path, "--json"])
        XCTAssertEqual(bad.status, 1)
        let failure = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(failure["status"] as? String, "error")
        XCTAssertEqual(failure["format"] as? String, "lightgbm-text", "the format is reported for a failed file too")
        XCTAssertTrue((failure["error"] as? String ?? "").contains("broken.txt"), "\(failure)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.file("b.onnx").path))
    }

    func testMakeConvertGoesOnAfterAFailureAndReports() throws {
        let exe = TestPaths.cli
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("convert-cli is not built") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/make") else { throw XCTSkip("no make") }
        let src = try sources()
        let out = TemporaryFolder("batch-out")
        let args = ["-C", TestPaths.root.path, "--no-print-directory", "-j2", "convert", "SRC=\(src.url.path)", "OUT=\(out.url.path)", "CONVERT_CLI=\(exe.path)"]
        // A fresh make, not a sub-make of the `make test` that may be running this.
        var env = ProcessInfo.processInfo.environment
        for k in ["MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"] { env[k] = nil }
        let r = try runProcess(URL(fileURLWithPath: "/usr/bin/make"), args, environment: env)
        XCTAssertNotEqual(r.status, 0, "a failed file must make make fail")
        XCTAssertTrue(r.stdout.contains("model.json -> "), r.stdout)
        for m in ["model.json", "sub/dump.txt", "lgb.txt", "mlp.layers.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.file("\(m).onnx").path), "\(m): \(r.stdout) \(r.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.file("broken.txt.onnx").path))
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: out.file("report.json"))) as? [String: Any])
        XCTAssertEqual(report["models"] as? Int, 5)
        XCTAssertEqual(report["failed"] as? Int, 1)
        let rows = try XCTUnwrap(report["results"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["model"] as? String ?? "" }, ["broken.txt", "lgb.txt", "mlp.layers.json", "model.json", "sub/dump.txt"])
        XCTAssertEqual(rows.map { $0["status"] as? String ?? "" }, ["error", "ok", "ok", "ok", "ok"])
        XCTAssertEqual(rows[3]["bytes"] as? Int, try FileManager.default.attributesOfItem(atPath: out.file("model.json.onnx").path)[.size] as? Int)
        XCTAssertTrue((rows[0]["error"] as? String ?? "").contains("broken.txt"), "\(rows[0])")
        // make says which file failed and nothing else: the output folders are not
        // intermediate files for it to delete (it used to try, and complain).
        let makeLines = r.stderr.split(separator: "\n").filter { !$0.contains("broken.txt") && !$0.contains("not remade") && !$0.contains("] Error") }
        XCTAssertEqual(makeLines, [], r.stderr)
        let md = try String(contentsOf: out.file("report.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("| broken.txt | FAILED | lightgbm-text |") && md.contains("Tree=0 has no leaf_value"), md)
        XCTAssertTrue(md.contains("| model.json | ok | xgboost-json |"), md)
        // A second run converts nothing again (outputs are newer than their sources).
        let again = try runProcess(URL(fileURLWithPath: "/usr/bin/make"), args, environment: env)
        XCTAssertFalse(again.stdout.contains(" -> "), again.stdout)
        XCTAssertTrue(again.stdout.contains("4 converted, 1 failed"), again.stdout)

        // What a model read besides itself is a prerequisite too: the layer spec's weights,
        // the dump's config (named by its sidecar).
        let inputs = try String(contentsOf: out.file("inputs.mk"), encoding: .utf8)
        XCTAssertTrue(inputs.contains("\(out.file("mlp.layers.json.onnx").path): \(src.file("mlp.safetensors").path)\n"), inputs)
        XCTAssertTrue(inputs.contains("\(out.file("sub/dump.txt.onnx").path): \(src.file("sub/config.json").path)\n"), inputs)
        let weights = src.file("mlp.safetensors")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: weights.path)
        let newWeights = try runProcess(URL(fileURLWithPath: "/usr/bin/make"), args, environment: env)
        XCTAssertEqual(newWeights.stdout.split(separator: "\n").filter { $0.contains(" -> ") }.map { String($0.prefix { $0 != " " }) },
                       [src.file("mlp.layers.json").path], "only the model whose weights changed is converted again")

        // A model that fails keeps the good output of the run before, which is newer than
        // its source; it is still tried again on the next run, and make still fails.
        let moved = src.file("weights.moved")
        try FileManager.default.moveItem(at: weights, to: moved)
        let missing = try runProcess(URL(fileURLWithPath: "/usr/bin/make"), args, environment: env)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("mlp.safetensors"), missing.stderr)
        let stillMissing = try runProcess(URL(fileURLWithPath: "/usr/bin/make"), args, environment: env)
        XCTAssertNotEqual(stillMissing.status, 0)
        XCTAssertTrue(stillMissing.stderr.contains("mlp.safetensors"), "a failed model is tried again: \(stillMissing.stderr)")
        XCTAssertTrue(stillMissing.stdout.contains("3 converted, 2 failed"), stillMissing.stdout)
        try FileManager.default.moveItem(at: moved, to: weights)
        let restored = try runProcess(URL(fileURLWithPath: "/usr/bin/make"), args, environment: env)
        XCTAssertTrue(restored.stdout.contains("\(src.file("mlp.layers.json").path) -> "), restored.stdout)
        XCTAssertTrue(restored.stdout.contains("4 converted, 1 failed"), restored.stdout)
    }
}
