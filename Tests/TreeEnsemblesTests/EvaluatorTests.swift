import Foundation
import TreeEnsembles
import XCTest

/// The native evaluator against results derived by hand from the trees.
final class EvaluatorTests: XCTestCase {
    /// The value of the single margin for one row.
    func margin<R: TreeInputScalar>(_ m: TreeEnsembleModel, _ row: [R]) throws -> Double {
        try TreeEnsembleEvaluator(m).predict(row, rowIndex: 0).margins[0]
    }

    func stumpModel(_ split: @escaping (Int, Int) -> TreeNode) -> TreeEnsembleModel {
        T.regression([T.stump(split, 1, 2)], features: 1)
    }

    // MARK: - Comparisons

    func testFloat32LessThanComparesInFloat32() throws {
        let m = stumpModel { T.lt32(0, 0.5, yes: $0, no: $1) }
        XCTAssertEqual(try margin(m, [Float(0.4)]), 1)
        XCTAssertEqual(try margin(m, [Float(0.5)]), 2)                       // 0.5 < 0.5 is false
        XCTAssertEqual(try margin(m, [Float(0.5).nextDown]), 1)
        XCTAssertEqual(try margin(m, [Float(0.5).nextUp]), 2)
        // A float64 row is rounded to float32 first, as XGBoost reads its input:
        // 0.49999999 is nearer to 0.5 than to 0.49999997 (spacing 2^-25 below 0.5).
        XCTAssertEqual(try margin(m, [0.49999999]), 2)
        XCTAssertEqual(try margin(m, [0.49999997]), 1)
    }

    func testFloat64LessOrEqualComparesInFloat64() throws {
        let m = stumpModel { T.le64(0, 0.1, yes: $0, no: $1) }
        // Float(0.1) is 0.100000001490116..., above the float64 0.1.
        XCTAssertEqual(try margin(m, [Float(0.1)]), 2)
        XCTAssertEqual(try margin(m, [Float(bitPattern: 0x3DCC_CCCC)]), 1)   // 0.099999994
        XCTAssertEqual(try margin(m, [0.1]), 1)                               // equal: <= holds
        XCTAssertEqual(try margin(m, [Double(0.1).nextUp]), 2)
    }

    func testFloat32LessOrEqualAndFloat64LessThan() throws {
        let le = stumpModel { T.le32(0, 1, yes: $0, no: $1) }
        XCTAssertEqual(try margin(le, [Float(1)]), 1)
        XCTAssertEqual(try margin(le, [Float(1).nextUp]), 2)
        let lt = stumpModel { T.lt64(0, 2, yes: $0, no: $1) }
        XCTAssertEqual(try margin(lt, [Float(2)]), 2)
        XCTAssertEqual(try margin(lt, [Float(2).nextDown]), 1)
        XCTAssertEqual(try margin(lt, [Double(2).nextDown]), 1)
    }

    func testInfinitiesCompareAsNumbers() throws {
        let m = stumpModel { T.le64(0, 1e300, yes: $0, no: $1) }
        XCTAssertEqual(try margin(m, [Float.greatestFiniteMagnitude]), 1)
        XCTAssertEqual(try margin(m, [Float.infinity]), 2)
        XCTAssertEqual(try margin(m, [-Float.infinity]), 1)
    }

    // MARK: - Missing values

    func testNaNFollowsTheMissingDirection() throws {
        for missingYes in [true, false] {
            let expected: Double = missingYes ? 1 : 2
            let numeric = [stumpModel { T.lt32(0, 0.5, yes: $0, no: $1, missingYes: missingYes) },
                           stumpModel { T.le64(0, 0.5, yes: $0, no: $1, missingYes: missingYes) },
                           stumpModel { T.cat(0, [0, 1], yes: $0, no: $1, missingYes: missingYes) }]
            for m in numeric {
                XCTAssertEqual(try margin(m, [Float.nan]), expected)
                XCTAssertEqual(try margin(m, [Double.nan]), expected)
            }
        }
    }

    // MARK: - Categorical splits

    func testCategoricalTruncatesTowardZero() throws {
        let m = stumpModel { T.cat(0, [2, 5], yes: $0, no: $1) }
        XCTAssertEqual(try margin(m, [Float(2)]), 1)
        XCTAssertEqual(try margin(m, [Float(2.9)]), 1)       // 2.9 -> 2
        XCTAssertEqual(try margin(m, [Float(5.5)]), 1)
        XCTAssertEqual(try margin(m, [Float(1.99)]), 2)      // 1.99 -> 1
        XCTAssertEqual(try margin(m, [Float(3)]), 2)
        XCTAssertEqual(try margin(m, [Float(-2)]), 2)        // negative: no
        XCTAssertEqual(try margin(m, [Float(-2.5)]), 2)
    }

    func testCategoricalZeroAndNegatives() throws {
        let m = stumpModel { T.cat(0, [0], yes: $0, no: $1) }
        XCTAssertEqual(try margin(m, [Float(-0.5)]), 1)      // truncates to 0, as LightGBM's int cast does
        XCTAssertEqual(try margin(m, [Float(-0.0)]), 1)
        XCTAssertEqual(try margin(m, [Float(0.7)]), 1)
        XCTAssertEqual(try margin(m, [Float(-1)]), 2)
        XCTAssertEqual(try margin(m, [Float(-1.5)]), 2)
        XCTAssertEqual(try margin(m, [-Float.infinity]), 2)
        XCTAssertEqual(try margin(m, [Float.nan]), 2)        // missing goes no here
    }

    func testXGBoostRuleSendsEveryNegativeValueNo() throws {
        var m = stumpModel { T.cat(0, [0, 1], yes: $0, no: $1) }
        m.negativeCategoryRule = .noCategory
        XCTAssertEqual(try margin(m, [Float(-0.5)]), 2)      // XGBoost: below zero is no category
        XCTAssertEqual(try margin(m, [Float(-0.0)]), 1)      // -0.0 is not below zero
        XCTAssertEqual(try margin(m, [Float(0.5)]), 1)
        XCTAssertEqual(try margin(m, [Float(1.9)]), 1)
        XCTAssertEqual(try margin(m, [Float(-1)]), 2)
        XCTAssertNil(TreeEnsembleEvaluator.categoryCode(-0.25, negatives: .noCategory))
        XCTAssertEqual(TreeEnsembleEvaluator.categoryCode(-0.25), 0)
    }

    func testCategoricalAbsentAndHugeCodes() throws {
        let m = stumpModel { T.cat(0, [7, 16_777_217], yes: $0, no: $1) }
        XCTAssertEqual(try margin(m, [Float(8)]), 2)
        XCTAssertEqual(try margin(m, [Float(3e9)]), 2)       // 2^31 or more: no category
        XCTAssertEqual(try margin(m, [Float.infinity]), 2)
        XCTAssertEqual(try margin(m, [16_777_217.0]), 1)     // a float64 row can hold it
        XCTAssertEqual(try margin(m, [Float(16_777_216)]), 2)
        XCTAssertNil(TreeEnsembleEvaluator.categoryCode(2147483648.0))
        XCTAssertEqual(TreeEnsembleEvaluator.categoryCode(2147483647.5), 2147483647)
        XCTAssertEqual(TreeEnsembleEvaluator.categoryCode(-0.999), 0)
        XCTAssertNil(TreeEnsembleEvaluator.categoryCode(-1))
    }

    // MARK: - Aggregation and base scores

    func testSumAddsBaseScore() throws {
        let trees = [T.stump({ T.lt32(0, 0, yes: $0, no: $1) }, 1, 3), Tree(nodes: [T.leaf(4)])]
        let m = T.regression(trees, features: 1, base: [0.5])
        XCTAssertEqual(try margin(m, [Float(-1)]), 1 + 4 + 0.5)
        XCTAssertEqual(try margin(m, [Float(1)]), 3 + 4 + 0.5)
    }

    func testAverageDividesByTreesPerColumnThenAddsBase() throws {
        let trees = [T.stump({ T.lt32(0, 0, yes: $0, no: $1) }, 1, 3), Tree(nodes: [T.leaf(4)])]
        let m = T.regression(trees, features: 1, base: [0.5], aggregation: .average)
        XCTAssertEqual(try margin(m, [Float(-1)]), (1 + 4) / 2 + 0.5)
        XCTAssertEqual(try margin(m, [Float(1)]), (3 + 4) / 2 + 0.5)
        // Column 0 has two trees, column 1 one.
        let two = T.regression([Tree(nodes: [T.leaf(1)], target: 0), Tree(nodes: [T.leaf(2)], target: 0), Tree(nodes: [T.leaf(6)], target: 1)],
                               features: 1, base: [0, 1], aggregation: .average, targets: 2)
        let p = try TreeEnsembleEvaluator(two).predict([Float(0)])
        XCTAssertEqual(p.margins, [1.5, 7])
        XCTAssertEqual(try TreeEnsembleEvaluator(two).treesPerColumn, [2, 1])
    }

    func testVectorLeavesAddToEveryColumn() throws {
        let trees = [Tree(nodes: [T.lt32(0, 0, yes: 1, no: 2), .leaf([0.2, 0.8]), .leaf([0.6, 0.4])]), Tree(nodes: [.leaf([1, 0])])]
        let m = TreeEnsembleModel(trees: trees, featureCount: 1, task: .classification(labels: .integers([3, 4])), baseScores: [],
                                  aggregation: .average)
        let p = try TreeEnsembleEvaluator(m).predict([Float(-1)])
        XCTAssertEqual(p.margins[0], 0.6, accuracy: 1e-15)
        XCTAssertEqual(p.margins[1], 0.4, accuracy: 1e-15)
        XCTAssertEqual(p.label, .integer(3))
        XCTAssertEqual(p.leaves, [1, 0])
    }

    // MARK: - Transforms

    func testEachTransform() throws {
        func values(_ transform: TreeEnsembleModel.Transform, _ leaves: [Double]) throws -> [Double] {
            let trees = leaves.enumerated().map { Tree(nodes: [T.leaf($0.element)], target: $0.offset) }
            let m = T.regression(trees, features: 1, base: [Double](repeating: 0, count: leaves.count), transform: transform,
                                 targets: leaves.count)
            return try TreeEnsembleEvaluator(m).predict([Float(0)]).values
        }
        XCTAssertEqual(try values(.identity, [1.25]), [1.25])
        XCTAssertEqual(try values(.logistic(scale: 1), [0])[0], 0.5, accuracy: 1e-15)
        XCTAssertEqual(try values(.logistic(scale: 1), [log(3)])[0], 0.75, accuracy: 1e-15)         // 1 / (1 + 1/3)
        XCTAssertEqual(try values(.logistic(scale: 2), [log(3) / 2])[0], 0.75, accuracy: 1e-15)
        XCTAssertEqual(try values(.exp, [log(2)])[0], 2, accuracy: 1e-15)
        let soft = try values(.softmax, [0, log(2), log(5)])                                       // [1, 2, 5] / 8
        for (g, e) in zip(soft, [0.125, 0.25, 0.625]) { XCTAssertEqual(g, e, accuracy: 1e-15) }
        let ova = try values(.perClassLogistic(scale: 1), [0, log(3)])
        XCTAssertEqual(ova[0], 0.5, accuracy: 1e-15)
        XCTAssertEqual(ova[1], 0.75, accuracy: 1e-15)
    }

    // MARK: - Classification

    func testBinaryFromSingleMargin() throws {
        let tree = T.stump({ T.lt32(0, 0, yes: $0, no: $1) }, log(3), -log(3))
        let m = TreeEnsembleModel(trees: [tree, Tree(nodes: [T.leaf(0)])], featureCount: 1, task: .classification(labels: .strings(["no", "yes"])),
                                  baseScores: [0], transform: .logistic(scale: 1), binaryFromSingleMargin: true)
        let e = try TreeEnsembleEvaluator(m)
        let yes = try e.predict([Float(-1)])
        XCTAssertEqual(yes.values[0], 0.25, accuracy: 1e-15)
        XCTAssertEqual(yes.values[1], 0.75, accuracy: 1e-15)
        XCTAssertEqual(yes.classIndex, 1)
        XCTAssertEqual(yes.label, .string("yes"))
        let no = try e.predict([Float(1)])
        XCTAssertEqual(no.values[0], 0.75, accuracy: 1e-15)
        XCTAssertEqual(no.label, .string("no"))
        // p = 0.5 exactly: the first largest probability wins, class 0.
        let tie = TreeEnsembleModel(trees: [Tree(nodes: [T.leaf(0)])], featureCount: 1, task: .classification(labels: .integers([0, 1])),
                                    baseScores: [0], transform: .logistic(scale: 1), binaryFromSingleMargin: true)
        XCTAssertEqual(try TreeEnsembleEvaluator(tie).predict([Float(0)]).classIndex, 0)
    }

    func testMulticlassSoftmaxPicksTheLargestMargin() throws {
        // One tree per class per round, XGBoost style; class 2 gets the largest margin for x < 1.
        let trees = (0..<6).map { i -> Tree in
            let c = i % 3
            return T.stump({ T.lt32(0, 1, yes: $0, no: $1) }, [0.1, 0.2, 0.3][c], [0.3, 0.2, 0.1][c], target: c)
        }
        let m = TreeEnsembleModel(trees: trees, featureCount: 1, task: .classification(labels: .strings(["a", "b", "c"])),
                                  baseScores: [0.5, 0.5, 0.5], transform: .softmax)
        let e = try TreeEnsembleEvaluator(m)
        let low = try e.predict([Float(0)])
        XCTAssertEqual(low.margins[0], 0.7, accuracy: 1e-15)
        XCTAssertEqual(low.margins[1], 0.9, accuracy: 1e-15)
        XCTAssertEqual(low.margins[2], 1.1, accuracy: 1e-15)
        XCTAssertEqual(low.label, .string("c"))
        // softmax of [0.7, 0.9, 1.1]: exp(-0.4), exp(-0.2), 1 over their sum.
        let s = exp(-0.4) + exp(-0.2) + 1
        XCTAssertEqual(low.values[2], 1 / s, accuracy: 1e-15)
        XCTAssertEqual(try e.predict([Float(1)]).label, .string("a"))
    }

    func testRowWidthIsChecked() throws {
        let e = try TreeEnsembleEvaluator(stumpModel { T.lt32(0, 0.5, yes: $0, no: $1) })
        XCTAssertThrowsError(try e.predict(rows: [[Float(1)], [Float(1), 2]])) { error in
            XCTAssertEqual(error as? TreeEnsembleError, .rowWidth(row: 1, count: 2, featureCount: 1))
        }
    }

    func testLeavesAreReported() throws {
        let m = T.mixed()
        let e = try TreeEnsembleEvaluator(m)
        // x0 = 0 < 0.5 -> node 1; x1 = 0 <= 0.1 -> leaf 3. Tree 1: x1 = 0 <= 1/3 -> node 1;
        // x3 = 0 < 1e-40 -> leaf 3. Tree 2: 0 <= 3.4e38 -> leaf 1. Tree 3 is one leaf.
        XCTAssertEqual(try e.leaves([Float(0), 0, 0, 0]), [3, 3, 1, 0])
        // x0 = 1 -> leaf 2; x1 = 0.5 -> tree 1 node 2: trunc(x2 = 3.7) = 3 in {1, 3} -> leaf 5; x3 = NaN -> yes.
        XCTAssertEqual(try e.leaves([Float(1), 0.5, 3.7, .nan]), [2, 5, 1, 0])
    }
}
