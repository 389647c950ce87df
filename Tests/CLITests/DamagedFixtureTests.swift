import ConversionKit
import Foundation
import LayerSpecConverter
import LightGBMConverter
import SklearnConverter
import TestSupport
import XCTest
import XGBoostConverter

/// Every model file under Fixtures (what `convert-cli list-models` finds), damaged in the
/// ways FixtureDamage knows, converted through the library API (`Conversion.run`, the
/// same path convert-cli takes). A damaged copy must give a thrown conversion error with
/// a message and leave no file behind, or (when the damage can leave a valid model) a
/// verified output; damage that no valid model survives must be refused. A crash ends
/// the test process, so it cannot pass unnoticed; RobustnessTests covers the process
/// level (exit status and the error line) on a sample.
final class DamagedFixtureTests: XCTestCase {
    struct Job {
        var fixture: URL
        var relative: String
        var copy: DamagedCopy
    }

    func testEveryFixtureDamagedIsRefusedCleanly() throws {
        let exe = TestPaths.cli
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { throw XCTSkip("convert-cli is not built at \(exe.path)") }
        let root = TestPaths.fixtures("")
        let listing = try runProcess(exe, ["list-models", root.path])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        let models = listing.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        XCTAssertGreaterThan(models.count, 500)

        var damage = FixtureDamage(seed: 20261201)
        var jobs: [Job] = []
        for path in models {
            // list-models names files relative to the folder it was given.
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
            let relative = url.standardizedFileURL.path.replacingOccurrences(of: root.standardizedFileURL.path + "/", with: "")
            let bytes = try [UInt8](Data(contentsOf: url))
            let copies = damage.blind(bytes, cuts: 3, flips: 3) + damage.aware(bytes, name: url.lastPathComponent)
            jobs += copies.map { Job(fixture: url, relative: relative, copy: $0) }
        }
        let registry = ConverterRegistry()
        registry.registerXGBoost()
        registry.registerLightGBM()
        registry.registerSklearn()
        registry.registerLayerSpec()

        var problems = [String?](repeating: nil, count: jobs.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            let problem = Self.check(jobs[i], registry: registry)
            lock.lock(); problems[i] = problem; lock.unlock()
        }
        let found = problems.compactMap { $0 }
        XCTAssertTrue(found.isEmpty, "\(found.count) of \(jobs.count) damaged copies misbehaved:\n" + found.prefix(300).joined(separator: "\n"))
        let targeted = jobs.filter { $0.copy.mustFail }.count
        XCTAssertGreaterThan(targeted, 700, "format-aware edits found too few places to damage")
    }

    /// Converts one damaged copy in its own folder; returns what went wrong, if anything.
    static func check(_ job: Job, registry: ConverterRegistry) -> String? {
        let dir = TemporaryFolder("damaged")
        let name = job.fixture.lastPathComponent
        let label = "\(job.relative), \(job.copy.what)"
        do {
            try Data(job.copy.bytes).write(to: dir.file(name))
            var options = ConversionOptions()
            let companions = try companions(of: job.fixture, into: dir, options: &options)
            let output = dir.file("out.onnx")
            let inputs = Set([name] + companions)
            do {
                _ = try Conversion.run(input: dir.file(name), output: output, options: options, registry: registry)
            } catch let error as ConversionError {
                guard !error.description.isEmpty else { return "\(label): an error without a message" }
                let left = Set(dir.contents).subtracting(inputs)
                return left.isEmpty ? nil : "\(label): failed (\(error)) but left \(left.sorted())"
            } catch {
                return "\(label): threw \(type(of: error)), not a ConversionError: \(error)"
            }
            if job.copy.mustFail { return "\(label): converted, but no valid model survives this damage" }
            let left = Set(dir.contents).subtracting(inputs)
            return left == ["out.onnx"] ? nil : "\(label): converted but left \(left.sorted())"
        } catch {
            return "\(label): test setup failed: \(error)"
        }
    }

    /// Copies the files the fixture needs beside it (an XGBoost dump's configuration and
    /// feature map from its `.convert.json` sidecar, a layer spec's weights) and sets the
    /// options the sidecar gives; returns the copied names.
    static func companions(of fixture: URL, into dir: TemporaryFolder, options: inout ConversionOptions) throws -> [String] {
        let folder = fixture.deletingLastPathComponent()
        var names: [String] = []
        func copy(_ name: String) throws -> URL {
            let target = dir.file(name)
            if !FileManager.default.fileExists(atPath: target.path) {
                try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: target)
                names.append(name)
            }
            return target
        }
        let sidecar = folder.appendingPathComponent(fixture.lastPathComponent + ".convert.json")
        if let data = try? Data(contentsOf: sidecar),
           let object = try JSONSerialization.jsonObject(with: data) as? [String: String] {
            if let c = object["config"] { options.hints.configFile = try copy(c) }
            if let f = object["fmap"] { options.hints.featureMapFile = try copy(f) }
        }
        if fixture.lastPathComponent.hasSuffix(".layers.json"),
           let data = try? Data(contentsOf: fixture),
           let spec = try JSONSerialization.jsonObject(with: data) as? [String: Any], let weights = spec["weights"] as? String {
            _ = try copy(weights)
        }
        return names
    }
}
