import ConversionKit
import Foundation
import LayerSpecConverter
import TestSupport
import XCTest

/// A spec's `weights` resolve only inside its folder: a symbolic link (to the file, or
/// a folder on the way) that leads out is refused; one that stays inside is followed.
final class WeightsPathTests: XCTestCase {
    let root = TestPaths.fixtures("layerspec")

    /// Converts the MLP spec with `weights` set to `location`, in a folder `model/` inside
    /// `outer`; `prepare` lays out the files first.
    func convert(weights location: String, _ prepare: (_ outer: URL, _ model: URL) throws -> Void) throws -> ConversionResult {
        let outer = TemporaryFolder("weights-path")
        let model = outer.file("model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try prepare(outer.url, model)
        var spec = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("mlp.layers.json"))) as! [String: Any]
        spec["weights"] = location
        let url = model.appendingPathComponent("mlp.layers.json")
        try JSONSerialization.data(withJSONObject: spec).write(to: url)
        return try LayerSpecConverter().convert(contentsOf: url, format: .layerSpec, options: ConversionOptions())
    }

    func weights() -> URL { root.appendingPathComponent("mlp.safetensors") }

    func assertRefused(_ location: String, _ prepare: (URL, URL) throws -> Void, line: UInt = #line) {
        XCTAssertThrowsError(try convert(weights: location, prepare), line: line) {
            XCTAssertTrue("\($0)".contains("leads outside the spec's folder"), "\($0)", line: line)
        }
    }

    func testASymlinkedFileThatLeavesTheFolderIsRefused() {
        assertRefused("w.safetensors") { outer, model in
            try FileManager.default.copyItem(at: self.weights(), to: outer.appendingPathComponent("secret.safetensors"))
            try FileManager.default.createSymbolicLink(at: model.appendingPathComponent("w.safetensors"), withDestinationURL: outer.appendingPathComponent("secret.safetensors"))
        }
    }

    func testASymlinkedFolderThatLeavesTheFolderIsRefused() {
        assertRefused("sub/mlp.safetensors") { outer, model in
            let elsewhere = outer.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: self.weights(), to: elsewhere.appendingPathComponent("mlp.safetensors"))
            try FileManager.default.createSymbolicLink(at: model.appendingPathComponent("sub"), withDestinationURL: elsewhere)
        }
        // A relative link that climbs out.
        assertRefused("sub/mlp.safetensors") { outer, model in
            let elsewhere = outer.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: self.weights(), to: elsewhere.appendingPathComponent("mlp.safetensors"))
            try FileManager.default.createSymbolicLink(atPath: model.appendingPathComponent("sub").path, withDestinationPath: "../elsewhere")
        }
    }

    func testASymlinkThatStaysInsideIsFollowed() throws {
        let result = try convert(weights: "link/mlp.safetensors") { _, model in
            let real = model.appendingPathComponent("real")
            try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: self.weights(), to: real.appendingPathComponent("mlp.safetensors"))
            try FileManager.default.createSymbolicLink(atPath: model.appendingPathComponent("link").path, withDestinationPath: "real")
        }
        XCTAssertTrue(result.summary.contains("weights mlp.safetensors"), result.summary)
    }
}
