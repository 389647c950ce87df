import ConversionKit
import Foundation
import Interpreter
import ONNX
import ONNXSerialization
import TreeEnsembles
import XCTest

/// The lowering: graph structure, written thresholds, and outputs run in the
/// interpreter against hand-derived values.
final class LoweringTests: XCTestCase {
    // MARK: - Reading the graph

    func treeNode(_ model: Model) throws -> Node {
        let node = model.graph?.node.first { $0.name == TreeEnsembleLowering.treeNodeName }
        return try XCTUnwrap(node)
    }

    func attribute(_ node: Node, _ name: String) -> Attribute? { node.attribute.first { $0.name == name } }

    func tensorDoubles(_ node: Node, _ name: String) throws -> [Double] {
        try TensorValue(proto: try XCTUnwrap(attribute(node, name)?.t)).doubles()
    }

    func strings(_ node: Node, _ name: String) -> [String] { (attribute(node, name)?.strings ?? []).map(\.string) }

    func singleSplit(_ node: TreeNode) -> TreeEnsembleModel {
        T.regression([Tree(nodes: [node, T.leaf(1), T.leaf(2)])], features: 1)
    }

    // MARK: - Structure

    func testML5EmitsOneTreeEnsembleWithoutPostTransform() throws {
        for (dtype, element) in [(TreeEnsembleLowering.InputType.float32, DataType.float), (.float64, .double)] {
            let model = try TreeEnsembleLowering.lower(T.mixed(), options: .init(inputType: dtype))
            XCTAssertEqual(model.opsetImport.map { $0.version }, [21, 5])
            let ops = model.graph?.node.map { $0.opType ?? "" } ?? []
            XCTAssertEqual(ops.filter { $0 == "TreeEnsemble" }.count, 1)
            XCTAssertFalse(ops.contains("TreeEnsembleRegressor"))
            let node = try treeNode(model)
            XCTAssertEqual(node.domain, Domain.ml)
            XCTAssertEqual(attribute(node, "post_transform")?.i, 0)
            XCTAssertEqual(attribute(node, "aggregate_function")?.i, 1)
            XCTAssertEqual(attribute(node, "n_targets")?.i, 3)
            XCTAssertEqual(attribute(node, "nodes_modes")?.t?.dataType, .uint8)
            XCTAssertEqual(attribute(node, "nodes_splits")?.t?.dataType, element)
            XCTAssertEqual(attribute(node, "leaf_weights")?.t?.dataType, element)
            XCTAssertEqual(attribute(node, "membership_values")?.t?.dataType, element)
            // Two categorical splits: {0, 2, 5} and {1, 3}, each ended by NaN.
            let members = try tensorDoubles(node, "membership_values")
            XCTAssertEqual(members.filter { !$0.isNaN }, [0, 2, 5, 1, 3])
            XCTAssertEqual(members.filter(\.isNaN).count, 2)
            let modes = try tensorDoubles(node, "nodes_modes")
            XCTAssertEqual(modes.filter { $0 == 6 }.count, 2)
            XCTAssertNotNil(attribute(node, "nodes_missing_value_tracks_true"))
            // Softmax and the label come after the tree op, as standard ops.
            XCTAssertTrue(ops.contains("Softmax"))
            XCTAssertTrue(ops.contains("ArgMax"))
            XCTAssertEqual(model.graph?.output.map { $0.name ?? "" }, ["label", "probabilities"])
        }
    }

    func testML3EmitsTreeEnsembleRegressorWithFloat64Tensors() throws {
        let f32 = try treeNode(try TreeEnsembleLowering.lower(T.mixed(), options: .init(mlOpset: 3)))
        XCTAssertEqual(f32.opType, "TreeEnsembleRegressor")
        XCTAssertEqual(attribute(f32, "post_transform")?.s?.string, "NONE")
        XCTAssertEqual(attribute(f32, "aggregate_function")?.s?.string, "SUM")
        XCTAssertNotNil(attribute(f32, "nodes_values"))
        XCTAssertNil(attribute(f32, "nodes_values_as_tensor"))
        let f64Model = try TreeEnsembleLowering.lower(T.mixed(), options: .init(mlOpset: 3, inputType: .float64))
        let f64 = try treeNode(f64Model)
        XCTAssertNil(attribute(f64, "nodes_values"))
        XCTAssertEqual(attribute(f64, "nodes_values_as_tensor")?.t?.dataType, .double)
        XCTAssertEqual(attribute(f64, "target_weights_as_tensor")?.t?.dataType, .double)
        // Categorical splits read membership columns 4 and 5 (after the 4 features).
        let modes = strings(f64, "nodes_modes")
        let features = attribute(f64, "nodes_featureids")?.ints ?? []
        XCTAssertEqual(zip(modes, features).filter { $0.0 == "BRANCH_GT" }.map(\.1), [4, 5])
        let membership = try XCTUnwrap(f64Model.graph?.node.first { $0.name == TreeEnsembleLowering.membershipNodeName })
        XCTAssertEqual(strings(membership, "nodes_modes").filter { $0 == "BRANCH_EQ" }.count, 5)
        XCTAssertEqual(attribute(membership, "n_targets")?.i, 2)
    }

    func testThresholdsAreWrittenByTheRule() throws {
        func written(_ node: TreeNode, _ dtype: TreeEnsembleLowering.InputType, ml: Int64 = 5) throws -> (String, Double) {
            let n = try treeNode(try TreeEnsembleLowering.lower(singleSplit(node), options: .init(mlOpset: ml, inputType: dtype)))
            if ml == 5 { return (try tensorDoubles(n, "nodes_modes")[0] == 0 ? "LEQ" : "LT", try tensorDoubles(n, "nodes_splits")[0]) }
            let value = dtype == .float32 ? Double(attribute(n, "nodes_values")?.floats[0] ?? 0) : try tensorDoubles(n, "nodes_values_as_tensor")[0]
            return (strings(n, "nodes_modes")[0] == "BRANCH_LEQ" ? "LEQ" : "LT", value)
        }
        for ml: Int64 in [5, 3] {
            // float64 <= 0.1 for float32 input: the float32 just below 0.1.
            var w = try written(T.le64(0, 0.1, yes: 1, no: 2), .float32, ml: ml)
            XCTAssertEqual(w.0, "LEQ")
            XCTAssertEqual(Float(w.1).bitPattern, 0x3DCC_CCCC)
            // float64 < 0.1: the float32 just above, with <.
            w = try written(T.lt64(0, 0.1, yes: 1, no: 2), .float32, ml: ml)
            XCTAssertEqual(w.0, "LT")
            XCTAssertEqual(Float(w.1).bitPattern, 0x3DCC_CCCD)
            // float32 < 0.5 stays as it is.
            w = try written(T.lt32(0, 0.5, yes: 1, no: 2), .float32, ml: ml)
            XCTAssertEqual(w.0, "LT")
            XCTAssertEqual(w.1, 0.5)
            // float64 input keeps float64 thresholds.
            w = try written(T.le64(0, 0.1, yes: 1, no: 2), .float64, ml: ml)
            XCTAssertEqual(w.0, "LEQ")
            XCTAssertEqual(w.1, 0.1)
            // float32 < 1 for float64 input: the rounding boundary 1 - 2^-25, strictly.
            w = try written(T.lt32(0, 1, yes: 1, no: 2), .float64, ml: ml)
            XCTAssertEqual(w.0, "LT")
            XCTAssertEqual(w.1, 1 - 0x1p-25)
        }
    }

    func testVectorLeafTreesSplitPerColumnAtML5() throws {
        let m = TreeEnsembleModel(trees: [Tree(nodes: [T.lt32(0, 0, yes: 1, no: 2), .leaf([1, 2]), .leaf([3, 4])])], featureCount: 1,
                                  task: .regression(targets: 2), baseScores: [])
        XCTAssertEqual(try TreeEnsembleLowering.emittedTrees(for: m, mlOpset: 5),
                       [.init(sourceTree: 0, column: 0), .init(sourceTree: 0, column: 1)])
        XCTAssertEqual(try TreeEnsembleLowering.emittedTrees(for: m, mlOpset: 3), [.init(sourceTree: 0, column: nil)])
        for (name, options) in Lowered.variants {
            let model = try Lowered.make(m, options, name: "vector-regression-\(name)")
            let out = try Lowered.doubles(try Lowered.run(model, [[Float(-1)], [Float(1)]], features: 1), "predictions")
            XCTAssertEqual(out, [1, 2, 3, 4], name)
        }
    }

    func testOtherLegacyOpsets() throws {
        for (ml, dtype, opset) in [(Int64(4), TreeEnsembleLowering.InputType.float64, Int64(21)), (2, .float32, 9), (4, .float32, 17)] {
            let name = "mixed-ml\(ml)-opset\(opset)-\(dtype == .float32 ? "f32" : "f64")"
            let model = try Lowered.make(T.mixed(), .init(opset: opset, mlOpset: ml, inputType: dtype), name: name)
            XCTAssertEqual(try treeNode(model).opType, "TreeEnsembleRegressor")
            let report = try TreeVerification.verify(model: T.mixed(), onnx: model, rows: nil)
            XCTAssertTrue(report.passed, "\(name): \(report.summary)")
        }
    }

    func testDeterministicBytes() throws {
        let a = try TreeEnsembleLowering.lower(T.mixed(), options: .init(zipMap: true)).serializedBytes()
        let b = try TreeEnsembleLowering.lower(T.mixed(), options: .init(zipMap: true)).serializedBytes()
        XCTAssertEqual(a, b)
    }

    func testUnsupportedOptions() {
        XCTAssertThrowsError(try TreeEnsembleLowering.lower(T.mixed(), options: .init(mlOpset: 2, inputType: .float64))) { e in
            guard case .unsupportedLowering(option: "dtype", _)? = e as? TreeEnsembleError else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try TreeEnsembleLowering.lower(T.mixed(), options: .init(opset: 8, mlOpset: 1))) { e in
            guard case .unsupportedLowering(option: "opset", _)? = e as? TreeEnsembleError else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try TreeEnsembleLowering.lower(T.mixed(), options: .init(mlOpset: 6)))
        var bad = T.mixed()
        bad.featureCount = 2
        XCTAssertThrowsError(try TreeEnsembleLowering.lower(bad)) { e in
            XCTAssertEqual(e as? TreeEnsembleError, .featureOutOfRange(tree: 0, node: 4, feature: 2, featureCount: 2))
        }
    }

    // MARK: - Outputs against hand-derived values

    func testBinaryLogisticProbabilitiesAndLabels() throws {
        let tree = T.stump({ T.lt32(0, 0, yes: $0, no: $1) }, log(3), -log(3))
        let m = TreeEnsembleModel(trees: [tree], featureCount: 1, task: .classification(labels: .integers([0, 1])), baseScores: [0],
                                  transform: .logistic(scale: 1), binaryFromSingleMargin: true)
        for (name, var options) in Lowered.variants {
            options.zipMap = true
            let model = try Lowered.make(m, options, name: "binary-logistic-\(name)")
            XCTAssertEqual(model.graph?.output.map { $0.name ?? "" }, ["label", "probabilities", "output_probability"])
            let out = try Lowered.run(model, [[Float(-1)], [Float(1)], [Float.nan]], features: 1)
            // x < 0: margin ln 3, p = 0.75; otherwise (NaN goes no) p = 0.25.
            let p = try Lowered.doubles(out, "probabilities")
            for (g, e) in zip(p, [0.25, 0.75, 0.75, 0.25, 0.75, 0.25]) { XCTAssertEqual(g, e, accuracy: 1e-6, name) }
            XCTAssertEqual(try out["label"]?.tensor?.int64s(), [1, 0, 0], name)
            guard case .sequence(let maps, _)? = out["output_probability"], maps.count == 3 else { return XCTFail("zipmap \(name)") }
        }
    }

    func testAverageBaseScoreAndExp() throws {
        // Random-forest style: (leaf + 4) / 2 + 0.5, with the float64 threshold 0.1.
        let trees = [T.stump({ T.le64(0, 0.1, yes: $0, no: $1) }, 1, 3), Tree(nodes: [T.leaf(4)])]
        let avg = T.regression(trees, features: 1, base: [0.5], aggregation: .average)
        let exp = T.regression([Tree(nodes: [T.leaf(log(2))])], features: 1, base: [log(3)], transform: .exp)
        for (name, options) in Lowered.variants {
            let model = try Lowered.make(avg, options, name: "average-\(name)")
            XCTAssertEqual(model.graph?.output.first?.type, .tensor(options.inputType.dataType, [.symbolic("N")]))
            if options.inputType == .float32 {
                // Float(0.1) is above 0.1: no. 0.099999994 is below: yes.
                let out = try Lowered.doubles(try Lowered.run(model, [[Float(0.1)], [Float(bitPattern: 0x3DCC_CCCC)]], features: 1), "predictions")
                XCTAssertEqual(out, [4, 3], name)
            } else {
                let out = try Lowered.doubles(try Lowered.run(model, [[0.1], [Double(0.1).nextUp]], features: 1), "predictions")
                XCTAssertEqual(out, [3, 4], name)
            }
            let e = try Lowered.doubles(try Lowered.run(try Lowered.make(exp, options, name: "exp-\(name)"), [[Float(0)]], features: 1), "predictions")
            XCTAssertEqual(e[0], 6, accuracy: 1e-5, name)     // exp(ln 2 + ln 3)
        }
    }

    func testMultiTargetRegressionAndScores() throws {
        let trees = (0..<3).map { Tree(nodes: [T.leaf(Double($0 + 1))], target: $0) }
        let reg = T.regression(trees, features: 1, base: [0.5, 0.5, 0.5], targets: 3)
        var scores = reg
        scores.task = .scores(targets: 3)
        for (name, options) in Lowered.variants {
            let model = try Lowered.make(reg, options, name: "multi-target-\(name)")
            XCTAssertEqual(model.graph?.output.first?.type, .tensor(options.inputType.dataType, [.symbolic("N"), .fixed(3)]))
            XCTAssertEqual(try Lowered.doubles(try Lowered.run(model, [[Float(0)]], features: 1), "predictions"), [1.5, 2.5, 3.5])
            let s = try Lowered.make(scores, options, name: "scores-\(name)")
            XCTAssertEqual(s.graph?.output.map { $0.name ?? "" }, ["scores"])
            XCTAssertEqual(try Lowered.doubles(try Lowered.run(s, [[Float(0)]], features: 1), "scores"), [1.5, 2.5, 3.5])
        }
    }

    func testStringLabelsSoftmaxAndZipMap() throws {
        let trees = (0..<3).map { c in T.stump({ T.lt32(0, 1, yes: $0, no: $1) }, [0.0, log(2), log(5)][c], [log(5), log(2), 0][c], target: c) }
        let m = TreeEnsembleModel(trees: trees, featureCount: 1, task: .classification(labels: .strings(["a", "b", "c"])),
                                  baseScores: [0, 0, 0], transform: .softmax)
        for (name, var options) in Lowered.variants {
            options.zipMap = true
            let model = try Lowered.make(m, options, name: "softmax-strings-\(name)")
            let out = try Lowered.run(model, [[Float(0)], [Float(2)]], features: 1)
            // exp of the margins: [1, 2, 5] for x < 1 and [5, 2, 1] otherwise, over 8.
            let p = try Lowered.doubles(out, "probabilities")
            for (g, e) in zip(p, [0.125, 0.25, 0.625, 0.625, 0.25, 0.125]) { XCTAssertEqual(g, e, accuracy: 1e-6, name) }
            XCTAssertEqual(try out["label"]?.tensor?.strings(), ["c", "a"], name)
            guard case .sequence(let maps, _)? = out["output_probability"], case .map(let keys, _)? = maps.first else {
                return XCTFail("zipmap \(name)")
            }
            XCTAssertEqual(try keys.strings(), ["a", "b", "c"])
        }
    }

    func testCategoricalSplitsThroughONNX() throws {
        for missingYes in [true, false] {
            let m = T.regression([Tree(nodes: [T.cat(0, [0, 2, 16_777_217], yes: 1, no: 2, missingYes: missingYes), T.leaf(1), T.leaf(2)])],
                                 features: 1)
            let rows: [Float] = [2.9, 2, -0.5, -0.0, 0.99, -1, -1.5, 3, 3e9, .infinity, -.infinity, 16_777_216, .nan]
            let expected: [Double] = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, missingYes ? 1 : 2]
            for (name, options) in Lowered.variants {
                let model = try Lowered.make(m, options, name: "categorical-\(missingYes ? "nan-yes" : "nan-no")-\(name)")
                XCTAssertEqual(try Lowered.doubles(try Lowered.run(model, rows.map { [$0] }, features: 1), "predictions"), expected, name)
                if options.inputType == .float64 {
                    // Only a float64 row can hold 16777217.
                    XCTAssertEqual(try Lowered.doubles(try Lowered.run(model, [[16_777_217.0], [16_777_218.5]], features: 1), "predictions"), [1, 2])
                }
            }
        }
        // The XGBoost rule: -0.5 and -0.0 differ.
        var xgb = T.regression([Tree(nodes: [T.cat(0, [0, 1], yes: 1, no: 2), T.leaf(1), T.leaf(2)])], features: 1)
        xgb.negativeCategoryRule = .noCategory
        for (name, options) in Lowered.variants {
            let model = try Lowered.make(xgb, options, name: "categorical-xgboost-rule-\(name)")
            let rows: [Float] = [-0.5, -0.0, 0.5, 1.9, -1, .nan]
            XCTAssertEqual(try Lowered.doubles(try Lowered.run(model, rows.map { [$0] }, features: 1), "predictions"), [2, 1, 1, 1, 2, 2], name)
            XCTAssertTrue(try TreeVerification.verify(model: xgb, onnx: model, rows: nil).passed, name)
        }
        // No listed category is a float32: a float32 model can only send NaN `yes`.
        let none = T.regression([Tree(nodes: [T.cat(0, [16_777_217], yes: 1, no: 2, missingYes: true), T.leaf(1), T.leaf(2)])], features: 1)
        for (name, options) in Lowered.variants where options.inputType == .float32 {
            let model = try Lowered.make(none, options, name: "categorical-unrepresentable-\(name)")
            XCTAssertEqual(try Lowered.doubles(try Lowered.run(model, [[Float(16_777_216)], [Float.nan]], features: 1), "predictions"), [2, 1])
        }
    }

    /// `.nonIntegerToMissing`: a value that is no whole number takes the missing
    /// direction (2.9 is not category 2, -0.5 not category 0); whole values, -0.0 and the
    /// infinities are read as without it.
    func testNonIntegerToMissingRewrite() throws {
        for missingYes in [true, false] {
            var m = T.regression([Tree(nodes: [T.cat(0, [0, 2], yes: 1, no: 2, missingYes: missingYes), T.leaf(1), T.leaf(2)])], features: 1)
            m.inputRewrites = [0: .nonIntegerToMissing]
            let missing: Double = missingYes ? 1 : 2
            let rows: [Float] = [2.9, 2, -0.5, -0.0, 0, 0.99, -1, 3, .infinity, -.infinity, .nan]
            let expected: [Double] = [missing, 1, missing, 1, 1, missing, 2, 2, 2, 2, missing]
            XCTAssertEqual(try rows.map { try TreeEnsembleEvaluator(m).predict([$0], rowIndex: 0).margins[0] }, expected)
            for (name, options) in Lowered.variants {
                let model = try Lowered.make(m, options, name: "non-integer-missing-\(missingYes ? "yes" : "no")-\(name)")
                XCTAssertEqual(try Lowered.doubles(try Lowered.run(model, rows.map { [$0] }, features: 1), "predictions"), expected, name)
                XCTAssertTrue(try TreeVerification.verify(model: m, onnx: model, rows: nil).passed, name)
            }
        }
    }

    func testModelWithoutTrees() throws {
        let m = TreeEnsembleModel(trees: [], featureCount: 2, task: .regression(targets: 2), baseScores: [1.5, -2])
        for (name, options) in Lowered.variants {
            let model = try Lowered.make(m, options, name: "no-trees-\(name)")
            XCTAssertEqual(try Lowered.doubles(try Lowered.run(model, [[Float(0), 0]], features: 2), "predictions"), [1.5, -2])
        }
    }

    // MARK: - Exhaustive rows around thresholds

    /// One tree per threshold, each on its own feature, adding 2^i when it goes yes: the
    /// prediction spells out every decision, and must equal the decisions computed here
    /// from the definition of each comparison.
    func testExhaustiveRowsAroundThresholds() throws {
        let t64: [Double] = [0.1, 1.0 / 3.0, 1e-40, 3.4e38, -0.0, -3.4e38, 1e300, 0.30000000000000004]
        let t32: [Float] = [0.1, 1.0 / 3.0, Float(Double(1e-40)), -0.0, .greatestFiniteMagnitude, 1]   // a subnormal
        var trees: [Tree] = []
        var kinds: [(f64: Double?, f32: Float?, lessThan: Bool)] = []
        for (i, t) in t64.enumerated() {
            let lt = i % 2 == 1
            trees.append(T.stump({ lt ? T.lt64(i, t, yes: $0, no: $1) : T.le64(i, t, yes: $0, no: $1) }, Double(1 << i), 0))
            kinds.append((t, nil, lt))
        }
        for (k, t) in t32.enumerated() {
            let i = t64.count + k
            let lt = k % 2 == 0
            trees.append(T.stump({ lt ? T.lt32(i, t, yes: $0, no: $1) : T.le32(i, t, yes: $0, no: $1) }, Double(1 << i), 0))
            kinds.append((nil, t, lt))
        }
        let features = kinds.count
        let m = T.regression(trees, features: features)

        func walk32(_ c: Float) -> [Float] {
            var out = [c], u = c, d = c
            for _ in 0..<64 { u = u.nextUp; d = d.nextDown; out += [u, d] }
            return out
        }
        func walk64(_ c: Double) -> [Double] {
            var out = [c], u = c, d = c
            for _ in 0..<64 { u = u.nextUp; d = d.nextDown; out += [u, d] }
            return out
        }
        // float32 rows: around the float32 values next to each threshold.
        var rows32: [[Float]] = []
        for (i, k) in kinds.enumerated() {
            let centers: [Float] = k.f64.map { [ThresholdRounding.float32RoundedDown($0), ThresholdRounding.float32RoundedUp($0)] } ?? [k.f32 ?? 0]
            for c in centers { for x in walk32(c) where !x.isNaN { var r = [Float](repeating: 0, count: features); r[i] = x; rows32.append(r) } }
        }
        func expected32(_ r: [Float]) -> Double {
            var s = 0.0
            for (i, k) in kinds.enumerated() {
                let yes: Bool
                if let t = k.f64 { yes = k.lessThan ? Double(r[i]) < t : Double(r[i]) <= t } else { yes = k.lessThan ? r[i] < k.f32! : r[i] <= k.f32! }
                if yes { s += Double(1 << i) }
            }
            return s
        }
        // float64 rows: around each float64 threshold, and around the float64 boundary
        // where rounding to float32 crosses each float32 threshold.
        var rows64: [[Double]] = []
        for (i, k) in kinds.enumerated() {
            var centers: [Double] = []
            if let t = k.f64 { centers = [t] }
            if let t = k.f32 { centers = [Double(t), ThresholdRounding.float64Threshold(forFloat32: t, k.lessThan ? .lessThan : .lessOrEqual).1] }
            for c in centers { for x in walk64(c) where x.isFinite { var r = [Double](repeating: 0, count: features); r[i] = x; rows64.append(r) } }
        }
        func expected64(_ r: [Double]) -> Double {
            var s = 0.0
            for (i, k) in kinds.enumerated() {
                let yes: Bool
                if let t = k.f64 { yes = k.lessThan ? r[i] < t : r[i] <= t } else { yes = k.lessThan ? Float(r[i]) < k.f32! : Float(r[i]) <= k.f32! }
                if yes { s += Double(1 << i) }
            }
            return s
        }
        XCTAssertGreaterThan(rows32.count, 1500)
        for (name, options) in Lowered.variants {
            let model = try Lowered.make(m, options, name: "exhaustive-thresholds-\(name)")
            if options.inputType == .float32 {
                let got = try Lowered.doubles(try Lowered.run(model, rows32, features: features), "predictions")
                let bad = zip(got, rows32).filter { $0.0 != expected32($0.1) }
                XCTAssertEqual(bad.count, 0, "\(name): first \(bad.first.map { "\($0.1) -> \($0.0)" } ?? "")")
                let report = try TreeVerification.verify(model: m, onnx: model, rows: rows32)
                XCTAssertTrue(report.passed, report.summary)
                XCTAssertEqual(report.leafChoicesDiffering, 0)
                XCTAssertEqual(report.leafChoicesChecked, rows32.count * trees.count)
            } else {
                let got = try Lowered.doubles(try Lowered.run(model, rows64, features: features), "predictions")
                let bad = zip(got, rows64).filter { $0.0 != expected64($0.1) }
                XCTAssertEqual(bad.count, 0, "\(name): first \(bad.first.map { "\($0.1) -> \($0.0)" } ?? "")")
                let report = try TreeVerification.verify(model: m, onnx: model, float64Rows: rows64)
                XCTAssertTrue(report.passed, report.summary)
                XCTAssertEqual(report.leafChoicesChecked, rows64.count * trees.count)
            }
        }
    }

    // MARK: - Probe rows, every variant

    func testProbeRowsAgreeOnMixedAndRandomModels() throws {
        var models: [(String, TreeEnsembleModel)] = [
            ("mixed-classifier", T.mixed()),
            ("mixed-regression", T.mixed(task: .regression(targets: 3), transform: .identity)),
            ("mixed-ova", T.mixed(task: .classification(labels: .integers([1, 2, 3])), transform: .perClassLogistic(scale: 0.5))),
        ]
        for seed: UInt64 in 1...3 {
            models.append(("random-\(seed)", RandomEnsembles.model(seed: seed, trees: 12, depth: 5, features: 4, columns: 2)))
        }
        models.append(("random-vector", RandomEnsembles.model(seed: 11, trees: 6, depth: 4, features: 3, columns: 3,
                                                             task: .classification(labels: .integers([0, 1, 2])), vectorLeaves: true)))
        for (label, m) in models {
            for (name, options) in Lowered.variants {
                let model = try Lowered.make(m, options, name: "\(label)-\(name)")
                let report = try TreeVerification.verify(model: m, onnx: model, rows: nil)
                XCTAssertTrue(report.passed, "\(label) \(name): \(report.summary)")
                XCTAssertGreaterThan(report.leafChoicesChecked, 0, "\(label) \(name)")
            }
        }
    }
}
