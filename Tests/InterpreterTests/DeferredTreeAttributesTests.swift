import Foundation
import Interpreter
import ONNX
import ONNXSerialization
import TestSupport
import XCTest

/// `convert-cli run` decodes large models with their attribute arrays left in the file
/// (`deferLargeAttributeArrays`), and the tree ops read them from there into their own
/// compact arrays. Whatever the path, a session must compute exactly what it computes
/// from the fully decoded model, for float32 inputs (the engine built at prepare time)
/// and float64 ones (the engine built later from the attributes read again), and must
/// refuse a broken ensemble with the same message.
final class DeferredTreeAttributesTests: XCTestCase {
    /// A v1/v3-style ensemble of `trees` full trees of depth 6 (127 nodes each) over 12
    /// features, weights on `targets` targets (or classes), from a fixed-seed generator.
    func legacyNode(_ opType: String, trees: Int, targets: Int, seed: UInt64) -> Node {
        var rng = SplitMix(seed: seed)
        var treeIds: [Int64] = [], nodeIds: [Int64] = [], features: [Int64] = [], modes: [ByteBuffer] = []
        var values: [Float] = [], trueIds: [Int64] = [], falseIds: [Int64] = [], missing: [Int64] = []
        var wTree: [Int64] = [], wNode: [Int64] = [], wTarget: [Int64] = [], weights: [Float] = []
        let interior = 63
        for t in 0..<trees {
            for n in 0..<127 {
                treeIds.append(Int64(t)); nodeIds.append(Int64(n))
                if n < interior {
                    features.append(Int64(rng.next() % 12))
                    values.append(Float(Int(rng.next() % 2001) - 1000) / 500)
                    modes.append(ByteBuffer(utf8: ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT"][Int(rng.next() % 4)]))
                    trueIds.append(Int64(2 * n + 1)); falseIds.append(Int64(2 * n + 2))
                    missing.append(Int64(rng.next() % 2))
                } else {
                    features.append(0); values.append(0); modes.append(ByteBuffer(utf8: "LEAF"))
                    trueIds.append(0); falseIds.append(0); missing.append(0)
                    for k in 0..<targets where k == 0 || rng.next() % 2 == 0 {
                        wTree.append(Int64(t)); wNode.append(Int64(n)); wTarget.append(Int64(k))
                        weights.append(Float(Int(rng.next() % 1001) - 500) / 1000)
                    }
                }
            }
        }
        let prefix = opType == "TreeEnsembleClassifier" ? "class" : "target"
        var attributes = [
            Attribute(name: "nodes_treeids", value: .ints(treeIds)), Attribute(name: "nodes_nodeids", value: .ints(nodeIds)),
            Attribute(name: "nodes_featureids", value: .ints(features)), Attribute(name: "nodes_modes", value: .strings(modes)),
            Attribute(name: "nodes_values", value: .floats(values)), Attribute(name: "nodes_truenodeids", value: .ints(trueIds)),
            Attribute(name: "nodes_falsenodeids", value: .ints(falseIds)),
            Attribute(name: "nodes_missing_value_tracks_true", value: .ints(missing)),
            Attribute(name: prefix + "_treeids", value: .ints(wTree)), Attribute(name: prefix + "_nodeids", value: .ints(wNode)),
            Attribute(name: prefix + "_ids", value: .ints(wTarget)), Attribute(name: prefix + "_weights", value: .floats(weights)),
        ]
        if opType == "TreeEnsembleClassifier" {
            attributes.append(Attribute(name: "classlabels_int64s", value: .ints((0..<Int64(targets)).map { $0 * 10 })))
            attributes.append(Attribute(name: "post_transform", string: "SOFTMAX"))
        } else {
            attributes.append(Attribute(name: "n_targets", value: .int(Int64(targets))))
        }
        var node = Node(opType: opType, input: ["x"], output: opType == "TreeEnsembleClassifier" ? ["label", "probabilities"] : ["y"],
                        attribute: attributes)
        node.domain = "ai.onnx.ml"
        return node
    }

    func model(_ node: Node) -> Model {
        var g = Graph(name: "trees")
        g.node = [node]
        g.input = [ValueInfo(name: "x", type: .tensor(.float, [.symbolic("N"), .fixed(12)]))]
        g.output = node.output.map { ValueInfo(name: $0, type: nil) }
        var m = Model()
        m.irVersion = 8
        m.opsetImport = [OperatorSetID(domain: "", version: 17), OperatorSetID(domain: "ai.onnx.ml", version: 3)]
        m.graph = g
        return m
    }

    /// Rows straddling the thresholds (multiples of 1/500 and their neighbours) plus NaN.
    func rows(_ n: Int) -> [Float] {
        var rng = SplitMix(seed: 7)
        return (0..<(n * 12)).map { _ in
            let base = Float(Int(rng.next() % 2001) - 1000) / 500
            switch rng.next() % 5 {
            case 0: return base.nextUp
            case 1: return base.nextDown
            case 2: return .nan
            default: return base
            }
        }
    }

    func checkSameOutputs(_ node: Node, file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = TemporaryFolder("deferred-trees")
        let url = dir.file("m.onnx")
        try model(node).write(to: url)
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        XCTAssertGreaterThan(size, 1 << 20, "the file must be large enough to be mapped", file: file, line: line)
        let deferredModel = try Model(contentsOf: url, deferLargeAttributeArrays: true)
        let deferredCount = deferredModel.graph!.node[0].attribute.filter { $0.deferredArrays != nil }.count
        XCTAssertGreaterThanOrEqual(deferredCount, 8, "the node arrays are deferred", file: file, line: line)
        let plain = try Session(model: try Model(contentsOf: url))
        let deferred = try Session(model: deferredModel)
        let x = rows(500)
        for input in [Value.tensor(TensorValue(floats: x, shape: [500, 12])),
                      Value.tensor(TensorValue(doubles: x.map { Double($0) }, shape: [500, 12]))] {
            let a = try plain.run(["x": input]), b = try deferred.run(["x": input])
            XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), file: file, line: line)
            for (name, v) in a {
                guard case .tensor(let p) = v, case .tensor(let q)? = b[name] else { XCTFail("\(name) is not a tensor", file: file, line: line); continue }
                XCTAssertEqual(p.shape, q.shape, file: file, line: line)
                XCTAssertEqual(try p.doubles().map(\.bitPattern), try q.doubles().map(\.bitPattern), "\(name)", file: file, line: line)
            }
        }
    }

    func testRegressorOneTarget() throws {
        try checkSameOutputs(legacyNode("TreeEnsembleRegressor", trees: 700, targets: 1, seed: 1))
    }

    func testRegressorThreeTargets() throws {
        try checkSameOutputs(legacyNode("TreeEnsembleRegressor", trees: 600, targets: 3, seed: 2))
    }

    func testClassifierFourClasses() throws {
        try checkSameOutputs(legacyNode("TreeEnsembleClassifier", trees: 600, targets: 4, seed: 3))
    }

    func testBrokenEnsembleGivesTheSameMessage() throws {
        var node = legacyNode("TreeEnsembleRegressor", trees: 700, targets: 1, seed: 4)
        // A child that does not exist, deep in the arrays.
        let k = node.attribute.firstIndex { $0.name == "nodes_truenodeids" }!
        node.attribute[k].ints[127 * 650 + 5] = 999
        let dir = TemporaryFolder("deferred-trees-broken")
        let url = dir.file("m.onnx")
        try model(node).write(to: url)
        func message(_ deferArrays: Bool) -> String {
            do {
                _ = try Session(model: try Model(contentsOf: url, deferLargeAttributeArrays: deferArrays))
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertTrue(message(false).contains("node 999 of tree 650 does not exist"), message(false))
        XCTAssertEqual(message(true), message(false))
    }
}

