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

    func testGradientBoostingInEveryContainerMatchesScikitLearn() throws {
        let x = try NPYFile.read(root.appendingPathComponent("X.npy"))
        let xs = try x.doubles()
        let want = try NPYFile.read(root.appendingPathComponent("gbr.predict.npy")).doubles()
        for container in ["p2.pkl", "p4.pkl", "p5.pkl", "plain.joblib", "zlib3.joblib", "gzip3.joblib", "skops", "jsonpickle.json"] {
            for float64 in [false, true] {
                let what = "gbr.\(container) \(float64 ? "float64" : "float32")"
                var options = ConversionOptions()
                options.floatType = float64 ? .double : .float
                let format: SourceFormat = container.hasSuffix("skops") ? .skops : container.hasSuffix("json") ? .jsonpickle : container.hasSuffix("joblib") ? .joblib : .pickle
                let result = try SklearnConverter().convert(contentsOf: root.appendingPathComponent("gbr.\(container)"), format: format, options: options)
                let input = float64 ? TensorValue(doubles: xs, shape: x.shape) : TensorValue(floats: xs.map(Float.init), shape: x.shape)
                let got = try XCTUnwrap(try Session(model: result.model).run(["input": .tensor(input)])["predictions"]?.tensor, what).doubles()
                let tol = float64 ? 1e-9 : 1e-5
                XCTAssertEqual(got.count, want.count, what)
                for (g, e) in zip(got, want) where abs(g - e) > tol + tol * abs(e) { XCTFail("\(what): \(g) vs scikit-learn \(e)"); break }
                XCTAssertTrue(try XCTUnwrap(result.verifier).verify(result.model, rows: nil).passed, what)
            }
        }
    }

    func testGradientBoostingClassifiersMatchScikitLearn() throws {
        let extra = TestPaths.fixtures("python/sklearn_extra")
        let x = try NPYFile.read(extra.appendingPathComponent("X.npy"))
        let xs = try x.doubles()
        for name in ["gbc_binary", "gbc_multiclass", "gbc_exponential"] {
            let proba = try NPYFile.read(extra.appendingPathComponent("\(name).predict_proba.npy")).doubles()
            let predict = try NPYFile.read(extra.appendingPathComponent("\(name).predict.npy")).doubles().map { Int64($0) }
            for float64 in [false, true] {
                var options = ConversionOptions()
                options.floatType = float64 ? .double : .float
                let result = try SklearnConverter().convert(contentsOf: extra.appendingPathComponent("\(name).p4.pkl"), format: .pickle, options: options)
                let input = float64 ? TensorValue(doubles: xs, shape: x.shape) : TensorValue(floats: xs.map(Float.init), shape: x.shape)
                let out = try Session(model: result.model).run(["input": .tensor(input)])
                let got = try XCTUnwrap(out["probabilities"]?.tensor, name).doubles()
                let tol = float64 ? 1e-9 : 1e-5
                XCTAssertEqual(got.count, proba.count, name)
                for (g, e) in zip(got, proba) where abs(g - e) > tol + tol * abs(e) { XCTFail("\(name) \(float64): \(g) vs scikit-learn \(e)"); break }
                XCTAssertEqual(try out["label"]?.tensor?.int64s(), predict, name)
                XCTAssertTrue(try XCTUnwrap(result.verifier).verify(result.model, rows: nil).passed, name)
            }
        }
    }

    func testUnsupportedEstimatorsAreNamedWithTheSupportedList() throws {
        let dir = TemporaryFolder("sklearn-unsupported")
        // A pickle of sklearn.isotonic.IsotonicRegression (an empty instance: class name and state).
        let pickle: [UInt8] = [0x80, 2] + Array("csklearn.isotonic\nIsotonicRegression\n".utf8) + [0x29, 0x81, 0x7D, 0x62, 0x2E]
        let file = dir.file("isotonic.pkl")
        try Data(pickle).write(to: file)
        XCTAssertThrowsError(try SklearnConverter().convert(contentsOf: file, format: .pickle, options: ConversionOptions())) { e in
            let text = "\(e)"
            XCTAssertTrue(text.hasPrefix("IsotonicRegression: sklearn.isotonic.IsotonicRegression has no converter (supported: "), text)
            XCTAssertTrue(text.contains("RandomForestClassifier") && text.contains("GradientBoostingRegressor"), text)
        }
    }
}
