import Foundation
import TestSupport
import XCTest

/// Damaged copies of one fixture of each format (cut at many points, single bytes
/// flipped), each converted by a fresh convert-cli: the process must end with 0 (a flip
/// can leave a valid model) or 1 with an error line, never die from a signal or hang,
/// and leave no file but a verified output.
final class RobustnessTests: XCTestCase {
    static let fixtures: [(String, [String])] = [
        ("xgboost/binary_logistic/model.json", []),
        ("xgboost/binary_logistic/model.ubj", []),
        ("xgboost/binary_logistic/dump.txt", ["--objective", "binary:logistic", "--base-score", "0.5", "--num-features", "6"]),
        ("lightgbm/binary/model.txt", []),
        ("lightgbm/binary/dump.json", []),
        ("python/sklearn/logreg.p4.pkl", []),
        ("python/sklearn/logreg.gzip3.joblib", []),
        ("python/sklearn/logreg.skops", []),
        ("python/sklearn/logreg.jsonpickle.json", []),
        ("layerspec/mlp.layers.json", []),
    ]

    func testDamagedFilesNeverCrash() throws {
        let exe = TestPaths.cli
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("convert-cli is not built at \(exe.path)") }
        var generator = SplitMix(seed: 20261201)
        var runs = 0
        for (fixture, flags) in Self.fixtures {
            let source = TestPaths.fixtures(fixture)
            let bytes = try [UInt8](Data(contentsOf: source))
            var variants: [(String, [UInt8])] = []
            for k in 1...8 { let cut = bytes.count * k / 9; variants.append(("cut at \(cut)", Array(bytes.prefix(cut)))) }
            for _ in 0..<8 {
                var b = bytes
                let i = Int(generator.next() % UInt64(b.count))
                b[i] ^= UInt8(1 << (generator.next() % 8))
                variants.append(("byte \(i) flipped", b))
            }
            for (what, data) in variants {
                let dir = TemporaryFolder("robust")
                let name = source.lastPathComponent
                try Data(data).write(to: dir.file(name))
                if fixture.hasPrefix("layerspec/") {
                    try FileManager.default.copyItem(at: source.deletingLastPathComponent().appendingPathComponent("mlp.safetensors"), to: dir.file("mlp.safetensors"))
                }
                let r = try runProcess(exe, [dir.file(name).path, "-o", dir.file("out.onnx").path] + flags)
                runs += 1
                XCTAssertTrue(r.status == 0 || r.status == 1, "\(fixture), \(what): exit \(r.status) \(r.stderr.suffix(300))")
                if r.status == 1 { XCTAssertTrue(r.stderr.contains("error: "), "\(fixture), \(what): \(r.stderr)") }
                let left = Set(dir.contents).subtracting([name, "mlp.safetensors"])
                XCTAssertTrue(left.isEmpty || (r.status == 0 && left == ["out.onnx"]), "\(fixture), \(what): left \(left.sorted())")
            }
        }
        XCTAssertEqual(runs, Self.fixtures.count * 16)
    }
}
