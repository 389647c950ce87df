import ConversionKit
import Foundation
import LayerSpecConverter
import TestSupport
import XCTest

/// Bad specs and weights fail with an error naming the place, before anything is built.
final class LayerSpecErrorTests: XCTestCase {
    let folder = TemporaryFolder("layerspec-errors")

    /// The MLP fixture's spec with `edit` applied, written beside a copy of its weights.
    func convert(_ edit: (inout [String: Any]) -> Void, weights: String = "mlp.safetensors") throws -> ConversionResult {
        let root = TestPaths.fixtures("layerspec")
        var spec = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("mlp.layers.json"))) as? [String: Any])
        edit(&spec)
        let url = folder.file("net.layers.json")
        try JSONSerialization.data(withJSONObject: spec).write(to: url)
        if !FileManager.default.fileExists(atPath: folder.file("mlp.safetensors").path) {
            try FileManager.default.copyItem(at: root.appendingPathComponent(weights), to: folder.file("mlp.safetensors"))
        }
        return try LayerSpecConverter().convert(contentsOf: url, format: .layerSpec, options: ConversionOptions())
    }

    func layers(_ spec: [String: Any]) -> [[String: Any]] { spec["layers"] as? [[String: Any]] ?? [] }

    func assertFails(_ contains: [String], file: StaticString = #filePath, line: UInt = #line, _ edit: (inout [String: Any]) -> Void) {
        XCTAssertThrowsError(try convert(edit), file: file, line: line) { error in
            let text = "\(error)"
            for c in contains { XCTAssertTrue(text.contains(c), "'\(text)' does not contain '\(c)'", file: file, line: line) }
        }
    }

    func testUnknownLayerType() {
        assertFails(["$.layers[1]", "unknown layer type 'Swish2'", "Linear"]) { s in
            var l = layers(s); l[1] = ["type": "Swish2"]; s["layers"] = l
        }
    }

    func testUnknownArgumentListsTheAcceptedOnes() {
        assertFails(["$.layers[0].in_feature", "Linear takes no argument 'in_feature'", "in_features"]) { s in
            var l = layers(s); l[0]["in_feature"] = 12; s["layers"] = l
        }
    }

    func testWeightShapeAndMissingWeight() {
        assertFails(["weight '0.weight' has shape [32, 12], expected [33, 12]"]) { s in
            var l = layers(s); l[0]["out_features"] = 33; s["layers"] = l
        }
        assertFails(["the weights have no 'first.weight'"]) { s in
            var l = layers(s); l[0]["name"] = "first"; s["layers"] = l
        }
    }

    func testShapesAreCheckedAgainstTheArguments() {
        assertFails(["$.layers[0]", "in_features is 13 but the input's last dimension is 12"]) { s in
            var l = layers(s); l[0]["in_features"] = 13; s["layers"] = l
        }
    }

    func testUnknownInputReference() {
        assertFails(["$.layers[2].inputs", "input 'nope'"]) { s in
            var l = layers(s); l[2]["inputs"] = ["nope"]; s["layers"] = l
        }
    }

    func testUnusedWeightsAreAWarning() throws {
        let result = try convert { s in s["layers"] = Array(layers(s).dropLast()) }
        XCTAssertEqual(result.warnings.count, 1)
        XCTAssertTrue(result.warnings[0].contains("2 weights") && result.warnings[0].contains("5.bias, 5.weight"), result.warnings[0])
    }

    func testWeightsOutsideTheSpecsFolderAreRefused() {
        assertFails(["$.weights", "leads outside the spec's folder"]) { s in s["weights"] = "../elsewhere/mlp.safetensors" }
        assertFails(["$.weights", "is absolute"]) { s in s["weights"] = "/etc/passwd" }
    }

    func testBadWeightFiles() throws {
        // A legacy (pre-zip) torch checkpoint: protocol-2 pickle of the magic number.
        let legacy = folder.file("legacy.pt")
        try Data([0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]).write(to: legacy)
        XCTAssertThrowsError(try WeightStore.read(legacy)) { XCTAssertTrue("\($0)".contains("legacy"), "\($0)") }
        // safetensors whose header claims more bytes than the file has.
        let root = TestPaths.fixtures("layerspec")
        let good = try Data(contentsOf: root.appendingPathComponent("mlp.safetensors"))
        let truncated = folder.file("truncated.safetensors")
        try good.prefix(good.count - 100).write(to: truncated)
        XCTAssertThrowsError(try WeightStore.read(truncated)) { XCTAssertTrue("\($0)".contains("truncated.safetensors") && "\($0)".contains("outside"), "\($0)") }
        let short = folder.file("short.safetensors")
        try good.prefix(40).write(to: short)
        XCTAssertThrowsError(try WeightStore.read(short)) { XCTAssertTrue("\($0)".contains("does not fit"), "\($0)") }
    }

    func testBothWeightFormatsHoldTheSameTensors() throws {
        let root = TestPaths.fixtures("layerspec")
        for name in ["mlp", "residual", "lstm", "transformer"] {
            let a = try WeightStore.read(root.appendingPathComponent("\(name).safetensors"))
            let b = try WeightStore.read(root.appendingPathComponent("\(name).pt"))
            XCTAssertEqual(Set(a.tensors.keys), Set(b.tensors.keys), name)
            for (k, t) in a.tensors {
                XCTAssertEqual(t.shape, b.tensors[k]?.shape, "\(name) \(k)")
                XCTAssertEqual(t.doubles(), b.tensors[k]?.doubles(), "\(name) \(k)")
            }
        }
    }
}

/// A spec written in YAML converts to the same model as its JSON twin.
final class LayerSpecYAMLTests: XCTestCase {
    func testYAMLSpecMatchesJSON() throws {
        let folder = TemporaryFolder("layerspec-yaml")
        let root = TestPaths.fixtures("layerspec")
        try FileManager.default.copyItem(at: root.appendingPathComponent("residual.safetensors"), to: folder.file("residual.safetensors"))
        let yaml = """
        format: layerspec/1
        name: residual
        inputs:
          x: {dtype: float32, shape: [batch, 3, 8, 8]}
        weights: residual.safetensors
        layers:
          - {type: Conv2d, name: conv1, in_channels: 3, out_channels: 8, kernel_size: 3, padding: 1}
          - {type: BatchNorm2d, name: bn1, num_features: 8}
          - {type: ReLU, name: relu}
          - type: Sequential
            name: block
            layers:
              - {type: Conv2d, in_channels: 8, out_channels: 8, kernel_size: 3, padding: 1}
              - {type: BatchNorm2d, num_features: 8}
          - {type: Add, name: sum, inputs: [block, relu]}
          - {type: AdaptiveAvgPool2d, name: pool, output_size: 1}
          - {type: Flatten}
          - {type: Linear, name: fc, in_features: 8, out_features: 5}
        """
        try Data(yaml.utf8).write(to: folder.file("residual.layers.yaml"))
        let fromYAML = try LayerSpecConverter().convert(contentsOf: folder.file("residual.layers.yaml"), format: .layerSpec, options: ConversionOptions())
        let fromJSON = try LayerSpecConverter().convert(contentsOf: root.appendingPathComponent("residual.layers.json"), format: .layerSpec, options: ConversionOptions())
        XCTAssertEqual(fromYAML.model, fromJSON.model)
        // Nested aliases that expand to 10^9 nodes stop at the node budget.
        var laughs = "format: layerspec/1\ninputs:\n  x: {shape: [1]}\nlayers: [{type: ReLU}]\nname: &a0 [lol]\n"
        for i in 1...9 { laughs += "n\(i): &a\(i) [" + [String](repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        try Data(laughs.utf8).write(to: folder.file("laughs.layers.yaml"))
        XCTAssertThrowsError(try LayerSpecConverter().convert(contentsOf: folder.file("laughs.layers.yaml"), format: .layerSpec, options: ConversionOptions())) {
            XCTAssertTrue("\($0)".contains("YAML nodes"), "\($0)")
        }
    }
}
