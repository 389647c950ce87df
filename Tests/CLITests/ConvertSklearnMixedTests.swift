import Foundation
import TestSupport
import XCTest

/// convert-cli on a scikit-learn pipeline whose input mixes numbers and strings: the
/// per-column inputs, `--input-schema` on the command line and in a sidecar, and its
/// errors (a malformed schema is bad usage, exit 2; one the model contradicts, exit 1).
final class ConvertSklearnMixedTests: XCTestCase {
    let model = TestPaths.fixtures("python/sklearn_mixed/frame_logreg.p4.pkl")

    func cli(_ args: [String]) throws -> ProcessResult {
        let exe = TestPaths.cli
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("convert-cli is not built at \(exe.path)") }
        return try runProcess(exe, args)
    }

    /// The `inputs:` lines of `convert-cli inspect`.
    func inputs(_ onnx: URL) throws -> [String] {
        let r = try cli(["inspect", onnx.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(of: "inputs:") else { return [] }
        return lines[(start + 1)...].prefix { $0.hasPrefix("  ") }.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    func testColumnsBecomeTypedInputs() throws {
        let out = TemporaryFolder("mixed-cli")
        let r = try cli([model.path, "-o", out.file("m.onnx").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("one input each: age, fare, pclass, city (string), sex (string)"), r.stdout)
        XCTAssertEqual(try inputs(out.file("m.onnx")), ["age: float32 [N, 1]", "fare: float32 [N, 1]", "pclass: float32 [N, 1]", "city: string [N, 1]", "sex: string [N, 1]"])
    }

    func testInputSchemaOnTheCommandLineAndInASidecar() throws {
        let out = TemporaryFolder("mixed-schema")
        let schema = "city:string,sex:string,pclass:int64,fare:float,age:float"
        let r = try cli([model.path, "-o", out.file("a.onnx").path, "--input-schema", schema, "--dtype", "float64"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try inputs(out.file("a.onnx")), ["city: string [N, 1]", "sex: string [N, 1]", "pclass: int64 [N, 1]", "fare: float64 [N, 1]", "age: float64 [N, 1]"])
        let meta = try cli(["inspect", out.file("a.onnx").path]).stdout
        XCTAssertTrue(meta.contains("--input-schema \(schema)"), meta)
        // The sidecar takes the long flag's name, and a list for the columns.
        try Data(#"{"input-schema": ["sex:string", "city:string", "age:float", "fare:float", "pclass:float"]}"#.utf8).write(to: out.file("opts.json"))
        let s = try cli([model.path, "-o", out.file("b.onnx").path, "--options-file", out.file("opts.json").path])
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertEqual(try inputs(out.file("b.onnx")).map { String($0.prefix { $0 != ":" }) }, ["sex", "city", "age", "fare", "pclass"])
    }

    func testInputSchemaErrors() throws {
        let out = TemporaryFolder("mixed-errors")
        for (schema, status, words) in [
            ("age:float,fare", Int32(2), ["'fare' is not name:type"]),
            ("age:float,fare:decimal", 2, ["'decimal'", "float, int64, string"]),
            ("age:float,fare:float,pclass:float,town:string,sex:string", 1, ["unknown column 'town'", "age, fare, pclass, city, sex"]),
            ("age:float,fare:float,pclass:float,city:float,sex:string", 1, ["'city'", "OneHotEncoder", "string categories_"]),
        ] {
            let r = try cli([model.path, "-o", out.file("m.onnx").path, "--input-schema", schema])
            XCTAssertEqual(r.status, status, "\(schema): \(r.stderr)")
            for w in words { XCTAssertTrue(r.stderr.contains(w), "\(schema): \(r.stderr)") }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.file("m.onnx").path))
        }
    }
}
