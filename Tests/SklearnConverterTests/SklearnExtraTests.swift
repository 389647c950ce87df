import ConversionKit
import Foundation
import Interpreter
import SklearnConverter
import TestSupport
import XCTest

/// Every transformer and regressor in Fixtures/python/sklearn_extra/INDEX.json, float32
/// and float64 graphs, against scikit-learn's transform / predict.
final class SklearnExtraTests: XCTestCase {
    func testTransformersAndRegressorsMatchScikitLearn() throws {
        let root = TestPaths.fixtures("python/sklearn_extra")
        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("INDEX.json"))) as? [[String: String]])
        XCTAssertGreaterThanOrEqual(index.count, 130)
        for entry in index {
            let name = entry["name"]!, method = entry["method"]!
            let x = try NPYFile.read(root.appendingPathComponent(entry["input"]!))
            let xs = try x.doubles()
            let want = try NPYFile.read(root.appendingPathComponent("\(name).\(method).npy")).doubles()
            for float64 in [false, true] {
                let what = "\(name) \(float64 ? "float64" : "float32")"
                var options = ConversionOptions()
                options.floatType = float64 ? .double : .float
                let result: ConversionResult
                do { result = try SklearnConverter().convert(contentsOf: root.appendingPathComponent("\(name).p4.pkl"), format: .pickle, options: options) } catch {
                    XCTFail("\(what): \(error)"); continue
                }
                let input = float64 ? TensorValue(doubles: xs, shape: x.shape) : TensorValue(floats: xs.map(Float.init), shape: x.shape)
                let out = try Session(model: result.model).run(["input": .tensor(input)])
                let outputName = method == "predict" ? "predictions" : method == "decision_function" ? "scores" : method == "predict_proba" ? "probabilities"
                    : name.hasPrefix("kmeans") ? "scores" : "output"
                let got = try XCTUnwrap(out[outputName]?.tensor, what).doubles()
                if let verifier = result.verifier {
                    let report = try verifier.verify(result.model, rows: nil)
                    XCTAssertTrue(report.passed, "\(what): \(report.summary)")
                }
                if entry["labels"] == "strings" {
                    let want = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("\(name).predict.json"))) as? [String])
                    XCTAssertEqual(try out["label"]?.tensor?.strings(), want, what)
                } else if method == "decision_function" || method == "predict_proba" || name.hasPrefix("kmeans") {
                    let labels = try NPYFile.read(root.appendingPathComponent("\(name).predict.npy")).doubles().map { Int64($0) }
                    XCTAssertEqual(try out["label"]?.tensor?.int64s(), labels, what)
                }
                XCTAssertEqual(got.count, want.count, what)
                let tol = float64 ? 1e-9 : 1e-4
                // NaN where scikit-learn gives NaN (OrdinalEncoder's encoded_missing_value) counts as equal.
                for (g, e) in zip(got, want) where !(g == e || (g.isNaN && e.isNaN) || abs(g - e) <= tol + tol * abs(e)) { XCTFail("\(what): \(g) vs scikit-learn \(e)"); break }
            }
        }
    }
}
