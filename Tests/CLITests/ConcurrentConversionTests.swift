import ConversionKit
import Foundation
import LayerSpecConverter
import LightGBMConverter
import ONNX
import ONNXSerialization
import SklearnConverter
import TestSupport
import XCTest
import XGBoostConverter

/// Fifty conversions at once in one process (the library API) give the same bytes as the
/// same conversions one by one: nothing in the pipeline shares mutable state unsafely.
final class ConcurrentConversionTests: XCTestCase {
    func testFiftyConcurrentConversionsMatchSequentialOnes() throws {
        let registry = ConverterRegistry()
        registry.registerXGBoost()
        registry.registerLightGBM()
        registry.registerSklearn()
        registry.registerLayerSpec()
        var files: [URL] = []
        for name in ["binary_logistic", "multi_softprob", "reg_squarederror", "count_poisson", "random_forest", "categorical"] {
            for form in ["model.json", "model.ubj"] { files.append(TestPaths.fixtures("xgboost/\(name)/\(form)")) }
        }
        for name in ["binary", "multiclass", "regression", "categorical_bitset", "zero_as_missing"] {
            for form in ["model.txt", "dump.json"] { files.append(TestPaths.fixtures("lightgbm/\(name)/\(form)")) }
        }
        for name in ["forest.p4.pkl", "gbr.skops", "logreg.gzip3.joblib", "pipeline.p4.pkl", "logreg.jsonpickle.json"] {
            files.append(TestPaths.fixtures("python/sklearn/\(name)"))
        }
        for name in ["mlp", "cnn", "lstm", "transformer", "residual", "bigru", "decoder", "imaging"] {
            files.append(TestPaths.fixtures("layerspec/\(name).layers.json"))
        }
        files = files.filter { FileManager.default.fileExists(atPath: $0.path) }
        while files.count < 50 { files += files.prefix(50 - files.count) }
        XCTAssertEqual(files.count, 50)
        func bytes(_ url: URL) -> Result<[UInt8], Error> {
            Result { try Conversion.convert(contentsOf: url, registry: registry).model.serializedBytes() }
        }
        let sequential = files.map(bytes)
        var concurrent = [Result<[UInt8], Error>?](repeating: nil, count: files.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let r = bytes(files[i])
            lock.lock(); concurrent[i] = r; lock.unlock()
        }
        for (i, url) in files.enumerated() {
            switch (sequential[i], concurrent[i]) {
            case (.success(let a), .success(let b)?): XCTAssertEqual(a, b, url.path)
            case (.failure(let e), _): XCTFail("\(url.path): \(e)")
            case (_, .failure(let e)?): XCTFail("\(url.path) (concurrently): \(e)")
            default: XCTFail("\(url.path): no result")
            }
        }
    }
}
