import ConversionKit
import Foundation
import Interpreter
import ONNX
import ONNXSerialization
import TestSupport
import XCTest
import XGBoostConverter

/// The library entry point: `Conversion.convert(contentsOf:)` from a Swift program.
final class LibraryAPITests: XCTestCase {
    func registry() -> ConverterRegistry {
        let r = ConverterRegistry()
        r.registerXGBoost()
        return r
    }

    func testConvertInMemoryVerifiesAndRecordsProvenance() throws {
        let url = TestPaths.fixtures("xgboost/binary_logistic/model.json")
        var options = ConversionOptions()
        options.modelName = "churn"
        let converted = try Conversion.convert(contentsOf: url, options: options, registry: registry())
        XCTAssertEqual(converted.format, .xgboostJSON)
        let report = try XCTUnwrap(converted.report)
        XCTAssertTrue(report.passed, report.summary)
        XCTAssertGreaterThan(report.leafChoicesChecked, 0)
        let m = converted.model
        XCTAssertEqual(m.graph?.name, "churn")
        XCTAssertEqual(m.producerName, "onnx-convert")
        XCTAssertEqual(m.metadata(Provenance.Key.sourceFormat), "xgboost-json")
        XCTAssertEqual(m.metadata(Provenance.Key.sourceFile), "model.json")
        XCTAssertEqual(m.metadata(Provenance.Key.sourceLibraryVersion), "xgboost 3.2.0")
        // The model runs, and writes and reads back unchanged.
        let x = try NPYFile.read(TestPaths.fixtures("xgboost/binary_logistic/X.npy"))
        let out = try Session(model: m).run(["input": .tensor(TensorValue(floats: try x.floats(), shape: x.shape))])
        let want = try NPYFile.read(TestPaths.fixtures("xgboost/binary_logistic/probabilities.npy")).doubles()
        let got = try XCTUnwrap(out["probabilities"]?.tensor).doubles()
        XCTAssertEqual(got.count, want.count)
        for (g, e) in zip(got, want) { XCTAssertEqual(g, e, accuracy: 1e-5) }
        let folder = TemporaryFolder("library-api")
        _ = try m.write(to: folder.file("m.onnx"))
        XCTAssertEqual(try Model(contentsOf: folder.file("m.onnx")), m)
    }

    func testFormatsWithoutAConverterAreNamed() {
        XCTAssertThrowsError(try Conversion.convert(contentsOf: TestPaths.fixtures("layerspec/mlp.layers.json"), registry: registry())) {
            XCTAssertTrue("\($0)".contains("no converter for it is included"), "\($0)")
        }
    }
}
