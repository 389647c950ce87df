import ConversionKit
import Foundation
import Interpreter
import ONNX
import ONNXSerialization
import TestSupport
import XCTest
import XGBoostConverter

final class OptionsAndErrorsTests: XCTestCase {
    /// ai.onnx.ml 1 and 3 (TreeEnsembleRegressor) and float64 inputs give xgboost's
    /// predictions too.
    func testOlderMLOpsetsAndFloat64Inputs() throws {
        for fx in XGBoostFixture.all {
            let want = try fx.expected()
            let x = try fx.array("X.npy")
            for (ml, float64) in [(Int64(1), false), (3, true), (5, true)] {
                var options = ConversionOptions()
                options.mlOpset = ml
                options.floatType = float64 ? .double : .float
                let result = try XGBoostConverter().convert(contentsOf: fx.file("model.ubj"), format: .xgboostUBJSON, options: options)
                let input = float64 ? TensorValue(doubles: try x.doubles(), shape: x.shape) : x
                let out = try Session(model: result.model).run(["input": .tensor(input)])
                let what = "\(fx.name) ml \(ml) \(float64 ? "float64" : "float32")"
                assertClose(try XCTUnwrap(out[want.output]?.tensor, what).doubles(), want.values, what)
                if let labels = want.labels { XCTAssertEqual(try out["label"]?.tensor?.int64s(), labels, what) }
            }
        }
    }

    func testConfigFileSuppliesWhatADumpLacks() throws {
        for name in ["multi_softprob", "random_forest_multiclass", "count_poisson", "reg_quantileerror_multi"] {
            let fx = try XGBoostFixture.named(name)
            var options = ConversionOptions()
            options.hints.configFile = fx.file("config.json")
            let result = try XGBoostConverter().convert(contentsOf: fx.file("dump.txt"), format: .xgboostTextDump, options: options)
            XCTAssertEqual(result.warnings, [], name)
            let want = try fx.expected()
            let out = try Session(model: result.model).run(["input": .tensor(try fx.array("X.npy"))])
            assertClose(try XCTUnwrap(out[want.output]?.tensor).doubles(), want.values, "\(name) via --config")
        }
    }

    func testDumpMissingWholeTreesIsCaughtThroughTheConfig() throws {
        // Cut before the last booster: every line parses, one tree is gone.
        let fx = try XGBoostFixture.named("binary_logistic")
        let text = try String(contentsOf: fx.file("dump.txt"), encoding: .utf8)
        let last = try XCTUnwrap(text.range(of: "booster[", options: .backwards)).lowerBound
        let folder = TemporaryFolder("xgb-cut-dump")
        try Data(text[..<last].utf8).write(to: folder.file("dump.txt"))
        var options = ConversionOptions()
        options.hints.configFile = fx.file("config.json")
        XCTAssertThrowsError(try XGBoostConverter().convert(contentsOf: folder.file("dump.txt"), format: .xgboostTextDump, options: options)) { e in
            XCTAssertTrue("\(e)".contains("holds 5 trees but config.json says the model has 6"), "\(e)")
        }
    }

    func testFeatureMapNamesTheColumns() throws {
        let fx = try XGBoostFixture.named("feature_names")
        XCTAssertTrue(try String(contentsOf: fx.file("dump.txt"), encoding: .utf8).contains("[age<"), "the dump should use names")
        var options = ConversionOptions()
        options.hints = fx.dumpHints
        options.hints.featureNames = nil
        options.hints.featureMapFile = fx.file("fmap.txt")
        let result = try XGBoostConverter().convert(contentsOf: fx.file("dump.txt"), format: .xgboostTextDump, options: options)
        let want = try fx.expected()
        let out = try Session(model: result.model).run(["input": .tensor(try fx.array("X.npy"))])
        assertClose(try XCTUnwrap(out[want.output]?.tensor).doubles(), want.values, "feature_names via fmap")

        options.hints.featureMapFile = nil
        XCTAssertThrowsError(try XGBoostConverter().convert(contentsOf: fx.file("dump.txt"), format: .xgboostTextDump, options: options)) { e in
            XCTAssertTrue("\(e)".contains("pass --feature-names a,b,... or --fmap FILE"), "\(e)")
            XCTAssertTrue("\(e)".hasPrefix("line 2: "), "\(e)")
        }
    }

    func testDumpWithoutObjectiveSaysWhichFlag() throws {
        let fx = try XGBoostFixture.named("binary_logistic")
        XCTAssertThrowsError(try XGBoostConverter().convert(contentsOf: fx.file("dump.txt"), format: .xgboostTextDump, options: ConversionOptions())) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("--objective NAME") && text.contains("--config FILE"), text)
            XCTAssertTrue(text.contains("binary:logistic"), "lists the known objectives: \(text)")
        }
    }

    func testMissingBaseScoreWarnsAndAssumesOneHalf() throws {
        let fx = try XGBoostFixture.named("explicit_base_score")
        var options = ConversionOptions()
        options.hints.objective = fx.objective
        options.hints.numFeatures = fx.numFeature
        let result = try XGBoostConverter().convert(contentsOf: fx.file("dump.txt"), format: .xgboostTextDump, options: options)
        XCTAssertEqual(result.warnings.count, 1)
        XCTAssertTrue(result.warnings[0].contains("assuming 0.5") && result.warnings[0].contains("XGBoost >= 2.0 estimates it"), result.warnings[0])
        // With 0.5 (margin 0) instead of the true 0.25, predictions differ from xgboost's.
        let want = try fx.expected()
        let out = try Session(model: result.model).run(["input": .tensor(try fx.array("X.npy"))])
        let got = try XCTUnwrap(out[want.output]?.tensor).doubles()
        XCTAssertGreaterThan(zip(got, want.values).map { abs($0 - $1) }.max() ?? 0, 0.01)
    }

    func testUnknownObjectiveIsRefusedWithTheList() throws {
        let fx = try XGBoostFixture.named("reg_squarederror")
        var options = ConversionOptions()
        options.hints.objective = "reg:mystery"
        XCTAssertThrowsError(try XGBoostConverter().convert(contentsOf: fx.file("dump.txt"), format: .xgboostTextDump, options: options)) { e in
            XCTAssertEqual(e as? XGBoostError, .unknownObjective(name: "reg:mystery", known: XGBoostObjective.knownNames))
            XCTAssertTrue("\(e)".contains("rank:ndcg, rank:pairwise"), "\(e)")
        }
    }

    func testSavedModelProblemsNameTheJSONPath() throws {
        let fx = try XGBoostFixture.named("binary_logistic")
        var text = try String(contentsOf: fx.file("model.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"name\":\"gbtree\"", with: "\"name\":\"gblinear\"")
        XCTAssertThrowsError(try XGBoostModelReader.read(Array(text.utf8), ubjson: false)) { e in
            XCTAssertEqual("\(e)", "booster 'gblinear' is not a tree booster this converter reads (gbtree and dart are)")
        }
        let original = try String(contentsOf: fx.file("model.json"), encoding: .utf8)
        let cut = original.replacingOccurrences(of: "\"right_children\":", with: "\"right_kids\":")
        XCTAssertThrowsError(try XGBoostModelReader.read(Array(cut.utf8), ubjson: false)) { e in
            XCTAssertEqual("\(e)", "$.learner.gradient_booster.model.trees[0] has no member 'right_children'")
        }
        XCTAssertThrowsError(try XGBoostModelReader.read(Array(original.utf8.prefix(200)), ubjson: false)) { e in
            XCTAssertTrue("\(e)".hasPrefix("invalid JSON at line 1, column ") && "\(e)".contains("unterminated string"), "\(e)")
        }
        let ubj = try [UInt8](Data(contentsOf: fx.file("model.ubj")))
        XCTAssertThrowsError(try XGBoostModelReader.read(Array(ubj.prefix(ubj.count / 2)), ubjson: true)) { e in
            XCTAssertTrue("\(e)".hasPrefix("invalid UBJSON at byte "), "\(e)")
        }
    }

    func testTextDumpProblemsNameTheLine() throws {
        func read(_ s: String) throws -> XGBoostBooster { try XGBoostTextDumpReader().read(Array(s.utf8)) }
        XCTAssertThrowsError(try read("booster[0]:\n0:[f0<1] yes=1,no=2,missing=1\n\t1:leaf=0.5\n\t2:leaf=zero\n")) { e in
            XCTAssertEqual("\(e)", "line 4: leaf value 'zero' is not a number")
        }
        XCTAssertThrowsError(try read("0:[f0<1] yes=1,no=2\n1:leaf=1\n2:leaf=2\n")) { e in
            XCTAssertEqual("\(e)", "line 1: a numeric split needs missing= (where missing values go)")
        }
        XCTAssertThrowsError(try read("0:[f3] yes=1,no=2\n")) { e in
            XCTAssertTrue("\(e)".contains("indicator feature"), "\(e)")
        }
        XCTAssertThrowsError(try read("hello\n")) { e in XCTAssertTrue("\(e)".hasPrefix("line 1: expected a node"), "\(e)") }
        // Without booster[] lines, each node 0 starts a tree (get_dump joined by newlines).
        let b = try read("0:[f1<0.5] yes=1,no=2,missing=2\n\t1:leaf=1\n\t2:leaf=2\n0:leaf=3\n")
        XCTAssertEqual(b.trees.count, 2)
        XCTAssertEqual(b.trees[0].nodes[0], .numeric(feature: 1, threshold: 0.5, yes: 1, no: 2, missing: 2))
    }

    func testBaseScoreCountMustFitTheOutputs() throws {
        let fx = try XGBoostFixture.named("multi_softprob")
        var options = ConversionOptions()
        options.hints = fx.dumpHints
        options.hints.baseScores = [0.1, 0.2]
        XCTAssertThrowsError(try XGBoostConverter().convert(contentsOf: fx.file("dump.txt"), format: .xgboostTextDump, options: options)) { e in
            XCTAssertEqual("\(e)", "base_score: 2 values for a model of 3 outputs (give one, or one per output)")
        }
        options.hints.baseScores = [0.5]
        XCTAssertNoThrow(try XGBoostConverter().convert(contentsOf: fx.file("dump.txt"), format: .xgboostTextDump, options: options))
    }
}
