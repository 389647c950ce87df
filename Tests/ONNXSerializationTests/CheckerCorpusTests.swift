import Foundation
import ONNX
import ONNXSerialization
import XCTest

/// The checker on files the onnx package wrote: every model in Fixtures/onnx/broken is
/// one that onnx.checker rejects (scripts/make_broken_onnx.py asserts it), and the
/// checker must report the rule MANIFEST.tsv names; every model in Fixtures/onnx/valid
/// passes onnx.checker's full check and must pass here.
final class CheckerCorpusTests: XCTestCase {
    /// The repository root: Tests/ONNXSerializationTests/<this file> -> up three levels.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()
    static let broken = root.appendingPathComponent("Fixtures/onnx/broken")
    static let valid = root.appendingPathComponent("Fixtures/onnx/valid")

    struct Row {
        var file: String
        var rule: String
        var onnxMessage: String
    }

    func manifest() throws -> [Row] {
        let text = try String(contentsOf: Self.broken.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        var rows: [Row] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(f.count, 3, "MANIFEST.tsv line '\(line)' does not have 3 tab-separated fields")
            guard f.count == 3 else { continue }
            rows.append(Row(file: f[0], rule: f[1], onnxMessage: f[2]))
        }
        return rows
    }

    func load(_ url: URL) throws -> Model {
        // External data is not loaded: the corpus has external tensors whose location is
        // missing or escapes the folder, which is what the checker must report.
        try Model(contentsOf: url, loadExternalData: false)
    }

    func testManifestCoversEveryRuleOnnxCanReject() throws {
        let rows = try manifest()
        XCTAssertGreaterThanOrEqual(rows.count, 15)
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: Self.broken.path).filter { $0.hasSuffix(".onnx") })
        XCTAssertEqual(files, Set(rows.map(\.file)), "MANIFEST.tsv and the .onnx files in Fixtures/onnx/broken differ")
        // nesting-depth cannot be a file: protobuf parsers refuse such deep messages first.
        let expected = Set(CheckerRule.allCases).subtracting([.nestingDepth])
        XCTAssertEqual(Set(rows.compactMap { CheckerRule(rawValue: $0.rule) }), expected)
    }

    func testEachBrokenModelBreaksItsRule() throws {
        let checker = Checker()
        for row in try manifest() {
            guard let rule = CheckerRule(rawValue: row.rule) else {
                XCTFail("\(row.file): '\(row.rule)' is not a checker rule")
                continue
            }
            let model: Model
            do {
                model = try load(Self.broken.appendingPathComponent(row.file))
            } catch {
                XCTFail("\(row.file): does not decode: \(error)")
                continue
            }
            let issues = checker.check(model)
            let found = issues.map(\.description).joined(separator: "\n  ")
            XCTAssertTrue(issues.contains { $0.rule == rule },
                          "\(row.file): expected \(rule) (onnx: \(row.onnxMessage)); the checker found:\n  \(found)")
            // Each file has one defect: nothing else should be reported.
            XCTAssertEqual(Set(issues.map(\.rule)), [rule], "\(row.file): other issues too:\n  \(found)")
        }
    }

    func testValidModelsPass() throws {
        let checker = Checker()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.valid.path).filter { $0.hasSuffix(".onnx") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 3)
        for file in files {
            let model = try load(Self.valid.appendingPathComponent(file))
            let issues = checker.check(model)
            XCTAssertEqual(issues, [], "\(file):\n  " + issues.map(\.description).joined(separator: "\n  "))
        }
    }
}
