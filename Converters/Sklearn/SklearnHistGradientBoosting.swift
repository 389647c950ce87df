import ConversionKit
import Foundation
import PythonObjects
import TreeEnsembles

/// HistGradientBoostingRegressor/Classifier through the tree IR: the predictors'
/// node records (`value` already scaled, `num_threshold` compared as float64 with `<=`,
/// NaN routed by `missing_go_to_left`, which skl2onnx drops), summed onto
/// `_baseline_prediction`, with the loss's link inverted (identity, exp, sigmoid,
/// softmax).
///
/// Categorical features (`categorical_features` at fit): scikit-learn encodes them with
/// its `_preprocessor` (an OrdinalEncoder whose unknown values and NaN become NaN, the
/// encoded columns placed first, the numeric ones after), and a categorical node sends
/// NaN the `missing_go_to_left` way, an encoded value in the node's
/// `raw_left_cat_bitsets` row left, any other known one right. Here the splits read the
/// raw columns (the predictors' feature indices mapped back through the encoder's column
/// order): the category set is the raw values of the side that is not the missing
/// direction, so NaN, a category not seen in fit and a negative value all go `no`, the
/// missing direction, and `.nonIntegerToMissing` sends values that are no whole number
/// (2.5, which is no category) there too. Categories must be whole numbers in
/// 0 ..< 2^31 (the tree IR's sets); others are refused by name.
struct SklearnHistGradientBoosting: SklearnTreeModelFamily {
    static let regressor = "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingRegressor"
    static let classifier = "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier"
    var classNames: [String] { [Self.regressor, Self.classifier] }

    static func model(_ node: PyNode) throws -> TreeEnsembleModel {
        let isClassifier = node.className == classifier
        let featureCount = try node.attribute("n_features_in_").int()
        let loss = try node.attribute("loss").string()
        let baseline = try node.attribute("_baseline_prediction").doubles()
        let iterations = try node.attribute("_predictors").items()
        let perIteration = try node.attribute("n_trees_per_iteration_").int()
        let categories = try Self.categoricalColumns(node, featureCount: featureCount)
        var trees: [Tree] = []
        for (i, iteration) in iterations.enumerated() {
            let predictors = try iteration.items()
            guard predictors.count == perIteration else { throw SklearnError.invalid(path: iteration.path, reason: "\(predictors.count) predictors in iteration \(i), expected \(perIteration)") }
            for (k, p) in predictors.enumerated() {
                let nodes = try p.attribute("nodes").array(rank: 1)
                let path = p.path + ".nodes"
                let value = try nodes.field("value", path: path).doubles()
                let feature = try nodes.field("feature_idx", path: path).int64s()
                let threshold = try nodes.field("num_threshold", path: path).doubles()
                let missingLeft = try nodes.field("missing_go_to_left", path: path).int64s()
                let left = try nodes.field("left", path: path).int64s()
                let right = try nodes.field("right", path: path).int64s()
                let isLeaf = try nodes.field("is_leaf", path: path).int64s()
                let categorical = (try? nodes.field("is_categorical", path: path).int64s()) ?? []
                let bitsetIndex = (try? nodes.field("bitset_idx", path: path).int64s()) ?? []
                let bitsets = categorical.contains(where: { $0 != 0 }) ? try p.attribute("raw_left_cat_bitsets").int64s(rank: 2) : []
                var out: [TreeNode] = []
                for n in 0..<value.count {
                    if isLeaf[n] != 0 { out.append(.leaf([value[n]])); continue }
                    let f = Int(feature[n])
                    guard f >= 0, f < categories.columnOf.count else { throw SklearnError.invalid(path: "\(path)[\(n)].feature_idx", reason: "feature \(f) of \(featureCount)") }
                    let column = categories.columnOf[f]
                    guard n < categorical.count, categorical[n] != 0 else {
                        out.append(.split(Split(feature: column, threshold: .float64(threshold[n]), comparison: .lessOrEqual,
                                                yes: Int(left[n]), no: Int(right[n]), missingGoesToYes: missingLeft[n] != 0)))
                        continue
                    }
                    guard let known = categories.values[f] else {
                        throw SklearnError.invalid(path: "\(path)[\(n)]", reason: "a categorical split on feature \(column), which is not among is_categorical_")
                    }
                    guard n < bitsetIndex.count else { throw SklearnError.invalid(path: "\(path)[\(n)].bitset_idx", reason: "a categorical split without a bitset index") }
                    let b = Int(bitsetIndex[n])
                    guard b >= 0, (b + 1) * 8 <= bitsets.count else { throw SklearnError.invalid(path: "\(p.path).raw_left_cat_bitsets", reason: "no bitset \(b)") }
                    // A bitset is 8 words of 32 bits: scikit-learn allows at most 256 categories.
                    guard known.count <= 256 else { throw SklearnError.invalid(path: "\(path)[\(n)]", reason: "feature \(column) lists \(known.count) categories; a bitset holds 256") }
                    let row = bitsets[(b * 8)..<((b + 1) * 8)]
                    let goesLeft = known.indices.map { i in (row[row.startIndex + i / 32] >> Int64(i % 32)) & 1 == 1 }
                    // The set lists the side that is not the missing direction; `no` is the missing side.
                    let toLeft = missingLeft[n] == 0
                    let set = known.indices.filter { goesLeft[$0] == toLeft }.map { known[$0] }
                    out.append(.split(Split(feature: column, threshold: .float64(0), comparison: .lessOrEqual,
                                            yes: Int(toLeft ? left[n] : right[n]), no: Int(toLeft ? right[n] : left[n]),
                                            missingGoesToYes: false, categories: set)))
                }
                trees.append(Tree(nodes: out, target: k))
            }
        }
        let task: TreeEnsembleModel.Task
        var transform: TreeEnsembleModel.Transform = .identity
        var binary = false
        if isClassifier {
            let labels = try SklearnTreeConverter.labels(try node.attribute("classes_"))
            task = .classification(labels: labels)
            if perIteration == 1 { transform = .logistic(scale: 1); binary = true } else { transform = .softmax }
        } else {
            task = .regression(targets: perIteration)
            switch loss {
            case "squared_error", "absolute_error", "quantile": transform = .identity
            case "poisson", "gamma": transform = .exp
            default: throw SklearnError.invalid(path: node.path + ".loss", reason: "loss '\(loss)' is not converted")
            }
        }
        guard baseline.count == perIteration else { throw SklearnError.invalid(path: node.path + "._baseline_prediction", reason: "\(baseline.count) values for \(perIteration) outputs") }
        var model = TreeEnsembleModel(trees: trees, featureCount: featureCount, task: task, baseScores: baseline, aggregation: .sum,
                                      transform: transform, binaryFromSingleMargin: binary)
        for (f, v) in categories.values.enumerated() where v != nil { model.inputRewrites[categories.columnOf[f]] = .nonIntegerToMissing }
        return model
    }

    /// The predictors' feature order and the categories of the categorical ones.
    struct CategoricalColumns {
        /// The raw input column of each predictor feature.
        var columnOf: [Int]
        /// For each predictor feature that is categorical, the raw category of each
        /// encoded value (the OrdinalEncoder's `categories_` without a trailing NaN).
        var values: [[Int]?]
    }

    /// Without categorical features the predictors read the raw columns; with them, the
    /// `_preprocessor`'s encoder columns (is_categorical_ in order) come first.
    static func categoricalColumns(_ node: PyNode, featureCount: Int) throws -> CategoricalColumns {
        guard let mask = node.optionalAttribute("is_categorical_"), !mask.isNone else {
            return CategoricalColumns(columnOf: Array(0..<featureCount), values: [[Int]?](repeating: nil, count: featureCount))
        }
        let isCategorical = try mask.int64s(rank: 1).map { $0 != 0 }
        guard isCategorical.count == featureCount else { throw SklearnError.invalid(path: mask.path, reason: "\(isCategorical.count) flags for \(featureCount) features") }
        let categoricalColumns = isCategorical.indices.filter { isCategorical[$0] }
        let columnOf = categoricalColumns + isCategorical.indices.filter { !isCategorical[$0] }
        let pre = try node.attribute("_preprocessor")
        guard let encoderEntry = try pre.attribute("transformers_").items().first(where: { (try? $0.item(0).string()) == "encoder" }) else {
            throw SklearnError.invalid(path: pre.path + ".transformers_", reason: "no 'encoder' step in HistGradientBoosting's _preprocessor")
        }
        let encoder = try encoderEntry.item(1)
        let perColumn = try encoder.attribute("categories_").items()
        guard perColumn.count == categoricalColumns.count else {
            throw SklearnError.invalid(path: encoder.path + ".categories_", reason: "\(perColumn.count) category lists for \(categoricalColumns.count) categorical features")
        }
        var values = [[Int]?](repeating: nil, count: featureCount)
        for (k, list) in perColumn.enumerated() {
            var raw = try list.doubles(rank: 1)
            if let last = raw.last, last.isNaN { raw.removeLast() }
            values[k] = try raw.enumerated().map { i, v in
                guard v.rounded(.towardZero) == v, v >= 0, v <= Double(Int32.max) else {
                    throw SklearnError.invalid(path: "\(list.path)[\(i)]", reason: "HistGradientBoosting category \(v) of feature \(categoricalColumns[k]) is not converted (categories must be whole numbers in 0..<2^31)")
                }
                return Int(v)
            }
        }
        return CategoricalColumns(columnOf: columnOf, values: values)
    }
}
