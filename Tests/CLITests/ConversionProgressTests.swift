import ConversionKit
import Foundation
import LayerSpecConverter
import TestSupport
import XCTest
import XGBoostConverter

/// The progress handler hears each step and, inside lowering, counts of trees or layers
/// that end at the total (what convert-cli shows on a terminal).
final class ConversionProgressTests: XCTestCase {
    final class Heard: @unchecked Sendable {
        let lock = NSLock()
        var lines: [String] = []
        func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    }

    func run(_ fixture: String) throws -> [String] {
        let registry = ConverterRegistry()
        registry.registerXGBoost()
        registry.registerLayerSpec()
        let dir = TemporaryFolder("progress")
        let heard = Heard()
        _ = try Conversion.run(input: TestPaths.fixtures(fixture), output: dir.file("out.onnx"), registry: registry, progress: { heard.add($0) })
        return heard.lines
    }

    func testTreeCountsReachTheTotal() throws {
        let lines = try run("xgboost/multi_softprob/model.json")
        let counts = lines.filter { $0.hasPrefix("lowering trees ") }
        XCTAssertFalse(counts.isEmpty, "\(lines)")
        XCTAssertLessThanOrEqual(counts.count, 21, "reported at about every 5%, not per tree")
        // The file's gbtree_model_param says "num_trees":"12" (3 classes x 4 rounds).
        XCTAssertEqual(counts.last, "lowering trees 12/12")
        XCTAssertEqual(lines.first, "reading and converting model.json")
        XCTAssertTrue(lines.contains("verifying in the interpreter"), "\(lines)")
    }

    func testLayerCountsIncludeSequentialChildren() throws {
        let lines = try run("layerspec/residual.layers.json")
        let last = try XCTUnwrap(lines.last { $0.hasPrefix("lowering layers ") })
        let parts = last.dropFirst("lowering layers ".count).split(separator: "/")
        XCTAssertEqual(parts.count, 2)
        XCTAssertEqual(parts[0], parts[1])
        let top = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.fixtures("layerspec/residual.layers.json"))) as? [String: Any]
        let layers = try XCTUnwrap(top?["layers"] as? [[String: Any]])
        XCTAssertGreaterThan(Int(parts[1]) ?? 0, layers.count, "the residual net nests Sequentials; their children count")
    }
}
