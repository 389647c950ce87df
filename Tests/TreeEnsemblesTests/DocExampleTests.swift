import ConversionKit
import Interpreter
import ONNX
import TreeEnsembles
import XCTest

/// The frontend example of docs/tree-ir.md, run.
final class DocExampleTests: XCTestCase {
    func testFrontendExample() throws {
        let trees = [
            Tree(nodes: [.split(Split(feature: 0, threshold: .float32(0.5), comparison: .lessThan,
                                      yes: 1, no: 2, missingGoesToYes: true)),
                         .leaf([0.4]), .leaf([-0.3])]),
            Tree(nodes: [.split(Split(feature: 1, threshold: .float32(2), comparison: .lessThan,
                                      yes: 1, no: 2, missingGoesToYes: false)),
                         .leaf([0.1]), .leaf([-0.2])]),
        ]
        let ir = TreeEnsembleModel(trees: trees, featureCount: 2,
                                   task: .classification(labels: .integers([0, 1])), baseScores: [0],
                                   transform: .logistic(scale: 1), binaryFromSingleMargin: true,
                                   negativeCategoryRule: .noCategory)
        let onnx = try TreeEnsembleLowering.lower(ir)
        let report = try TreeVerification.verify(model: ir, onnx: onnx, rows: nil)
        XCTAssertTrue(report.passed, report.summary)
        // Row [0, 0]: 0.4 + 0.1 = 0.5; p = 1 / (1 + e^-0.5) = 0.6224593312018546.
        // Row [NaN, 3]: NaN goes yes (0.4), 3 < 2 fails (-0.2): 0.2; p = 0.549833997312478.
        let out = try Session(model: onnx).run(["input": .tensor(TensorValue(floats: [0, 0, .nan, 3], shape: [2, 2]))])
        let p = try XCTUnwrap(out["probabilities"]?.tensor).doubles()
        for (g, e) in zip(p, [1 - 0.6224593312018546, 0.6224593312018546, 1 - 0.549833997312478, 0.549833997312478]) {
            XCTAssertEqual(g, e, accuracy: 1e-6)
        }
        XCTAssertEqual(try out["label"]?.tensor?.int64s(), [1, 1])
    }
}
