import ConversionKit
import Foundation
import Interpreter
import ONNX
import ONNXSerialization
import TestSupport
import XCTest
import XGBoostConverter

/// One folder of Fixtures/xgboost (made by scripts/make_xgboost_fixtures.py with real
/// xgboost): the model in its saved and dumped forms, inputs, and xgboost's predictions.
struct XGBoostFixture {
    let name: String
    let folder: URL
    let info: [String: Any]

    static var all: [XGBoostFixture] {
        let root = TestPaths.fixtures("xgboost")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
        return names.compactMap { n in
            let f = root.appendingPathComponent(n)
            guard let data = FileManager.default.contents(atPath: f.appendingPathComponent("case.json").path),
                  let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return XGBoostFixture(name: n, folder: f, info: info)
        }
    }

    static func named(_ n: String) throws -> XGBoostFixture {
        guard let f = all.first(where: { $0.name == n }) else { throw XCTSkip("fixture \(n) is missing") }
        return f
    }

    var objective: String { info["objective"] as? String ?? "" }
    var numClass: Int { info["num_class"] as? Int ?? 0 }
    var numFeature: Int { info["num_feature"] as? Int ?? 0 }
    var numParallelTree: Int { info["num_parallel_tree"] as? Int ?? 1 }
    var featureNames: [String]? { info["feature_names"] as? [String] }
    /// base_score as model.json stores it, e.g. "[4.375E-1]".
    var baseScoreText: String { info["base_score"] as? String ?? "" }
    var baseScores: [Float] {
        baseScoreText.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",").compactMap { Float($0) }
    }

    func file(_ name: String) -> URL { folder.appendingPathComponent(name) }
    func has(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name).path) }

    func array(_ name: String) throws -> TensorValue { try NPYFile.read(file(name)) }

    /// The saved and dumped forms present, with their formats.
    var forms: [(file: String, format: SourceFormat)] {
        [("model.json", .xgboostJSON), ("model.ubj", .xgboostUBJSON), ("dump.txt", .xgboostTextDump),
         ("dump-stats.txt", .xgboostTextDump), ("dump.json", .xgboostJSONDump)].filter { has($0.0) }
    }

    /// What a user passes for a dump (the file does not record it).
    var dumpHints: SourceHints {
        var h = SourceHints()
        h.objective = objective
        h.baseScores = baseScores
        h.numFeatures = numFeature
        if numClass > 0 { h.numClass = numClass }
        if numParallelTree > 1 { h.numParallelTree = numParallelTree }
        h.featureNames = featureNames
        return h
    }

    /// What xgboost predicted: the output to compare and, for classifiers, the labels.
    func expected() throws -> (output: String, values: [Double], labels: [Int64]?) {
        let predict = try array("predict.npy").doubles()
        switch objective {
        case "binary:logistic", "binary:hinge":
            return ("probabilities", try array("probabilities.npy").doubles(), predict.map { $0 > 0.5 ? 1 : 0 })
        case "multi:softprob":
            let k = numClass
            let labels = stride(from: 0, to: predict.count, by: k).map { r -> Int64 in
                var best = 0
                for j in 0..<k where predict[r + j] > predict[r + best] { best = j }
                return Int64(best)
            }
            return ("probabilities", predict, labels)
        case "multi:softmax":
            return ("probabilities", try array("probabilities.npy").doubles(), try array("label.npy").doubles().map { Int64($0) })
        case "binary:logitraw", "rank:pairwise", "rank:ndcg", "rank:map":
            return ("scores", predict, nil)
        default:
            return ("predictions", predict, nil)
        }
    }
}

/// |got - expected| <= 1e-5 + 1e-5 * |expected| (float32), NaN matching NaN.
func assertClose(_ got: [Double], _ expected: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(got.count, expected.count, "\(what): element count", file: file, line: line)
    var bad = 0, first = ""
    for (i, (g, e)) in zip(got, expected).enumerated() {
        if g == e || (g.isNaN && e.isNaN) { continue }
        if abs(g - e) <= 1e-5 + 1e-5 * abs(e) { continue }
        bad += 1
        if first.isEmpty { first = "element \(i): got \(g), xgboost \(e)" }
    }
    XCTAssertEqual(bad, 0, "\(what): \(bad) of \(got.count) values differ (first: \(first))", file: file, line: line)
}
