import Foundation
import ReaderFuzzTargets
import TestSupport
import XCTest

/// Replays what the fuzzers found (Fixtures/fuzz-regressions/<target>/, one file per
/// fixed crash, hang or sanitizer report) and every seed fixture through its target: each
/// must return, accepted or refused with a thrown error. A regression crashes the test
/// process, which is the failure.
final class ReaderFuzzReplayTests: XCTestCase {
    static let fixtures = TestPaths.fixtures("")

    func testEveryRegressionInputReturns() throws {
        let workspace = TemporaryFolder("fuzz-replay")
        let w = try FuzzWorkspace(folder: workspace.file("work"), fixtures: Self.fixtures)
        var replayed = 0
        for target in FuzzTarget.all {
            for url in target.regressionFiles(in: Self.fixtures) {
                replayed += 1
                let bytes = [UInt8](try Data(contentsOf: url))
                let started = Date()
                target.run(bytes, in: w)
                // A finding that was a hang must now be refused quickly, even in a debug build.
                XCTAssertLessThan(Date().timeIntervalSince(started), 10, "\(target.name): \(url.lastPathComponent) took too long")
            }
        }
        XCTAssertGreaterThan(replayed, 0, "no files under Fixtures/fuzz-regressions/")
    }

    func testEverySeedFixtureReturns() throws {
        let workspace = TemporaryFolder("fuzz-seeds")
        let w = try FuzzWorkspace(folder: workspace.file("work"), fixtures: Self.fixtures)
        for target in FuzzTarget.all {
            let seeds = target.seedFiles(in: Self.fixtures)
            XCTAssertFalse(seeds.isEmpty, "\(target.name) has no seed fixtures")
            for url in seeds { target.run([UInt8](try Data(contentsOf: url)), in: w) }
        }
    }

    /// Every folder of the regression corpus belongs to a target (a renamed target must
    /// take its findings along).
    func testRegressionFoldersNameTargets() throws {
        let base = Self.fixtures.appendingPathComponent("fuzz-regressions")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        let names = Set(FuzzTarget.all.map(\.name))
        for folder in folders where !folder.hasPrefix(".") && folder != "README.md" {
            XCTAssertTrue(names.contains(folder), "Fixtures/fuzz-regressions/\(folder) is not a target (\(names.sorted().joined(separator: ", ")))")
        }
        XCTAssertEqual(names.count, FuzzTarget.all.count, "two targets share a name")
    }

    /// The targets' seeds do reach the readers: most seeds of the single-format targets
    /// are accepted (a target whose closure always threw would fuzz nothing).
    func testSeedsAreMostlyAccepted() throws {
        let workspace = TemporaryFolder("fuzz-accept")
        let w = try FuzzWorkspace(folder: workspace.file("work"), fixtures: Self.fixtures)
        for name in ["onnx", "json", "ubjson", "npy", "pickle", "xgboost-json", "xgboost-ubj", "lightgbm-text", "lightgbm-json", "layerspec", "layerspec-yaml", "weights", "skops"] {
            let target = try XCTUnwrap(FuzzTarget.named(name))
            let seeds = target.seedFiles(in: Self.fixtures)
            let accepted = try seeds.filter { target.run([UInt8](try Data(contentsOf: $0)), in: w) == nil }.count
            XCTAssertGreaterThan(accepted * 2, seeds.count, "\(name): only \(accepted) of \(seeds.count) seeds accepted")
        }
    }
}
