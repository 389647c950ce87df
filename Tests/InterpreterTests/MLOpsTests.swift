import Foundation
import Interpreter
import ONNX
import ONNXSerialization
import TestSupport
import XCTest

/// The ai.onnx.ml ops against onnxruntime: every case in Fixtures/ml (made by
/// scripts/make_ml_fixtures.py, which runs each model in onnxruntime 1.32) is run by the
/// interpreter and its outputs compared in full — float32 within 1e-5 + 1e-5 * |expected|,
/// labels and other integers or strings exactly, maps key by key.
final class MLOpsTests: XCTestCase {
    static let folder = TestPaths.fixtures("ml")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).appendingPathComponent("model.onnx").path) }
            .sorted()
    }

    /// Runs one fixture case; returns a description of the first mismatch, or nil.
    static func check(_ name: String) throws -> String? {
        let dir = folder.appendingPathComponent(name)
        let model = try Model(contentsOf: dir.appendingPathComponent("model.onnx"))
        let session = try Session(model: model)
        let graph = model.graph ?? Graph()
        let data = dir.appendingPathComponent("test_data_set_0")
        var feeds: [String: Value] = [:]
        for (i, info) in graph.input.enumerated() {
            let url = data.appendingPathComponent("input_\(i).pb")
            feeds[info.name ?? ""] = try Value(data: try DataValueCodec.read(url, as: DataValue.kind(for: info.type)), type: info.type)
        }
        let got = try session.runOrdered(feeds)
        for (i, info) in graph.output.enumerated() {
            let url = data.appendingPathComponent("output_\(i).pb")
            let expected = try Value(data: try DataValueCodec.read(url, as: DataValue.kind(for: info.type)), type: info.type)
            guard i < got.count else { return "output \(i) was not produced" }
            if let m = ValueComparison.compare(got[i], expected, rtol: 1e-5, atol: 1e-5) {
                return "output '\(info.name ?? "\(i)")': \(m)"
            }
        }
        return nil
    }

    func testFixturesMatchOnnxruntime() throws {
        let names = Self.cases
        XCTAssertGreaterThanOrEqual(names.count, 150, "Fixtures/ml is missing cases; run scripts/make_ml_fixtures.py")
        var failures: [String] = []
        for name in names {
            do {
                if let m = try Self.check(name) { failures.append("\(name): \(m)") }
            } catch {
                failures.append("\(name): \(error)")
            }
        }
        XCTAssert(failures.isEmpty, "\(failures.count) of \(names.count) cases differ from onnxruntime:\n" + failures.joined(separator: "\n"))
    }

    /// Every op of the family has at least one fixture.
    func testEveryOpHasAFixture() throws {
        var seen: Set<String> = []
        for name in Self.cases {
            let model = try Model(contentsOf: Self.folder.appendingPathComponent(name).appendingPathComponent("model.onnx"))
            for n in model.graph?.node ?? [] { seen.insert(n.opType ?? "") }
        }
        let ops = ["TreeEnsemble", "TreeEnsembleRegressor", "TreeEnsembleClassifier", "LinearClassifier", "LinearRegressor",
                   "SVMClassifier", "SVMRegressor", "Normalizer", "Scaler", "ZipMap", "LabelEncoder", "OneHotEncoder", "Imputer",
                   "Binarizer", "ArrayFeatureExtractor", "CategoryMapper", "FeatureVectorizer", "DictVectorizer", "CastMap"]
        for op in ops { XCTAssert(seen.contains(op), "no fixture uses \(op)") }
    }

    // MARK: - Bad input is rejected, not crashed on

    func mlModel(_ node: Node, inputs: [(String, DataType)], outputs: [String]) -> Model {
        var g = Graph(name: "g")
        g.node = [node]
        g.input = inputs.map { ValueInfo(name: $0.0, type: TypeProto.tensor($0.1, nil)) }
        g.output = outputs.map { ValueInfo(name: $0, type: nil) }
        var m = Model()
        m.irVersion = 9
        m.opsetImport = [OperatorSetID(domain: "", version: 19), OperatorSetID(domain: "ai.onnx.ml", version: 5)]
        m.graph = g
        return m
    }

    func treeNode(feature: Int64, trueLeaf: Int64 = 0, falseLeaf: Int64 = 1) -> Node {
        var n = Node(opType: "TreeEnsemble", domain: "ai.onnx.ml", input: ["X"], output: ["Y"])
        func tensor(_ v: [Float]) -> ONNX.Tensor { TensorValue(floats: v, shape: [v.count]).proto() }
        n.attribute = [
            Attribute(name: "n_targets", value: .int(1)),
            Attribute(name: "tree_roots", value: .ints([0])),
            Attribute(name: "nodes_featureids", value: .ints([feature])),
            Attribute(name: "nodes_truenodeids", value: .ints([trueLeaf])),
            Attribute(name: "nodes_trueleafs", value: .ints([1])),
            Attribute(name: "nodes_falsenodeids", value: .ints([falseLeaf])),
            Attribute(name: "nodes_falseleafs", value: .ints([1])),
            Attribute(name: "nodes_splits", value: .tensor(tensor([0.5]))),
            Attribute(name: "nodes_modes", value: .tensor(TensorValue(unchecked: .uint8, shape: [1], storage: .uint8([0])).proto())),
            Attribute(name: "leaf_targetids", value: .ints([0, 0])),
            Attribute(name: "leaf_weights", value: .tensor(tensor([1, 2]))),
        ]
        return n
    }

    func testTreeEnsembleEvaluatesAndRejectsMissingFeatures() throws {
        let session = try Session(model: mlModel(treeNode(feature: 1), inputs: [("X", .float)], outputs: ["Y"]))
        let ok = try session.runOrdered(["X": .tensor(TensorValue(floats: [0, 0, 0, 1], shape: [2, 2]))])
        XCTAssertEqual(ok.first?.tensor, TensorValue(floats: [1, 2], shape: [2, 1]))
        XCTAssertThrowsError(try session.runOrdered(["X": .tensor(TensorValue(floats: [0, 0], shape: [2, 1]))]))
        XCTAssertThrowsError(try session.runOrdered(["X": .tensor(TensorValue(floats: [0], shape: []))]))
    }

    func testTreeEnsembleRejectsBadLeafIndex() {
        XCTAssertThrowsError(try Session(model: mlModel(treeNode(feature: 0, trueLeaf: 5), inputs: [("X", .float)], outputs: ["Y"])))
    }

    func testArrayFeatureExtractorRejectsOutOfRangeIndex() throws {
        let node = Node(opType: "ArrayFeatureExtractor", domain: "ai.onnx.ml", input: ["X", "I"], output: ["Z"])
        let session = try Session(model: mlModel(node, inputs: [("X", .float), ("I", .int64)], outputs: ["Z"]))
        let x = Value.tensor(TensorValue(floats: [1, 2, 3], shape: [1, 3]))
        XCTAssertThrowsError(try session.runOrdered(["X": x, "I": .tensor(TensorValue(int64s: [3], shape: [1]))]))
        XCTAssertThrowsError(try session.runOrdered(["X": x, "I": .tensor(TensorValue(int64s: [-1], shape: [1]))]))
        let z = try session.runOrdered(["X": x, "I": .tensor(TensorValue(int64s: [2, 0], shape: [2]))])
        XCTAssertEqual(z.first?.tensor, TensorValue(floats: [3, 1], shape: [1, 2]))
    }
}
