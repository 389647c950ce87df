import ConversionKit
import PythonObjects
import TreeEnsembles

/// An estimator family whose fitted state becomes the shared tree IR: it supplies the
/// IR, and conversion (lowering, verification against the native evaluator, the summary)
/// is the same for all of them.
protocol SklearnTreeModelFamily: SklearnEstimatorConverter {
    static func model(_ node: PyNode) throws -> TreeEnsembleModel
}

extension SklearnTreeModelFamily {
    func convert(_ node: PyNode, options: ConversionOptions) throws -> ConversionResult {
        let ir = try Self.model(node)
        let summary = "scikit-learn \(node.className?.split(separator: ".").last ?? ""), \(ir.trees.count) tree\(ir.trees.count == 1 ? "" : "s"), \(ir.featureCount) features"
        return try TreeConversion.result(ir, options: options, summary: summary) { SklearnError.invalid(path: node.path, reason: $0.description) }
    }
}

/// DecisionTree*, ExtraTree*, RandomForest* and ExtraTrees* through the shared tree IR.
///
/// scikit-learn reads its input as float32 and sends `x <= threshold` (a float64) left;
/// the threshold becomes the largest float32 at most it, compared with `<=` against the
/// input rounded to float32, which is the same decision for float32 and float64 inputs.
/// NaN goes where each node's `missing_go_to_left` says (scikit-learn >= 1.3 trains
/// trees on data with NaN). Classifier leaves hold the class fractions (normalised here),
/// forests average their trees, as `predict_proba` does. A binary classifier keeps only
/// class 1's fraction (class 0 is 1 - p): ONNX tree leaves carry one target each, so two
/// columns would double the trees in the file and the work of every run.
struct SklearnTreeConverter: SklearnTreeModelFamily {
    static let single = ["sklearn.tree._classes.DecisionTreeClassifier", "sklearn.tree._classes.DecisionTreeRegressor",
                         "sklearn.tree._classes.ExtraTreeClassifier", "sklearn.tree._classes.ExtraTreeRegressor"]
    static let forests = ["sklearn.ensemble._forest.RandomForestClassifier", "sklearn.ensemble._forest.RandomForestRegressor",
                          "sklearn.ensemble._forest.ExtraTreesClassifier", "sklearn.ensemble._forest.ExtraTreesRegressor"]

    var classNames: [String] { Self.single + Self.forests }


    /// The tree IR of a fitted tree or forest.
    static func model(_ node: PyNode) throws -> TreeEnsembleModel {
        let cls = node.className ?? ""
        let classifier = cls.hasSuffix("Classifier")
        let estimators = forests.contains(cls) ? try node.attribute("estimators_").items() : [node]
        guard !estimators.isEmpty else { throw SklearnError.invalid(path: node.path, reason: "the forest has no fitted trees (estimators_ is empty)") }
        let featureCount = try node.attribute("n_features_in_").int()
        var labels: TreeEnsembleModel.ClassLabels = .integers([])
        var width = 1
        if classifier {
            let classes = try node.attribute("classes_")
            labels = try Self.labels(classes)
            width = labels.count
        } else if let outputs = node.optionalAttribute("n_outputs_") {
            width = try outputs.int()
        }
        if classifier, (try? node.attribute("n_outputs_").int()) ?? 1 != 1 {
            throw SklearnError.invalid(path: node.path, reason: "multi-output classifiers are not supported")
        }
        let binary = classifier && width == 2
        var trees: [Tree] = []
        for est in estimators {
            trees.append(try tree(try est.attribute("tree_"), classifier: classifier, width: width, positiveOnly: binary))
        }
        let task: TreeEnsembleModel.Task = classifier ? .classification(labels: labels) : .regression(targets: width)
        return TreeEnsembleModel(trees: trees, featureCount: featureCount, task: task, baseScores: [],
                                 aggregation: .average, transform: .identity, binaryFromSingleMargin: binary)
    }

    static func labels(_ classes: PyNode) throws -> TreeEnsembleModel.ClassLabels {
        let a = try classes.array(rank: 1)
        if let objects = a.objects {
            return .strings(try objects.enumerated().map { try PyNode($1, path: "\(classes.path)[\($0)]").string() })
        }
        if a.dtype.kind == "U" || a.dtype.kind == "S" {
            // numpy's fixed-width strings: UTF-32 (U) or bytes (S) per element, zero padded.
            let size = a.dtype.itemSize
            var out: [String] = []
            for i in 0..<a.count {
                let raw = a.data[(i * size)..<((i + 1) * size)]
                if a.dtype.kind == "S" {
                    out.append(String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self))
                    continue
                }
                var scalars = String.UnicodeScalarView()
                for k in stride(from: raw.startIndex, to: raw.endIndex, by: 4) {
                    var v: UInt32 = 0
                    for j in 0..<4 { v |= UInt32(raw[k + j]) << (a.dtype.byteOrder == .big ? 8 * (3 - j) : 8 * j) }
                    if v == 0 { break }
                    guard let u = Unicode.Scalar(v) else { throw SklearnError.invalid(path: classes.path, reason: "an invalid character in a class label") }
                    scalars.append(u)
                }
                out.append(String(scalars))
            }
            return .strings(out)
        }
        let values = try a.doubles(path: classes.path)
        guard values.allSatisfy({ $0.rounded() == $0 }) else { throw SklearnError.invalid(path: classes.path, reason: "non-integer class labels") }
        return .integers(values.map { Int64($0) })
    }

    /// One fitted `sklearn.tree._tree.Tree` as an IR tree; with `positiveOnly`, a
    /// two-class classifier's leaves hold class 1's fraction alone.
    static func tree(_ t: PyNode, classifier: Bool, width: Int, positiveOnly: Bool = false) throws -> Tree {
        let nodes = try t.attribute("nodes").array(rank: 1)
        let left = try nodes.field("left_child", path: t.path + ".nodes").int64s()
        let right = try nodes.field("right_child", path: t.path + ".nodes").int64s()
        let feature = try nodes.field("feature", path: t.path + ".nodes").int64s()
        let threshold = try nodes.field("threshold", path: t.path + ".nodes").doubles()
        let missingLeft = (try? nodes.field("missing_go_to_left", path: t.path + ".nodes").int64s()) ?? []
        let values = try t.attribute("values").array(rank: 3)
        let v = try values.doubles(path: t.path + ".values")
        let n = left.count
        guard values.shape[0] == n else { throw SklearnError.invalid(path: t.path + ".values", reason: "\(values.shape[0]) rows for \(n) nodes") }
        let perNode = values.shape[1] * values.shape[2]
        var out: [TreeNode] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            if left[i] < 0 {
                let row = Array(v[(i * perNode)..<((i + 1) * perNode)])
                if classifier {
                    let total = row.reduce(0, +)
                    guard row.count == width, total > 0 else { throw SklearnError.invalid(path: "\(t.path).values[\(i)]", reason: "a leaf of \(row.count) class values") }
                    out.append(.leaf(positiveOnly ? [row[1] / total] : row.map { $0 / total }))
                } else {
                    guard row.count == width else { throw SklearnError.invalid(path: "\(t.path).values[\(i)]", reason: "a leaf of \(row.count) values for \(width) outputs") }
                    out.append(.leaf(row))
                }
            } else {
                // scikit-learn compares the input rounded to float32 with the float64 threshold.
                let t32 = ThresholdRounding.float32RoundedDown(threshold[i])
                out.append(.split(Split(feature: Int(feature[i]), threshold: .float32(t32), comparison: .lessOrEqual,
                                        yes: Int(left[i]), no: Int(right[i]),
                                        missingGoesToYes: i < missingLeft.count ? missingLeft[i] != 0 : false)))
            }
        }
        return Tree(nodes: out)
    }
}
