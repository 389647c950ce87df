import ConversionKit
import Foundation
import Interpreter
import LightGBMConverter
import ONNX
import ONNXSerialization
import TestSupport
import TreeEnsembles
import XCTest

/// One folder of Fixtures/lightgbm (scripts/make_lightgbm_fixtures.py, real lightgbm).
struct LightGBMFixture {
    let name: String
    let folder: URL
    let info: [String: Any]

    static var all: [LightGBMFixture] {
        let root = TestPaths.fixtures("lightgbm")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
        return names.compactMap { n in
            let f = root.appendingPathComponent(n)
            guard let data = FileManager.default.contents(atPath: f.appendingPathComponent("case.json").path),
                  let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return LightGBMFixture(name: n, folder: f, info: info)
        }
    }

    func file(_ n: String) -> URL { folder.appendingPathComponent(n) }
    func array(_ n: String) throws -> TensorValue { try NPYFile.read(file(n)) }
    var linear: Bool { info["linear_tree"] as? Bool ?? false }
    var objective: String { info["objective"] as? String ?? "" }

    /// The output to compare and xgboost-style expected values: probabilities [N, 2] for
    /// binary ([1 - p, p]), [N, K] for multiclass, else predictions or scores.
    func expected(_ predictFile: String) throws -> (output: String, values: [Double]) {
        let p = try array(predictFile).doubles()
        let first = objective.split(separator: " ").first.map(String.init) ?? ""
        switch first {
        case "binary": return ("probabilities", p.flatMap { [1 - $0, $0] })
        case "multiclass", "multiclassova": return ("probabilities", p)
        case "lambdarank", "rank_xendcg": return ("scores", p)
        default: return ("predictions", p)
        }
    }
}

func assertClose(_ got: [Double], _ expected: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(got.count, expected.count, "\(what): element count", file: file, line: line)
    var bad = 0, first = ""
    for (i, (g, e)) in zip(got, expected).enumerated() where !(g == e || (g.isNaN && e.isNaN) || abs(g - e) <= 1e-5 + 1e-5 * abs(e)) {
        bad += 1
        if first.isEmpty { first = "element \(i): got \(g), lightgbm \(e)" }
    }
    XCTAssertEqual(bad, 0, "\(what): \(bad) of \(got.count) values differ (first: \(first))", file: file, line: line)
}

final class LightGBMFixtureTests: XCTestCase {
    func testFixturesExist() { XCTAssertGreaterThanOrEqual(LightGBMFixture.all.count, 20) }

    /// Both forms, float32 and float64 inputs, ai.onnx.ml 5 and 3: the interpreter's
    /// outputs against lightgbm's predictions.
    func testEveryFixtureMatchesLightGBM() throws {
        let tmp = TemporaryFolder("lgb-fixtures")
        var checked = 0
        for fx in LightGBMFixture.all where !fx.linear {
            for (form, format) in [("model.txt", SourceFormat.lightgbmText), ("dump.json", .lightgbmJSON)] {
                for (float64, ml) in [(false, Int64(5)), (true, 5), (false, 3)] {
                    let what = "\(fx.name)/\(form) \(float64 ? "float64" : "float32") ml \(ml)"
                    var options = ConversionOptions()
                    options.floatType = float64 ? .double : .float
                    options.mlOpset = ml
                    let result: ConversionResult
                    do { result = try LightGBMConverter().convert(contentsOf: fx.file(form), format: format, options: options) } catch {
                        XCTFail("\(what): \(error)"); continue
                    }
                    let url = tmp.file("\(fx.name)-\(form)-\(float64)-\(ml).onnx")
                    _ = try result.model.write(to: url)
                    let back = try Model(contentsOf: url)
                    let x = try fx.array(float64 ? "X64.npy" : "X.npy")
                    let input = float64 ? TensorValue(doubles: try x.doubles(), shape: x.shape) : x
                    let out = try Session(model: back).run(["input": .tensor(input)])
                    let want = try fx.expected(float64 ? "predict64.npy" : "predict.npy")
                    assertClose(try XCTUnwrap(out[want.output]?.tensor, what).doubles(), want.values, what)
                    let report = try XCTUnwrap(result.verifier).verify(back, rows: nil)
                    XCTAssertTrue(report.passed, "\(what): \(report.summary)")
                    checked += 1
                    if !float64 && ml == 5 && form == "model.txt" {
                        try WrittenModels.recordWithTestData(url, name: "lightgbm-\(fx.name)", input: x, model: back,
                                             expected: [want.output: TensorValue(floats: want.values.map(Float.init), shape: try XCTUnwrap(out[want.output]?.tensor).shape)])
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 100)
    }

    /// Every (row, tree) leaf the native evaluator reaches is the leaf lightgbm's
    /// pred_leaf reports: zero differing decisions, NaN, zeros and categories included.
    func testLeavesMatchPredLeaf() throws {
        for fx in LightGBMFixture.all where !fx.linear {
            let booster = try LightGBMTextReader.read([UInt8](Data(contentsOf: fx.file("model.txt"))))
            let ir = try LightGBMTreeModelBuilder.build(booster)
            let x = try fx.array("X.npy")
            let values = try x.doubles()
            let f = x.shape[1], n = x.shape[0]
            let rows = (0..<n).map { r in (0..<f).map { Float(values[r * f + $0]) } }
            let leaves = try TreeEnsembleEvaluator(ir).leaves(rows: rows)
            let want = try fx.array("leaves.npy").doubles()
            let trees = booster.trees.count
            var differing = 0
            for r in 0..<n {
                for t in 0..<trees {
                    let splits = booster.trees[t].nodes.count / 2
                    if leaves[r][t] - splits != Int(want[r * trees + t]) { differing += 1 }
                }
            }
            XCTAssertEqual(differing, 0, "\(fx.name): \(differing) of \(n * trees) leaf choices differ from pred_leaf")
        }
    }

    func testFirstIterations() throws {
        guard let fx = LightGBMFixture.all.first(where: { $0.info["first_k"] as? Int != nil }), let k = fx.info["first_k"] as? Int else {
            throw XCTSkip("no fixture with first_k")
        }
        var options = ConversionOptions()
        options.hints.numIterations = k
        let result = try LightGBMConverter().convert(contentsOf: fx.file("model.txt"), format: .lightgbmText, options: options)
        let out = try Session(model: result.model).run(["input": .tensor(try fx.array("X.npy"))])
        let want = try fx.expected("predict_first_k.npy")
        assertClose(try XCTUnwrap(out[want.output]?.tensor).doubles(), want.values, "\(fx.name) first \(k) iterations")
        options.hints.numIterations = 1000
        XCTAssertThrowsError(try LightGBMConverter().convert(contentsOf: fx.file("model.txt"), format: .lightgbmText, options: options)) { e in
            XCTAssertTrue("\(e)".contains("--num-iterations: the model has"), "\(e)")
        }
    }

    func testLinearTreesAreRefused() throws {
        guard let fx = LightGBMFixture.all.first(where: { $0.linear }) else { throw XCTSkip("no linear-tree fixture") }
        for (form, format) in [("model.txt", SourceFormat.lightgbmText), ("dump.json", .lightgbmJSON)] {
            XCTAssertThrowsError(try LightGBMConverter().convert(contentsOf: fx.file(form), format: format, options: ConversionOptions())) { e in
                XCTAssertTrue("\(e)".contains("is a linear tree"), "\(e)")
            }
        }
    }

    func testBadInputNamesThePlace() throws {
        XCTAssertThrowsError(try LightGBMObjective.parse("mystery sigmoid:1")) { e in
            XCTAssertTrue("\(e)".contains("objective 'mystery': not supported (known: binary,"), "\(e)")
        }
        let fx = try XCTUnwrap(LightGBMFixture.all.first { $0.name == "regression" })
        var text = try String(contentsOf: fx.file("model.txt"), encoding: .utf8)
        let range = try XCTUnwrap(text.range(of: "leaf_value="))
        text.replaceSubrange(range, with: "leaf_value=abc ")
        XCTAssertThrowsError(try LightGBMTextReader.read(Array(text.utf8))) { e in
            XCTAssertTrue("\(e)".hasPrefix("line ") && "\(e)".contains("leaf_value: 'abc' is not a number"), "\(e)")
        }
        XCTAssertThrowsError(try LightGBMTextReader.read(Array("hello\nworld\n".utf8))) { e in
            XCTAssertTrue("\(e)".contains("not a LightGBM model.txt"), "\(e)")
        }
    }

}
