import Interpreter
import ONNX
import XCTest

/// `Session.run(_:tracingLeavesOf:)`: the leaf each row reaches in each tree, counted in
/// preorder with the true branch first, for every kind of tree the engine compiles.
final class TreeLeafTraceTests: XCTestCase {
    /// Three trees over features x0, x1 (leaf weights in brackets):
    ///   tree 0: x0 <= 0.5 ? (x1 < 2 ? [1] : [2]) : [3]
    ///   tree 1: x1 >= 1 (NaN true) ? [10] : [20]            (a negated comparison)
    ///   tree 2: x0 in {1, 3} ? [100] : (x0 == 7 ? [200] : [300])   (the general walk)
    func forest() -> Node {
        var n = Node(opType: "TreeEnsemble", domain: "ai.onnx.ml", input: ["X"], output: ["Y"])
        n.name = "trees"
        func tensor(_ v: [Float]) -> ONNX.Tensor { TensorValue(floats: v, shape: [v.count]).proto() }
        n.attribute = [
            Attribute(name: "n_targets", value: .int(1)),
            Attribute(name: "tree_roots", value: .ints([0, 2, 3])),
            Attribute(name: "nodes_featureids", value: .ints([0, 1, 1, 0, 0])),
            Attribute(name: "nodes_modes", value: .tensor(TensorValue(unchecked: .uint8, shape: [5], storage: .uint8([0, 1, 2, 6, 4])).proto())),
            Attribute(name: "nodes_splits", value: .tensor(tensor([0.5, 2, 1, 0, 7]))),
            Attribute(name: "nodes_truenodeids", value: .ints([1, 0, 3, 5, 6])),
            Attribute(name: "nodes_trueleafs", value: .ints([0, 1, 1, 1, 1])),
            Attribute(name: "nodes_falsenodeids", value: .ints([2, 1, 4, 4, 7])),
            Attribute(name: "nodes_falseleafs", value: .ints([1, 1, 1, 0, 1])),
            Attribute(name: "nodes_missing_value_tracks_true", value: .ints([0, 0, 1, 0, 0])),
            Attribute(name: "membership_values", value: .tensor(tensor([1, 3]))),
            Attribute(name: "leaf_targetids", value: .ints([0, 0, 0, 0, 0, 0, 0, 0])),
            Attribute(name: "leaf_weights", value: .tensor(tensor([1, 2, 3, 10, 20, 100, 200, 300]))),
        ]
        return n
    }

    func model(_ node: Node, input: DataType) -> Model {
        var g = Graph(name: "g")
        g.node = [node]
        g.input = [ValueInfo(name: "X", type: TypeProto.tensor(input, nil))]
        g.output = [ValueInfo(name: "Y", type: nil)]
        var m = Model()
        m.irVersion = 10
        m.opsetImport = [OperatorSetID(domain: "", version: 21), OperatorSetID(domain: "ai.onnx.ml", version: 5)]
        m.graph = g
        return m
    }

    let rows: [Float] = [0, 1, 1, 5, 0.5, 2, 7, .nan, 3, 0.5]
    // Worked out by hand from the trees above.
    let positions: [Int32] = [0, 0, 2, 2, 0, 0, 1, 0, 2, 2, 0, 1, 2, 1, 0]
    let sums: [Float] = [311, 113, 312, 213, 123]

    func testFloat32RowsReportEachTreesLeaf() throws {
        let session = try Session(model: model(forest(), input: .float))
        let (outputs, trace) = try session.run(["X": .tensor(TensorValue(floats: rows, shape: [5, 2]))], tracingLeavesOf: "trees")
        XCTAssertEqual(outputs["Y"]?.tensor, TensorValue(floats: sums, shape: [5, 1]))
        let t = try XCTUnwrap(trace)
        XCTAssertEqual(t.rows, 5)
        XCTAssertEqual(t.trees, 3)
        XCTAssertEqual(t.positions, positions)
        XCTAssertEqual(t.position(row: 4, tree: 1), 1)
    }

    func testFloat64RowsReportEachTreesLeaf() throws {
        let session = try Session(model: model(forest(), input: .double))
        let x = TensorValue(doubles: rows.map(Double.init), shape: [5, 2])
        let trace = try session.run(["X": .tensor(x)], tracingLeavesOf: "trees").leaves
        XCTAssertEqual(trace?.positions, positions)
    }

    func testOtherNodesAreNotTraced() throws {
        let session = try Session(model: model(forest(), input: .float))
        let x = TensorValue(floats: rows, shape: [5, 2])
        XCTAssertNil(try session.run(["X": .tensor(x)], tracingLeavesOf: "no such node").leaves)
    }

    func testLegacyRegressorCountsLeavesTheSameWay() throws {
        // Tree 0 of the forest above in the ai.onnx.ml 1-3 layout, node ids out of preorder.
        var n = Node(opType: "TreeEnsembleRegressor", domain: "ai.onnx.ml", input: ["X"], output: ["Y"])
        n.name = "legacy"
        n.attribute = [
            Attribute(name: "n_targets", value: .int(1)),
            Attribute(name: "nodes_treeids", value: .ints([0, 0, 0, 0, 0])),
            Attribute(name: "nodes_nodeids", value: .ints([0, 4, 3, 2, 1])),
            Attribute(name: "nodes_featureids", value: .ints([0, 0, 0, 1, 0])),
            Attribute(name: "nodes_modes", value: .strings(["BRANCH_LEQ", "LEAF", "LEAF", "BRANCH_LT", "LEAF"].map { ByteBuffer(utf8: $0) })),
            Attribute(name: "nodes_values", value: .floats([0.5, 0, 0, 2, 0])),
            Attribute(name: "nodes_truenodeids", value: .ints([2, 0, 0, 4, 0])),
            Attribute(name: "nodes_falsenodeids", value: .ints([1, 0, 0, 3, 0])),
            Attribute(name: "target_treeids", value: .ints([0, 0, 0])),
            Attribute(name: "target_nodeids", value: .ints([4, 3, 1])),
            Attribute(name: "target_ids", value: .ints([0, 0, 0])),
            Attribute(name: "target_weights", value: .floats([1, 2, 3])),
        ]
        var m = model(n, input: .float)
        m.opsetImport = [OperatorSetID(domain: "", version: 21), OperatorSetID(domain: "ai.onnx.ml", version: 3)]
        let (outputs, trace) = try Session(model: m).run(["X": .tensor(TensorValue(floats: rows, shape: [5, 2]))], tracingLeavesOf: "legacy")
        XCTAssertEqual(outputs["Y"]?.tensor, TensorValue(floats: [1, 3, 2, 3, 3], shape: [5, 1]))
        XCTAssertEqual(trace?.positions, [0, 2, 1, 2, 2])
    }
}
