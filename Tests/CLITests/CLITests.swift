import Foundation
import ONNX
import ONNXSerialization
import TestSupport
import XCTest

/// Runs the built `convert-cli` as a user would.
final class CLITests: XCTestCase {
    func cli(_ args: String...) throws -> ProcessResult {
        let exe = TestPaths.cli
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            throw XCTSkip("convert-cli is not built at \(exe.path); run `swift build` first")
        }
        return try runProcess(exe, args)
    }

    func smallModel(at url: URL) throws {
        var g = Graph(name: "g")
        g.input = [ValueInfo(name: "x", type: .tensor(.float, [.symbolic("batch"), .fixed(4)]))]
        g.initializer = [Tensor(name: "w", dataType: .float, dims: [4], rawData: ByteBuffer(copyingElementsOf: [Float](repeating: 0.5, count: 4)))]
        g.node = [Node(opType: "Mul", input: ["x", "w"], output: ["y"], name: "mul")]
        g.output = [ValueInfo(name: "y", type: .tensor(.float, [.symbolic("batch"), .fixed(4)]))]
        var m = Model()
        m.irVersion = 10
        m.producerName = "cli-test"
        m.opsetImport = [OperatorSetID(domain: "", version: 21)]
        m.graph = g
        try m.write(to: url)
    }

    func testInspectText() throws {
        let dir = TemporaryFolder("inspect")
        try smallModel(at: dir.file("m.onnx"))
        let r = try cli("inspect", dir.file("m.onnx").path)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("ir_version: 10"), r.stdout)
        XCTAssertTrue(r.stdout.contains("x: float32 [batch, 4]"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Mul: 1"), r.stdout)
        XCTAssertTrue(r.stdout.contains("initializers: 1, 16 bytes"), r.stdout)
    }

    func testInspectJSON() throws {
        let dir = TemporaryFolder("inspect-json")
        try smallModel(at: dir.file("m.onnx"))
        let r = try cli("inspect", dir.file("m.onnx").path, "--json")
        XCTAssertEqual(r.status, 0, r.stderr)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(obj?["irVersion"] as? Int, 10)
        XCTAssertEqual(obj?["ops"] as? [String: Int], ["Mul": 1])
        XCTAssertEqual((obj?["inputs"] as? [[String: Any]])?.first?["shape"] as? [String], ["batch", "4"])
    }

    func testCorruptFileGivesErrorLineAndExit1() throws {
        let dir = TemporaryFolder("corrupt")
        let bad = dir.file("bad.onnx")
        try Data([0x08, 0x08, 0x3A, 0x05, 0x0A, 0x03, 0x22, 0x09, 0x41]).write(to: bad)
        for sub in ["inspect", "check"] {
            let r = try cli(sub, bad.path)
            XCTAssertEqual(r.status, 1)
            XCTAssertTrue(r.stderr.hasPrefix("error: \(bad.path): "), r.stderr)
            XCTAssertTrue(r.stderr.contains("byte 7"), r.stderr)
            XCTAssertTrue(r.stderr.contains("ModelProto.graph.node[0].op_type"), r.stderr)
        }
        let r = try cli("pack", bad.path, "-o", dir.file("out.onnx").path)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(dir.contents, ["bad.onnx"], "a failed pack writes nothing")
    }

    func testMissingFile() throws {
        let r = try cli("inspect", "/nonexistent/m.onnx")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("error: /nonexistent/m.onnx: "), r.stderr)
    }

    func testUsageErrorsExit2() throws {
        XCTAssertEqual(try cli("inspect").status, 2)
        XCTAssertEqual(try cli("pack", "x.onnx", "--bogus").status, 2)
        XCTAssertEqual(try cli("--from", "nonsense", "x").status, 2)
    }

    func testHelpHasExamples() throws {
        let r = try cli("--help")
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("Examples:"), r.stdout)
        for sub in ["inspect", "check", "pack", "convert", "formats"] {
            let h = try cli(sub, "--help")
            XCTAssertEqual(h.status, 0, sub)
            XCTAssertTrue(h.stdout.contains("Example"), "\(sub) help lacks examples")
        }
    }

    func testPackMovesTensorsOutAndBackIn() throws {
        let dir = TemporaryFolder("pack")
        let src = dir.file("m.onnx")
        try smallModel(at: src)
        let split = dir.file("split.onnx")
        var r = try cli("pack", src.path, "-o", split.path, "--external-data", "--size-threshold", "16")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("1 tensors, 16 bytes in split.onnx.data"), r.stdout)
        XCTAssertEqual(dir.contents, ["m.onnx", "split.onnx", "split.onnx.data"])
        let whole = dir.file("whole.onnx")
        r = try cli("pack", split.path, "-o", whole.path)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Data(contentsOf: whole), try Data(contentsOf: src), "inline again: byte-identical to the original")
    }

    func testConvertNamesTheRecognisedFormat() throws {
        let dir = TemporaryFolder("convert")
        let weights = dir.file("model.safetensors")
        try Data([14, 0, 0, 0, 0, 0, 0, 0] + Array("{\"__metadata__\":{}}".utf8).prefix(14)).write(to: weights)
        let r = try cli(weights.path, "-o", dir.file("m.onnx").path)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("error: \(weights.path): recognised as safetensors"), r.stderr)
        XCTAssertEqual(dir.contents, ["model.safetensors"])
    }

    func testFormatsListsExamples() throws {
        let r = try cli("formats")
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("xgb-dump.txt"))
        XCTAssertTrue(r.stdout.contains("model.txt"))
    }
}

/// The example exporter (Examples/DenseExporter) builds, writes, reads back and runs its model.
final class ExampleExporterTests: XCTestCase {
    func testDenseExporterExampleRuns() throws {
        let exe = TestPaths.products.appendingPathComponent("dense-exporter-example")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("the example is not built at \(exe.path)") }
        let dir = TemporaryFolder("example")
        let r = try runProcess(exe, [dir.file("dense.onnx").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("matches"), r.stdout)
        XCTAssertEqual(dir.contents, ["dense.onnx"])
    }
}
