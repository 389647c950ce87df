import ConversionKit
import Foundation
import Interpreter
import ONNX
import ONNXSerialization
import SklearnConverter
import TestSupport
import XCTest

/// Trees and forests saved by scikit-learn in every container (Fixtures/python/sklearn),
/// converted and run in the interpreter against scikit-learn's own outputs.
final class SklearnTreeTests: XCTestCase {
    let root = TestPaths.fixtures("python/sklearn")

    func testTreesAndForestsInEveryContainerMatchScikitLearn() throws {
        let x = try NPYFile.read(root.appendingPathComponent("X.npy"))
        let xs = try x.doubles()
        var checked = 0
        for est in ["tree", "forest"] {
            let proba = try NPYFile.read(root.appendingPathComponent("\(est).predict_proba.npy")).doubles()
            let predict = try NPYFile.read(root.appendingPathComponent("\(est).predict.npy")).doubles().map { Int64($0) }
            for container in ["p2.pkl", "p4.pkl", "p5.pkl", "plain.joblib", "zlib3.joblib", "gzip3.joblib", "skops", "jsonpickle.json"] {
                for float64 in [false, true] {
                    let what = "\(est).\(container) \(float64 ? "float64" : "float32")"
                    let url = root.appendingPathComponent("\(est).\(container)")
                    var options = ConversionOptions()
                    options.floatType = float64 ? .double : .float
                    let format: SourceFormat = container.hasSuffix("skops") ? .skops : container.hasSuffix("json") ? .jsonpickle : container.hasSuffix("joblib") ? .joblib : .pickle
                    let result: ConversionResult
                    do { result = try SklearnConverter().convert(contentsOf: url, format: format, options: options) } catch { XCTFail("\(what): \(error)"); continue }
                    let input = float64 ? TensorValue(doubles: xs, shape: x.shape) : TensorValue(floats: xs.map(Float.init), shape: x.shape)
                    let out = try Session(model: result.model).run(["input": .tensor(input)])
                    let got = try XCTUnwrap(out["probabilities"]?.tensor, what).doubles()
                    XCTAssertEqual(got.count, proba.count, what)
                    for (g, e) in zip(got, proba) where abs(g - e) > 1e-6 + 1e-6 * abs(e) { XCTFail("\(what): probability \(g) vs scikit-learn \(e)"); break }
                    XCTAssertEqual(try out["label"]?.tensor?.int64s(), predict, what)
                    if container == "p4.pkl" && !float64 {
                        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sklearn-\(est)-\(UUID().uuidString).onnx")
                        _ = try result.model.write(to: url)
                        try WrittenModels.recordWithTestData(url, name: "sklearn-\(est)", input: input, model: result.model,
                                                             expected: ["probabilities": TensorValue(floats: proba.map(Float.init), shape: try XCTUnwrap(out["probabilities"]?.tensor).shape),
                                                                        "label": TensorValue(int64s: predict, shape: [predict.count])])
                        try? FileManager.default.removeItem(at: url)
                    }
                    let report = try XCTUnwrap(result.verifier).verify(result.model, rows: nil)
                    XCTAssertTrue(report.passed, "\(what): \(report.summary)")
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, 32)
    }

    func testUnsupportedEstimatorsAreNamedWithTheSupportedList() throws {
        XCTAssertThrowsError(try SklearnConverter().convert(contentsOf: root.appendingPathComponent("gbr.p4.pkl"), format: .pickle, options: ConversionOptions())) { e in
            let text = "\(e)"
            XCTAssertTrue(text.hasPrefix("GradientBoostingRegressor: sklearn.ensemble._gb.GradientBoostingRegressor has no converter (supported: "), text)
            XCTAssertTrue(text.contains("RandomForestClassifier"), text)
        }
    }
}
