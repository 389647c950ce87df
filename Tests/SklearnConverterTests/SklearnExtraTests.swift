import ConversionKit
import Foundation
import Interpreter
import ONNX
import SklearnConverter
import TestSupport
import XCTest

/// Every transformer and regressor in Fixtures/python/sklearn_extra/INDEX.json, float32
/// and float64 graphs, against scikit-learn's transform / predict. The float32 models are
/// recorded with scikit-learn's outputs as test data (ONNX_WRITTEN_DIR), so that the
/// interop check compares onnxruntime with scikit-learn too.
final class SklearnExtraTests: XCTestCase {
    func testTransformersAndRegressorsMatchScikitLearn() throws {
        let root = TestPaths.fixtures("python/sklearn_extra")
        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("INDEX.json"))) as? [[String: String]])
        XCTAssertGreaterThanOrEqual(index.count, 196)
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
                // "output": "label" marks a classifier with predict alone: its labels are
                // the values compared.
                let outputName = entry["output"] ?? (method == "predict" ? "predictions" : method == "decision_function" ? "scores" : method == "predict_proba" ? "probabilities"
                    : name.hasPrefix("kmeans") ? "scores" : "output")
                let got = try XCTUnwrap(out[outputName]?.tensor, what).doubles()
                if let verifier = result.verifier {
                    let report = try verifier.verify(result.model, rows: nil)
                    XCTAssertTrue(report.passed, "\(what): \(report.summary)")
                }
                var expectedLabels: TensorValue?
                if entry["labels"] == "strings" {
                    let want = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("\(name).predict.json"))) as? [String])
                    XCTAssertEqual(try out["label"]?.tensor?.strings(), want, what)
                    expectedLabels = TensorValue(strings: want, shape: [want.count])
                } else if method == "decision_function" || method == "predict_proba" || name.hasPrefix("kmeans") {
                    let labels = try NPYFile.read(root.appendingPathComponent("\(name).predict.npy")).doubles().map { Int64($0) }
                    XCTAssertEqual(try out["label"]?.tensor?.int64s(), labels, what)
                    expectedLabels = TensorValue(int64s: labels, shape: [labels.count])
                }
                XCTAssertEqual(got.count, want.count, what)
                let tol = float64 ? 1e-9 : 1e-4
                // NaN where scikit-learn gives NaN (OrdinalEncoder's encoded_missing_value) counts as equal.
                for (g, e) in zip(got, want) where !(g == e || (g.isNaN && e.isNaN) || abs(g - e) <= tol + tol * abs(e)) { XCTFail("\(what): \(g) vs scikit-learn \(e)"); break }
                if !float64 {
                    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sklearn-extra-\(name)-\(UUID().uuidString).onnx")
                    _ = try result.model.write(to: url)
                    let shape = try XCTUnwrap(out[outputName]?.tensor, what).shape
                    var expected = [outputName: outputName == "label" ? TensorValue(int64s: want.map { Int64($0) }, shape: shape)
                                                                      : TensorValue(floats: want.map(Float.init), shape: shape)]
                    if let expectedLabels { expected["label"] = expectedLabels }
                    try WrittenModels.recordWithTestData(url, name: "sklearn-extra-\(name)", input: input, model: result.model, expected: expected)
                    try? FileManager.default.removeItem(at: url)
                }
            }
        }
    }

    /// The skops copies (scripts/make_skops_extra_fixtures.py: one per INDEX.json entry,
    /// reaching the skops node types the other fixtures do not: dtype, slice, random
    /// Generator, functools.partial) are the estimators of the .p4.pkl files: they must
    /// give the same graph, and outputs equal to scikit-learn's.
    func testSkopsCopiesGiveThePickleGraph() throws {
        let root = TestPaths.fixtures("python/sklearn_extra")
        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("INDEX.json"))) as? [[String: String]])
        let copies = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".skops") }.sorted()
        XCTAssertEqual(copies, index.map { $0["name"]! + ".skops" }.sorted(), "every INDEX.json entry has its skops copy")
        func graphBytes(_ m: Model) throws -> [UInt8] {
            var m = m
            m.metadataProps = []
            return try m.serializedBytes()
        }
        for file in copies {
            let name = String(file.dropLast(".skops".count))
            let entry = try XCTUnwrap(index.first { $0["name"] == name }, name)
            let fromSkops = try SklearnConverter().convert(contentsOf: root.appendingPathComponent(file), format: .skops, options: ConversionOptions())
            let fromPickle = try SklearnConverter().convert(contentsOf: root.appendingPathComponent("\(name).p4.pkl"), format: .pickle, options: ConversionOptions())
            XCTAssertEqual(try graphBytes(fromSkops.model), try graphBytes(fromPickle.model), name)
            // The same graph as the pickle's, which the test above compares with
            // scikit-learn; a transform or predict is also run from the skops copy.
            let method = entry["method"]!
            guard method == "predict" || method == "transform", entry["output"] == nil else { continue }
            let x = try NPYFile.read(root.appendingPathComponent(entry["input"]!))
            let want = try NPYFile.read(root.appendingPathComponent("\(name).\(method).npy")).doubles()
            let out = try Session(model: fromSkops.model).run(["input": .tensor(TensorValue(floats: try x.doubles().map(Float.init), shape: x.shape))])
            let got = try XCTUnwrap(out[method == "predict" ? "predictions" : name.hasPrefix("kmeans") ? "scores" : "output"]?.tensor, name).doubles()
            XCTAssertEqual(got.count, want.count, name)
            for (g, e) in zip(got, want) where !(g == e || (g.isNaN && e.isNaN) || abs(g - e) <= 1e-4 + 1e-4 * abs(e)) { XCTFail("\(name): \(g) vs scikit-learn \(e)"); break }
        }
    }

    /// scikit-learn raises for a category code below 0 or past `n_categories_`; the
    /// converted CategoricalNB must fail too rather than answer for an unknown category.
    func testCategoricalNBRefusesUnknownCodes() throws {
        let root = TestPaths.fixtures("python/sklearn_extra")
        let result = try SklearnConverter().convert(contentsOf: root.appendingPathComponent("categorical_nb.p4.pkl"), format: .pickle, options: ConversionOptions())
        let session = try Session(model: result.model)
        XCTAssertNoThrow(try session.run(["input": .tensor(TensorValue(floats: [2, 4, 2, 2], shape: [1, 4]))]))
        for row: [Float] in [[3, 0, 0, 0], [0, 5, 0, 0], [0, 0, -1, 0], [0, 0, 0, .nan]] {
            XCTAssertThrowsError(try session.run(["input": .tensor(TensorValue(floats: row, shape: [1, 4]))]), "\(row)")
        }
    }

    /// Options the converters do not implement fail with the class, the attribute and
    /// the value, instead of producing a different model.
    func testUnconvertedOptionsAreRefusedByName() throws {
        let root = TestPaths.fixtures("python/sklearn_extra")
        for (file, words) in [("refused_stacking_decision", ["stack_method_", "decision_function", "LogisticRegression"]),
                             ("refused_calibrated_temperature", ["CalibratedClassifierCV", "method", "temperature"]),
                             ("refused_calibrated_logreg", ["CalibratedClassifierCV", "decision_function", "LogisticRegression"]),
                             ("refused_hgb_fractional_categories", ["HistGradientBoosting", "categories_", "0.5"])] {
            XCTAssertThrowsError(try SklearnConverter().convert(contentsOf: root.appendingPathComponent("\(file).p4.pkl"), format: .pickle, options: ConversionOptions()), file) { error in
                let text = "\(error)"
                for w in words { XCTAssertTrue(text.contains(w), "\(file): \(text)") }
            }
        }
    }
}
