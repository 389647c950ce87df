import ConversionKit
import Foundation
import Interpreter
import LayerSpecConverter
import ONNX
import ONNXSerialization
import TestSupport
import XCTest

/// Every network in Fixtures/layerspec (made by scripts/make_layerspec_fixtures.py with
/// real PyTorch), with its safetensors and its torch.save weights, float32 and float64
/// graphs, against torch's own output: |diff| <= 1e-4 + 1e-4 * |expected|.
final class LayerSpecFixtureTests: XCTestCase {
    static let root = TestPaths.fixtures("layerspec")

    func testEveryFixtureMatchesTorch() throws {
        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.root.appendingPathComponent("INDEX.json"))) as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(index.count, 19)
        var checked = 0
        for entry in index {
            let name = try XCTUnwrap(entry["name"] as? String), inputName = try XCTUnwrap(entry["input"] as? String)
            let x = try NPYFile.read(Self.root.appendingPathComponent("\(name).x.npy"))
            let want = try NPYFile.read(Self.root.appendingPathComponent("\(name).output.npy"))
            for weights in try XCTUnwrap(entry["weights"] as? [String]) {
                for float64 in [false, true] {
                    let what = "\(name) with \(weights) \(float64 ? "float64" : "float32")"
                    var options = ConversionOptions()
                    options.floatType = float64 ? .double : .float
                    options.hints.weightsFile = Self.root.appendingPathComponent(weights)
                    let result: ConversionResult
                    do {
                        result = try LayerSpecConverter().convert(contentsOf: Self.root.appendingPathComponent("\(name).layers.json"), format: .layerSpec, options: options)
                    } catch { XCTFail("\(what): \(error)"); continue }
                    XCTAssertEqual(result.warnings, [], what)
                    let input = x.dataType == .int64 ? x : float64 ? TensorValue(doubles: try x.doubles(), shape: x.shape) : TensorValue(floats: try x.floats(), shape: x.shape)
                    var feeds: [String: Value] = [inputName: .tensor(input)]
                    let extra = entry["extra_inputs"] as? [String: String] ?? [:]
                    for (n, f) in extra { feeds[n] = .tensor(try NPYFile.read(Self.root.appendingPathComponent(f))) }
                    let out = try Session(model: result.model).run(feeds)
                    let got = try XCTUnwrap(out["output"]?.tensor, what)
                    XCTAssertEqual(got.shape, want.shape, what)
                    for (g, e) in zip(try got.doubles(), try want.doubles()) where abs(g - e) > 1e-4 + 1e-4 * abs(e) {
                        XCTFail("\(what): \(g) vs torch \(e)"); break
                    }
                    if !float64 && weights.hasSuffix(".safetensors") {
                        let url = FileManager.default.temporaryDirectory.appendingPathComponent("layerspec-\(name)-\(UUID().uuidString).onnx")
                        _ = try result.model.write(to: url)
                        var inputs: [String: TensorValue] = [:]
                        for (n, v) in feeds { inputs[n] = v.tensor }
                        try WrittenModels.recordWithTestData(url, name: "layerspec-\(name)", inputs: inputs, model: result.model, expected: ["output": want])
                        try? FileManager.default.removeItem(at: url)
                    }
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, index.count * 4)
    }

    func testTheSpecsOwnWeightsPathIsUsed() throws {
        let result = try LayerSpecConverter().convert(contentsOf: Self.root.appendingPathComponent("mlp.layers.json"), format: .layerSpec, options: ConversionOptions())
        XCTAssertTrue(result.summary.contains("weights mlp.safetensors"), result.summary)
    }
}
