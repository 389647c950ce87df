import ConversionKit
import Foundation
import Interpreter
import ONNX
import SklearnConverter
import TestSupport
import XCTest

/// Models whose input mixes numbers and strings (Fixtures/python/sklearn_mixed, made by
/// scripts/make_sklearn_mixed_fixtures.py): converted to float32 and float64 graphs, fed
/// the test rows through their typed per-column inputs, and compared in full with
/// scikit-learn's own outputs. The float32 models are recorded with those outputs for the
/// interop check (ONNX_WRITTEN_DIR).
final class SklearnMixedInputTests: XCTestCase {
    let root = TestPaths.fixtures("python/sklearn_mixed")

    /// The test rows: one list per column, by name; null where a value is missing.
    struct Rows {
        let columns: [String: [Any]]
        let count: Int

        init(_ url: URL) throws {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            let names = try XCTUnwrap(object["names"] as? [String])
            let values = try XCTUnwrap(object["columns"] as? [[Any]])
            columns = Dictionary(uniqueKeysWithValues: zip(names, values))
            count = values.first?.count ?? 0
        }

        func doubles(_ name: String) throws -> [Double] {
            try XCTUnwrap(columns[name], name).map { ($0 as? NSNumber)?.doubleValue ?? .nan }
        }

        /// A string column as the graph takes it: a missing value is "".
        func strings(_ name: String) throws -> [String] {
            try XCTUnwrap(columns[name], name).map { $0 as? String ?? "" }
        }

        /// The feeds for `model`: one tensor per graph input, or the single `input`
        /// matrix from `matrixColumns`.
        func feeds(for model: Model, matrixColumns: [String]?, float64: Bool) throws -> [String: TensorValue] {
            let inputs = model.graph?.input ?? []
            if let matrixColumns {
                XCTAssertEqual(inputs.compactMap(\.name), ["input"])
                let cols = try matrixColumns.map { try doubles($0) }
                let flat = (0..<count).flatMap { r in cols.map { $0[r] } }
                return ["input": float64 ? TensorValue(doubles: flat, shape: [count, cols.count]) : TensorValue(floats: flat.map(Float.init), shape: [count, cols.count])]
            }
            var feeds: [String: TensorValue] = [:]
            for input in inputs {
                let name = try XCTUnwrap(input.name)
                switch input.type?.tensorElementType {
                case .string?: feeds[name] = TensorValue(strings: try strings(name), shape: [count, 1])
                case .int64?: feeds[name] = TensorValue(int64s: try doubles(name).map { Int64($0) }, shape: [count, 1])
                case .double?: feeds[name] = TensorValue(doubles: try doubles(name), shape: [count, 1])
                default: feeds[name] = TensorValue(floats: try doubles(name).map(Float.init), shape: [count, 1])
                }
            }
            return feeds
        }
    }

    static func schema(_ text: String) -> [InputColumn] {
        text.split(separator: ",").map { part in
            let p = part.split(separator: ":")
            return InputColumn(name: String(p[0]), kind: InputColumn.Kind(rawValue: String(p[1])) ?? .float)
        }
    }

    func testMixedInputModelsMatchScikitLearn() throws {
        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("INDEX.json"))) as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(index.count, 19)
        var maxError: [Bool: Double] = [false: 0, true: 0]
        for entry in index {
            let name = try XCTUnwrap(entry["name"] as? String), method = try XCTUnwrap(entry["method"] as? String)
            let modelName = entry["model"] as? String ?? name
            let rows = try Rows(root.appendingPathComponent(try XCTUnwrap(entry["input"] as? String)))
            let want = try NPYFile.read(root.appendingPathComponent("\(modelName).\(method).npy")).doubles()
            for float64 in [false, true] {
                let what = "\(name) \(float64 ? "float64" : "float32")"
                var options = ConversionOptions()
                options.floatType = float64 ? .double : .float
                if let s = entry["schema"] as? String { options.hints.inputSchema = Self.schema(s) }
                let result: ConversionResult
                do { result = try SklearnConverter().convert(contentsOf: root.appendingPathComponent("\(modelName).p4.pkl"), format: .pickle, options: options) } catch {
                    XCTFail("\(what): \(error)"); continue
                }
                if let s = options.hints.inputSchema {
                    XCTAssertEqual(result.model.graph?.input.compactMap(\.name), s.map(\.name), "\(what): inputs in --input-schema order")
                }
                let feeds = try rows.feeds(for: result.model, matrixColumns: entry["columns"] as? [String], float64: float64)
                let out = try Session(model: result.model).run(feeds.mapValues { .tensor($0) })
                let outputName = method == "predict" ? "predictions" : method == "predict_proba" ? "probabilities" : "output"
                let gotTensor = try XCTUnwrap(out[outputName]?.tensor, what)
                let got = try gotTensor.doubles()
                XCTAssertEqual(got.count, want.count, what)
                let tol = float64 ? 1e-9 : 1e-4
                for (g, e) in zip(got, want) {
                    if g == e || (g.isNaN && e.isNaN) { continue }
                    maxError[float64] = max(maxError[float64] ?? 0, abs(g - e))
                    if !(abs(g - e) <= tol + tol * abs(e)) { XCTFail("\(what): \(g) vs scikit-learn \(e)"); break }
                }
                var expected = [outputName: float64 ? TensorValue(doubles: want, shape: gotTensor.shape) : TensorValue(floats: want.map(Float.init), shape: gotTensor.shape)]
                if entry["labels"] as? String == "strings" {
                    let labels = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("\(modelName).predict.json"))) as? [String])
                    XCTAssertEqual(try out["label"]?.tensor?.strings(), labels, what)
                    expected["label"] = TensorValue(strings: labels, shape: [labels.count])
                } else if method == "predict_proba" {
                    let labels = try NPYFile.read(root.appendingPathComponent("\(modelName).predict.npy")).doubles().map { Int64($0) }
                    XCTAssertEqual(try out["label"]?.tensor?.int64s(), labels, what)
                    expected["label"] = TensorValue(int64s: labels, shape: [labels.count])
                }
                if !float64 {
                    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sklearn-mixed-\(name)-\(UUID().uuidString).onnx")
                    _ = try result.model.write(to: url)
                    try WrittenModels.recordWithTestData(url, name: "sklearn-mixed-\(name)", inputs: feeds, model: result.model, expected: expected)
                    try? FileManager.default.removeItem(at: url)
                }
            }
        }
        print("sklearn_mixed: max abs error float32 \(maxError[false] ?? 0), float64 \(maxError[true] ?? 0)")
    }

    /// The inputs the convention gives: names from feature_names_in_ (x0, x1, ... for a
    /// numpy array), string where an encoder's categories are strings, float otherwise;
    /// one [N, F] input when every column is numeric.
    func testInputConvention() throws {
        func inputs(_ file: String, _ options: ConversionOptions = ConversionOptions()) throws -> [String] {
            let model = try SklearnConverter().convert(contentsOf: root.appendingPathComponent("\(file).p4.pkl"), format: .pickle, options: options).model
            return (model.graph?.input ?? []).map { "\($0.name ?? ""):\($0.type?.tensorElementType.map { "\($0)" } ?? "?")" }
        }
        XCTAssertEqual(try inputs("frame_logreg"), ["age:float32", "fare:float32", "pclass:float32", "city:string", "sex:string"])
        XCTAssertEqual(try inputs("object_array_index"), ["x0:float32", "x1:string", "x2:float32", "x3:string"])
        XCTAssertEqual(try inputs("frame_numeric_names"), ["input:float32"])
        var double = ConversionOptions()
        double.floatType = .double
        XCTAssertEqual(try inputs("frame_missing", double), ["age:float64", "fare:float64", "embarked:string", "city:string", "sex:string", "deck:string"])
    }

    /// --input-schema is checked against the model: its count, its names (when the model
    /// has feature_names_in_), duplicates, a string column read by a numeric transformer,
    /// a numeric column whose encoder has string categories.
    func testInputSchemaIsValidatedAgainstTheModel() throws {
        for (file, schema, words) in [
            ("frame_logreg", "age:float,fare:float,city:string,sex:string", ["declares 4 columns", "takes 5", "age, fare, pclass, city, sex"]),
            ("frame_logreg", "age:float,fare:float,pclass:float,town:string,sex:string", ["unknown column 'town'"]),
            ("frame_logreg", "age:float,age:float,pclass:float,city:string,sex:string", ["'age' twice"]),
            ("frame_logreg", "age:string,fare:float,pclass:float,city:string,sex:string", ["StandardScaler", "'age'", "strings"]),
            ("frame_logreg", "age:float,fare:float,pclass:float,city:float,sex:string", ["'city'", "float", "OneHotEncoder", "string categories_[0]"]),
            ("object_array_index", "x0:float,x1:float,x2:float,x3:string", ["'x1'", "OneHotEncoder"]),
            ("refused_string_passthrough", "age:float,city:string", ["'city'", "unencoded"]),
            ("object_array_index", "age:float,city:string,fare:float,label:string", ["'label'", "output"]),
        ] {
            var options = ConversionOptions()
            options.hints.inputSchema = Self.schema(schema)
            XCTAssertThrowsError(try SklearnConverter().convert(contentsOf: root.appendingPathComponent("\(file).p4.pkl"), format: .pickle, options: options), schema) { error in
                for w in words { XCTAssertTrue("\(error)".contains(w), "\(schema): '\(error)' does not mention '\(w)'") }
            }
        }
        // Without feature_names_in_ the schema names the columns in order.
        var options = ConversionOptions()
        options.hints.inputSchema = Self.schema("age:float,city:string,fare:float,sex:string")
        let model = try SklearnConverter().convert(contentsOf: root.appendingPathComponent("object_array_index.p4.pkl"), format: .pickle, options: options).model
        XCTAssertEqual(model.graph?.input.compactMap(\.name), ["age", "city", "fare", "sex"])
    }

    /// Fitted states refused by name (REFUSED.json; "schema" when the refusal needs one).
    func testUnsupportedStatesAreRefused() throws {
        let cases = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("REFUSED.json"))) as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(cases.count, 2)
        for entry in cases {
            let name = try XCTUnwrap(entry["name"] as? String), words = try XCTUnwrap(entry["words"] as? [String])
            var options = ConversionOptions()
            if let s = entry["schema"] as? String { options.hints.inputSchema = Self.schema(s) }
            XCTAssertThrowsError(try SklearnConverter().convert(contentsOf: root.appendingPathComponent("\(name).p4.pkl"), format: .pickle, options: options), name) { error in
                for w in words { XCTAssertTrue("\(error)".contains(w), "\(name): '\(error)' does not mention '\(w)'") }
            }
        }
    }
}
