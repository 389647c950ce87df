import ConversionKit
import Foundation
import TestSupport
import TreeEnsembles
import XCTest
import XGBoostConverter

/// `Conversion.run`: verification failures remove the output and keep what was there.
final class ConversionPipelineTests: XCTestCase {
    /// XGBoost's converter, but verified against an IR whose first leaf was changed, as a
    /// lowering bug would look.
    struct TamperedVerification: Converter {
        var formats: [SourceFormat] { [.xgboostJSON] }
        func convert(contentsOf url: URL, format: SourceFormat, options: ConversionOptions) throws -> ConversionResult {
            var result = try XGBoostConverter().convert(contentsOf: url, format: format, options: options)
            guard var ir = (result.verifier as? TreeModelVerifier)?.model else { throw XGBoostError.noTrees }
            for (i, node) in ir.trees[0].nodes.enumerated() {
                if case .leaf(let v) = node { ir.trees[0].nodes[i] = .leaf(v.map { $0 + 0.25 }); break }
            }
            result.verifier = TreeModelVerifier(model: ir)
            return result
        }
    }

    func testVerificationFailureWritesNothingAndKeepsTheOldFile() throws {
        let registry = ConverterRegistry()
        registry.register(TamperedVerification())
        let dir = TemporaryFolder("pipeline")
        let out = dir.file("m.onnx")
        let input = TestPaths.fixtures("xgboost/reg_squarederror/model.json")
        XCTAssertThrowsError(try Conversion.run(input: input, output: out, registry: registry)) { e in
            guard case ConversionError.verificationFailed(_, let report) = e else { return XCTFail("\(e)") }
            XCTAssertFalse(report.passed)
            XCTAssertGreaterThan(report.valuesOutsideTolerance, 0)
            XCTAssertTrue("\(e)".contains("nothing was written"), "\(e)")
        }
        XCTAssertEqual(dir.contents, [])
        try Data("previous".utf8).write(to: out)
        XCTAssertThrowsError(try Conversion.run(input: input, output: out, registry: registry))
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), "previous")
        XCTAssertEqual(dir.contents, ["m.onnx"])
        // Without verification the same conversion goes through.
        let outcome = try Conversion.run(input: input, output: out, verification: .off, registry: registry)
        XCTAssertNil(outcome.report)
        XCTAssertNotEqual(try Data(contentsOf: out), Data("previous".utf8))
    }

    func testUnregisteredFormatNamesTheFormatAndTheAvailableOnes() throws {
        let registry = ConverterRegistry()
        registry.registerXGBoost()
        let dir = TemporaryFolder("pipeline-none")
        let input = dir.file("model.txt")
        try "tree\nversion=v4\nnum_class=1\n".write(to: input, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Conversion.run(input: input, output: dir.file("m.onnx"), registry: registry)) { e in
            XCTAssertTrue("\(e)".contains("LightGBM model.txt") && "\(e)".contains("xgboost-text, xgboost-json-dump, xgboost-json, xgboost-ubj"), "\(e)")
        }
    }
}
