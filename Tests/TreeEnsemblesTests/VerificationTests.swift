import ConversionKit
import Foundation
import ONNX
import TreeEnsembles
import XCTest

/// `TreeVerification.verify`: agreement is reported, and disagreements are caught.
final class VerificationTests: XCTestCase {
    func testAgreementReport() throws {
        let m = T.mixed()
        let onnx = try TreeEnsembleLowering.lower(m)
        let report = try TreeVerification.verify(model: m, onnx: onnx, rows: nil)
        XCTAssertTrue(report.passed)
        XCTAssertEqual(report.rowsChecked, try m.probeRows().count)
        XCTAssertEqual(report.valuesCompared, report.rowsChecked * 3)
        XCTAssertEqual(report.labelsCompared, report.rowsChecked)
        XCTAssertEqual(report.leafChoicesChecked, report.rowsChecked * 4)
        XCTAssertLessThan(report.maxAbsError, 1e-6)
        XCTAssertFalse(report.summary.contains("\n"))
        XCTAssertTrue(report.summary.hasPrefix("verified \(report.rowsChecked) rows, max abs error "), report.summary)
        XCTAssertTrue(report.summary.hasSuffix(": OK"), report.summary)
    }

    func testAMovedThresholdIsCaughtAsLeafChoices() throws {
        let written = T.regression([T.stump({ T.le64(0, 0.1, yes: $0, no: $1) }, 1, 2)], features: 1)
        let onnx = try TreeEnsembleLowering.lower(written)
        // The IR the model claims to come from splits at 0.2 instead.
        let claimed = T.regression([T.stump({ T.le64(0, 0.2, yes: $0, no: $1) }, 1, 2)], features: 1)
        let rows: [[Float]] = [[0.05], [0.15], [0.25]]
        let report = try TreeVerification.verify(model: claimed, onnx: onnx, rows: rows)
        XCTAssertFalse(report.passed)
        XCTAssertEqual(report.leafChoicesDiffering, 1)          // 0.15: ONNX no, IR yes
        XCTAssertEqual(report.rowsWithDifferingLeaves, 1)
        XCTAssertEqual(report.valuesOutsideTolerance, 1)
        XCTAssertTrue(report.summary.contains("1 of 3 leaf choices differ"), report.summary)
        XCTAssertTrue(report.summary.contains("MISMATCH"), report.summary)
    }

    func testAWrongLeafValueIsCaughtAsValues() throws {
        let written = T.regression([T.stump({ T.lt32(0, 0, yes: $0, no: $1) }, 1, 2)], features: 1)
        let claimed = T.regression([T.stump({ T.lt32(0, 0, yes: $0, no: $1) }, 1, 2.001)], features: 1)
        let report = try TreeVerification.verify(model: claimed, onnx: try TreeEnsembleLowering.lower(written, options: .init(mlOpset: 3)),
                                                 rows: [[-1], [1]])
        XCTAssertEqual(report.leafChoicesDiffering, 0)
        XCTAssertEqual(report.valuesOutsideTolerance, 1)
        XCTAssertEqual(report.maxAbsError, 0.001, accuracy: 1e-6)
        XCTAssertFalse(report.passed)
    }

    func testAWrongLabelIsCaught() throws {
        let tree = T.stump({ T.lt32(0, 0, yes: $0, no: $1) }, 2, -2)
        let m = TreeEnsembleModel(trees: [tree], featureCount: 1, task: .classification(labels: .integers([0, 1])), baseScores: [0],
                                  transform: .logistic(scale: 1), binaryFromSingleMargin: true)
        var swapped = m
        swapped.task = .classification(labels: .integers([1, 0]))
        let report = try TreeVerification.verify(model: swapped, onnx: try TreeEnsembleLowering.lower(m), rows: [[-1], [1]])
        XCTAssertEqual(report.labelsDiffering, 2)
        XCTAssertFalse(report.passed)
    }

    func testNearTiesAreNotCountedAsDifferentLabels() throws {
        // Two classes whose margins differ by 1e-12: equal once the leaves are float32,
        // so ONNX picks the first while the float64 evaluator picks the second.
        let trees = [Tree(nodes: [T.leaf(0.1)], target: 0), Tree(nodes: [T.leaf(0.1 + 1e-12)], target: 1)]
        let m = TreeEnsembleModel(trees: trees, featureCount: 1, task: .classification(labels: .integers([0, 1])), baseScores: [0, 0],
                                  transform: .softmax)
        XCTAssertEqual(try TreeEnsembleEvaluator(m).predict([Float(0)]).classIndex, 1)
        let report = try TreeVerification.verify(model: m, onnx: try TreeEnsembleLowering.lower(m), rows: [[0]])
        XCTAssertEqual(report.labelTies, 1)
        XCTAssertEqual(report.labelsDiffering, 0)
        XCTAssertTrue(report.passed, report.summary)
    }

    func testFloat64RowsNeedAFloat64Model() throws {
        let m = T.mixed()
        XCTAssertThrowsError(try TreeVerification.verify(model: m, onnx: try TreeEnsembleLowering.lower(m), float64Rows: [[0, 0, 0, 0]]))
        let onnx = try TreeEnsembleLowering.lower(m, options: .init(inputType: .float64))
        let report = try TreeVerification.verify(model: m, onnx: onnx, float64Rows: [[0.1, Double(0.1).nextUp, 2.9, .nan]])
        XCTAssertTrue(report.passed, report.summary)
        XCTAssertEqual(report.rowsChecked, 1)
    }

    func testTolerance() {
        let t = TreeVerification.Tolerance.float32
        XCTAssertTrue(t.accepts(1.00001, 1))          // |diff| 1e-5 <= 1e-5 + 1e-5
        XCTAssertFalse(t.accepts(1.0001, 1))
        XCTAssertTrue(t.accepts(.nan, .nan))
        XCTAssertFalse(t.accepts(.nan, 0))
        XCTAssertTrue(t.accepts(.infinity, .infinity))
    }
}
