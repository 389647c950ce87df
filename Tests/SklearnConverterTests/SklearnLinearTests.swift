import ConversionKit
import Foundation
import Interpreter
import SklearnConverter
import TestSupport
import XCTest

/// LogisticRegression, StandardScaler and Pipeline(StandardScaler, LogisticRegression)
/// from every container, against scikit-learn's outputs: float32 graphs within
/// 1e-4 + 1e-4|expected|, float64 graphs within 1e-9 + 1e-9|expected|, identical labels.
final class SklearnLinearTests: XCTestCase {
    let root = TestPaths.fixtures("python/sklearn")

    func testLinearScalerAndPipelineMatchScikitLearn() throws {
        let x = try NPYFile.read(root.appendingPathComponent("X.npy"))
        let xs = try x.doubles()
        var checked = 0
        let cases: [(String, String, String)] = [("logreg", "probabilities", "predict_proba"), ("pipeline", "probabilities", "predict_proba"),
                                                 ("scaler", "output", "transform")]
        for (est, output, method) in cases {
            let want = try NPYFile.read(root.appendingPathComponent("\(est).\(method).npy")).doubles()
            let labels = (try? NPYFile.read(root.appendingPathComponent("\(est).predict.npy")).doubles().map { Int64($0) })
            for container in ["p2.pkl", "p4.pkl", "p5.pkl", "plain.joblib", "zlib3.joblib", "gzip3.joblib", "skops", "jsonpickle.json"] {
                for float64 in [false, true] {
                    let what = "\(est).\(container) \(float64 ? "float64" : "float32")"
                    var options = ConversionOptions()
                    options.floatType = float64 ? .double : .float
                    let format: SourceFormat = container.hasSuffix("skops") ? .skops : container.hasSuffix("json") ? .jsonpickle : container.hasSuffix("joblib") ? .joblib : .pickle
                    let result: ConversionResult
                    do { result = try SklearnConverter().convert(contentsOf: root.appendingPathComponent("\(est).\(container)"), format: format, options: options) } catch {
                        XCTFail("\(what): \(error)"); continue
                    }
                    let input = float64 ? TensorValue(doubles: xs, shape: x.shape) : TensorValue(floats: xs.map(Float.init), shape: x.shape)
                    let out = try Session(model: result.model).run(["input": .tensor(input)])
                    let got = try XCTUnwrap(out[output]?.tensor, what).doubles()
                    XCTAssertEqual(got.count, want.count, what)
                    let tol = float64 ? 1e-9 : 1e-4
                    for (g, e) in zip(got, want) where abs(g - e) > tol + tol * abs(e) { XCTFail("\(what): \(g) vs scikit-learn \(e)"); break }
                    if let labels, method == "predict_proba" { XCTAssertEqual(try out["label"]?.tensor?.int64s(), labels, what) }
                    if container == "p4.pkl" && !float64 {
                        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sklearn-\(est)-\(UUID().uuidString).onnx")
                        _ = try result.model.write(to: url)
                        var expected = [output: TensorValue(floats: want.map(Float.init), shape: try XCTUnwrap(out[output]?.tensor).shape)]
                        if let labels, method == "predict_proba" { expected["label"] = TensorValue(int64s: labels, shape: [labels.count]) }
                        try WrittenModels.recordWithTestData(url, name: "sklearn-\(est)", input: input, model: result.model, expected: expected)
                        try? FileManager.default.removeItem(at: url)
                    }
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, 48)
    }
}
