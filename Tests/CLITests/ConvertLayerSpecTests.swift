import Foundation
import TestSupport
import XCTest

/// `convert-cli` on layer specs, end to end.
final class ConvertLayerSpecTests: XCTestCase {
    func cli(_ args: [String]) throws -> ProcessResult {
        let exe = TestPaths.cli
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("convert-cli is not built at \(exe.path)") }
        return try runProcess(exe, args)
    }

    func fixture(_ f: String) -> String { TestPaths.fixtures("layerspec/\(f)").path }

    func testSpecWithCheckpointConvertsAndRuns() throws {
        let dir = TemporaryFolder("cli-layerspec")
        let out = dir.file("cnn.onnx").path
        let r = try cli([fixture("cnn.layers.json"), "-o", out, "--weights", fixture("cnn.pt")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("layer spec cnn, 10 layers, weights cnn.pt"), r.stdout)
        XCTAssertTrue(r.stdout.contains("not verified"), r.stdout)
        let run = try cli(["run", out, "--input", "x=" + fixture("cnn.x.npy")])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("output: float32 [2, 4]"), run.stdout)
    }

    func testBadSpecExits1AndWritesNothing() throws {
        let dir = TemporaryFolder("cli-layerspec-bad")
        let spec = dir.file("bad.layers.json")
        try Data(#"{"format": "layerspec/1", "inputs": {"x": {"shape": ["batch", 4]}}, "layers": [{"type": "Linear", "in_features": 5, "out_features": 2}]}"#.utf8).write(to: spec)
        let r = try cli([spec.path, "-o", dir.file("bad.onnx").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("error: \(spec.path): $.layers[0]: Linear: in_features is 5"), r.stderr)
        XCTAssertEqual(dir.contents, ["bad.layers.json"])
    }
}
