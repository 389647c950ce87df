import ConversionKit
import Foundation
import Interpreter
import ONNX
import ONNXSerialization
import TestSupport
import TreeEnsembles
import XCTest
import XGBoostConverter

/// Every fixture in every form, converted and run in the interpreter, against xgboost's
/// own predictions; the written models also go to ONNX_WRITTEN_DIR with the inputs and
/// xgboost's outputs as backend-style test data, for onnx.checker and onnxruntime.
final class FixtureConversionTests: XCTestCase {
    func testFixturesExist() {
        XCTAssertGreaterThanOrEqual(XGBoostFixture.all.count, 20, "Fixtures/xgboost is missing cases")
    }

    func testEveryFormOfEveryFixtureMatchesXGBoost() throws {
        let tmp = TemporaryFolder("xgb-fixtures")
        var checked = 0
        for fx in XGBoostFixture.all {
            let x = try fx.array("X.npy")
            let want = try fx.expected()
            for (fileName, format) in fx.forms {
                let what = "\(fx.name)/\(fileName)"
                var options = ConversionOptions()
                if format == .xgboostTextDump || format == .xgboostJSONDump { options.hints = fx.dumpHints }
                let result: ConversionResult
                do { result = try XGBoostConverter().convert(contentsOf: fx.file(fileName), format: format, options: options) } catch {
                    XCTFail("\(what): \(error)"); continue
                }
                let url = tmp.file("\(fx.name)-\(fileName).onnx")
                _ = try result.model.write(to: url)
                let back = try Model(contentsOf: url)
                let out = try Session(model: back).run(["input": .tensor(x)])
                guard let got = out[want.output]?.tensor else { XCTFail("\(what): no output \(want.output)"); continue }
                assertClose(try got.doubles(), want.values, what)
                if let labels = want.labels {
                    guard let l = out["label"]?.tensor else { XCTFail("\(what): no label output"); continue }
                    XCTAssertEqual(try l.int64s(), labels, "\(what): labels")
                }
                // The converter's own verification passes on synthetic rows and on X.
                let report = try XCTUnwrap(result.verifier).verify(back, rows: nil)
                XCTAssertTrue(report.passed, "\(what): \(report.summary)")
                checked += 1
                if fileName == "model.json" || fileName == "dump.txt" {
                    // xgboost's values, in the shapes of the graph's outputs.
                    var expected: [String: TensorValue] = [want.output: TensorValue(floats: want.values.map(Float.init), shape: got.shape)]
                    if let labels = want.labels { expected["label"] = TensorValue(int64s: labels, shape: [labels.count]) }
                    try WrittenModels.recordWithTestData(url, name: "xgboost-\(fx.name)-\(fileName.replacingOccurrences(of: ".", with: "-"))", input: x,
                                         model: back, expected: expected)
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 100)
    }

    /// The IR's margins (what `output_margin=True` gives) match xgboost's: this is the
    /// check that base_score is read in the right space for every objective.
    func testMarginsMatchOutputMarginPredictions() throws {
        for fx in XGBoostFixture.all {
            let booster = try XGBoostModelReader.read([UInt8](Data(contentsOf: fx.file("model.json"))), ubjson: false)
            let ir = try XGBoostTreeModelBuilder.build(booster)
            let x = try fx.array("X.npy")
            let values = try x.doubles()
            let f = ir.featureCount, n = x.shape[0]
            let evaluator = try TreeEnsembleEvaluator(ir)
            var margins: [Double] = []
            for r in 0..<n {
                let p = try evaluator.predict((0..<f).map { Float(values[r * f + $0]) }, rowIndex: r)
                margins += p.margins
            }
            assertClose(margins, try fx.array("margin.npy").doubles(), "\(fx.name) margins")
        }
    }

}
