import TreeEnsembles
import XCTest

/// `TreeEnsembleModel.validate()`: each error case with its context.
final class ValidationTests: XCTestCase {
    func model(_ nodes: [TreeNode], features: Int = 2, target: Int = 0, task: TreeEnsembleModel.Task = .regression(targets: 1),
               base: [Double] = [0]) -> TreeEnsembleModel {
        TreeEnsembleModel(trees: [Tree(nodes: [T.leaf(0)]), Tree(nodes: nodes, target: target)], featureCount: features, task: task,
                          baseScores: base)
    }

    func assertError(_ m: TreeEnsembleModel, _ expected: TreeEnsembleError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try m.validate(), file: file, line: line) { error in
            XCTAssertEqual(error as? TreeEnsembleError, expected, file: file, line: line)
            XCTAssertFalse(String(describing: error).isEmpty, file: file, line: line)
        }
        XCTAssertThrowsError(try TreeEnsembleEvaluator(m), file: file, line: line)
    }

    func testChildOutOfRange() {
        assertError(model([T.lt32(0, 1, yes: 1, no: 5), T.leaf(1)]),
                    .childOutOfRange(tree: 1, node: 0, field: "no", child: 5, nodeCount: 2))
        assertError(model([T.lt32(0, 1, yes: -1, no: 1), T.leaf(1)]),
                    .childOutOfRange(tree: 1, node: 0, field: "yes", child: -1, nodeCount: 2))
    }

    /// Validation is remembered per value; a change to a validated model (or its copy)
    /// is validated afresh, and the original keeps its own answer.
    func testChangeAfterValidationIsCheckedAgain() throws {
        var m = model([T.lt32(0, 1, yes: 1, no: 2), T.leaf(1), T.leaf(2)])
        try m.validate()
        let original = m
        m.trees[1].nodes[0] = T.lt32(0, 1, yes: 1, no: 7)
        assertError(m, .childOutOfRange(tree: 1, node: 0, field: "no", child: 7, nodeCount: 3))
        XCTAssertNoThrow(try original.validate())
        var wider = original
        wider.featureCount = 0
        assertError(wider, .invalidFeatureCount(0))
    }

    func testCycleAndSharedNode() {
        assertError(model([T.lt32(0, 1, yes: 1, no: 2), T.lt32(1, 1, yes: 0, no: 2), T.leaf(1)]), .cycle(tree: 1, node: 0))
        assertError(model([T.lt32(0, 1, yes: 1, no: 1), T.leaf(1)]), .sharedNode(tree: 1, node: 1))
        assertError(model([T.lt32(0, 1, yes: 1, no: 2), T.lt32(1, 1, yes: 3, no: 2), T.leaf(1), T.leaf(2)]), .sharedNode(tree: 1, node: 2))
        assertError(model([T.lt32(0, 1, yes: 0, no: 1), T.leaf(1)]), .cycle(tree: 1, node: 0))
    }

    func testUnreachableNodesAreIgnored() throws {
        // Node 3 (XGBoost keeps deleted nodes) points nowhere sensible but is never reached.
        try model([T.lt32(0, 1, yes: 1, no: 2), T.leaf(1), T.leaf(2), T.lt32(9, .nan, yes: 7, no: 8)]).validate()
    }

    func testFeatureOutOfRange() {
        assertError(model([T.lt32(2, 1, yes: 1, no: 2), T.leaf(1), T.leaf(2)]),
                    .featureOutOfRange(tree: 1, node: 0, feature: 2, featureCount: 2))
        assertError(model([T.leaf(0)], features: 0), .invalidFeatureCount(0))
        assertError(model([T.leaf(0)], features: Int(Int32.max) + 1), .invalidFeatureCount(Int(Int32.max) + 1))
    }

    func testThresholdsAndCategories() {
        XCTAssertThrowsError(try model([T.le64(0, .nan, yes: 1, no: 2), T.leaf(1), T.leaf(2)]).validate()) { error in
            guard case .invalidThreshold(tree: 1, node: 0, threshold: let v)? = error as? TreeEnsembleError else { return XCTFail("\(error)") }
            XCTAssertTrue(v.isNaN)
        }
        assertError(model([T.cat(0, [1, -3], yes: 1, no: 2), T.leaf(1), T.leaf(2)]), .invalidCategory(tree: 1, node: 0, category: -3))
        assertError(model([T.cat(0, [1 << 31], yes: 1, no: 2), T.leaf(1), T.leaf(2)]), .invalidCategory(tree: 1, node: 0, category: 1 << 31))
    }

    func testLeafWidths() {
        let two: TreeEnsembleModel.Task = .regression(targets: 2)
        assertError(model([T.lt32(0, 1, yes: 1, no: 2), .leaf([1, 2, 3]), T.leaf(2)], task: two, base: [0, 0]),
                    .leafWidth(tree: 1, node: 1, width: 3, columns: 2))
        assertError(model([T.lt32(0, 1, yes: 1, no: 2), .leaf([1, 2]), T.leaf(2)], task: two, base: [0, 0]),
                    .mixedLeafWidths(tree: 1, node: 2))
        assertError(model([T.lt32(0, 1, yes: 1, no: 2), .leaf([]), T.leaf(2)]), .leafWidth(tree: 1, node: 1, width: 0, columns: 1))
        assertError(model([T.lt32(0, 1, yes: 1, no: 2), .leaf([.infinity]), T.leaf(2)]), .invalidLeafValue(tree: 1, node: 1, value: .infinity))
        assertError(model([]), .emptyTree(tree: 1))
    }

    func testTargetsBaseScoresTaskAndTransform() {
        assertError(model([T.leaf(1)], target: 1), .targetOutOfRange(tree: 1, target: 1, columns: 1))
        assertError(model([T.leaf(1)], base: [0, 1]), .baseScoreCount(count: 2, expected: 1))
        assertError(model([T.leaf(1)], base: [.infinity]), .invalidBaseScore(index: 0, value: .infinity))
        assertError(model([T.leaf(1)], task: .classification(labels: .integers([1, 1])), base: []),
                    .invalidTask(reason: "class labels [1, 1] repeat a label"))
        var binary = model([T.leaf(1)], task: .classification(labels: .integers([0, 1, 2])), base: [0])
        binary.binaryFromSingleMargin = true
        XCTAssertThrowsError(try binary.validate())
        var softmax = model([T.leaf(1)], task: .classification(labels: .integers([0, 1])), base: [0])
        softmax.binaryFromSingleMargin = true
        softmax.transform = .softmax
        XCTAssertThrowsError(try softmax.validate())
        var scale = model([T.leaf(1)])
        scale.transform = .logistic(scale: 0)
        XCTAssertThrowsError(try scale.validate())
        var names = model([T.leaf(1)])
        names.featureNames = ["a"]
        assertError(names, .featureNameCount(count: 1, featureCount: 2))
    }

    func testEmptyBaseScoresMeanZero() throws {
        let m = model([T.leaf(1.5)], base: [])
        XCTAssertEqual(try TreeEnsembleEvaluator(m).predict([Float(0), 0]).margins, [1.5])
    }

    func testErrorDescriptionsNameTheField() {
        XCTAssertEqual(TreeEnsembleError.childOutOfRange(tree: 3, node: 4, field: "no", child: 9, nodeCount: 5).description,
                       "split 4 of tree 3 sends `no` to node 9, but the tree has 5 nodes (trees[3].nodes[4].no)")
    }
}
