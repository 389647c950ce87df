import ONNX
import PythonObjects
import TreeEnsembles

/// CalibratedClassifierCV (sigmoid and isotonic) as scikit-learn's predict_proba: for each
/// of `calibrated_classifiers_`, the estimator's decision_function (or predict_proba when it
/// has none; the positive class's column alone for two classes) goes column by column
/// through its calibrator; two classes give [1 - p, p], more are normalised by their sum
/// (uniform where the sum is 0); values in (1, 1 + 1e-5] become 1; the classifiers'
/// probabilities are averaged (one classifier with ensemble=False), and the label is
/// their argmax.
struct SklearnCalibration: SklearnGraphLowering {
    static let calibrated = "sklearn.calibration.CalibratedClassifierCV"
    static let sigmoid = "sklearn.calibration._SigmoidCalibration"
    static let isotonic = "sklearn.isotonic.IsotonicRegression"
    var classNames: [String] { [Self.calibrated] }

    /// Classifiers whose converters give probabilities and which have no decision_function
    /// in scikit-learn, so that `_get_response_values` falls back to predict_proba for them.
    static let probabilityOnly: Set<String> = [
        "sklearn.naive_bayes.GaussianNB", "sklearn.naive_bayes.MultinomialNB", "sklearn.naive_bayes.BernoulliNB", "sklearn.naive_bayes.CategoricalNB",
        "sklearn.tree._classes.DecisionTreeClassifier", "sklearn.tree._classes.ExtraTreeClassifier",
        "sklearn.ensemble._forest.RandomForestClassifier", "sklearn.ensemble._forest.ExtraTreesClassifier",
        "sklearn.neighbors._classification.KNeighborsClassifier", "sklearn.neural_network._multilayer_perceptron.MLPClassifier",
    ]

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let methodNode = try node.attribute("method")
        let method = try methodNode.string()
        guard method == "sigmoid" || method == "isotonic" else {
            throw SklearnError.invalid(path: methodNode.path, reason: "CalibratedClassifierCV method '\(method)' is not converted (sigmoid and isotonic are)")
        }
        let labels = try SklearnClassTable(try node.attribute("classes_"))
        let c = labels.count
        let members = try node.attribute("calibrated_classifiers_").items()
        guard !members.isEmpty else { throw SklearnError.invalid(path: node.path + ".calibrated_classifiers_", reason: "no calibrated classifiers") }
        var total: GraphBuilder.Value? = nil
        for (k, m) in members.enumerated() {
            let p = try calibratedProbabilities(m, classes: labels, index: k, to: b, input: x, width: width, dtype: dtype)
            total = try total.map { try b.node("Add", [$0, p], name: "probability_sum\(k)") } ?? p
        }
        let probs = try b.node("Div", [try nonEmpty(total, node), try b.floats([Double(members.count)], shape: [], dtype: dtype, name: "classifier_count")], name: "probabilities")
        let index = try b.node("ArgMax", [probs], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
        return .classifier(label: try b.node("Gather", [try labels.table(b), index], attributes: ["axis": .int(0)], name: "label"), probabilities: probs, classes: c)
    }

    /// One `_CalibratedClassifier`'s predict_proba [N, C].
    func calibratedProbabilities(_ m: PyNode, classes: SklearnClassTable, index k: Int, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> GraphBuilder.Value {
        let c = classes.count
        let est = try m.attribute("estimator")
        let calibrators = try m.attribute("calibrators").items()
        let estClasses = try SklearnClassTable(try classesOf(est))
        // Each estimator class's column in the calibrated classes (LabelEncoder.transform).
        let positions: [Int] = try (0..<estClasses.count).map { j in
            guard let p = position(of: j, in: estClasses.labels, among: classes.labels) else {
                throw SklearnError.invalid(path: est.path + ".classes_", reason: "class \(j) of the estimator is not among CalibratedClassifierCV.classes_")
            }
            return p
        }
        let predictions: GraphBuilder.Value, columns: Int
        switch try SklearnConverter.graphLowering(for: est).addNodes(est, to: b, input: x, width: width, dtype: dtype) {
        case .decision(_, let s, let n):
            predictions = n == 1 ? try b.node("Unsqueeze", [s, try b.initializer([Int64(1)], shape: [1], name: "axis1_\(k)")], name: "decision_column\(k)") : s
            columns = n
        case .classifier(_, let p, let n) where Self.probabilityOnly.contains(try finalStep(est).className ?? ""):
            if n == 2 {
                predictions = try b.node("Slice", [p, try b.initializer([Int64(1)], shape: [1], name: "from1_\(k)"), try b.initializer([Int64(2)], shape: [1], name: "to2_\(k)"),
                                                   try b.initializer([Int64(1)], shape: [1], name: "slice_axis1_\(k)")], name: "positive_proba\(k)")
                columns = 1
            } else { predictions = p; columns = n }
        case .classifier:
            throw SklearnError.invalid(path: est.path, reason: "CalibratedClassifierCV calibrates the decision_function of \(try finalStep(est).className ?? "this estimator"), which its converter does not produce")
        default:
            throw SklearnError.invalid(path: est.path, reason: "a calibrated estimator that is not a classifier")
        }
        let expected = c == 2 ? 1 : estClasses.count
        guard calibrators.count == expected, columns == expected, c == 2 ? estClasses.count == 2 : true else {
            throw SklearnError.invalid(path: m.path + ".calibrators", reason: "\(calibrators.count) calibrators for \(columns) prediction columns and \(c) classes")
        }
        var calibrated: [GraphBuilder.Value] = []
        for (j, cal) in calibrators.enumerated() {
            let column = try b.node("Gather", [predictions, try b.initializer([Int64(j)], shape: [], name: "column\(k)_\(j)")], attributes: ["axis": .int(1)], name: "prediction\(k)_\(j)")
            calibrated.append(try calibrate(column, with: cal, name: "\(k)_\(j)", b: b, dtype: dtype))
        }
        let axis1 = try b.initializer([Int64(1)], shape: [1], name: "axis1_p\(k)")
        func col(_ v: GraphBuilder.Value, _ name: String) throws -> GraphBuilder.Value { try b.node("Unsqueeze", [v, axis1], name: name) }
        var proba: GraphBuilder.Value
        if c == 2 {
            let positive = try col(calibrated[0], "positive\(k)")
            let negative = try b.node("Sub", [try b.floats([1], shape: [], dtype: dtype, name: "one\(k)"), positive], name: "negative\(k)")
            proba = try b.node("Concat", [negative, positive], attributes: ["axis": .int(1)], name: "calibrated\(k)")
        } else {
            var stacked = try b.node("Concat", try calibrated.enumerated().map { try col($1, "calibrated\(k)_\($0)") }, attributes: ["axis": .int(1)], name: "calibrated_columns\(k)")
            if positions != Array(0..<c) {
                // Classes missing from this estimator's training fold keep probability 0.
                var place = [Double](repeating: 0, count: positions.count * c)
                for (j, p) in positions.enumerated() { place[j * c + p] = 1 }
                stacked = try b.node("MatMul", [stacked, try b.floats(place, shape: [Int64(positions.count), Int64(c)], dtype: dtype, name: "placement\(k)")], name: "placed\(k)")
            }
            let sum = try b.node("ReduceSum", [stacked, axis1], attributes: ["keepdims": .int(1)], name: "calibrated_sum\(k)")
            let zero = try b.node("Equal", [sum, try b.floats([0], shape: [], dtype: dtype, name: "zero\(k)")], name: "zero_sum\(k)")
            proba = try b.node("Where", [zero, try b.floats([1 / Double(c)], shape: [], dtype: dtype, name: "uniform\(k)"), try b.node("Div", [stacked, sum], name: "normalised\(k)")],
                               name: "calibrated\(k)")
        }
        let over = try b.node("And", [try b.node("Greater", [proba, try b.floats([1], shape: [], dtype: dtype, name: "one_bound\(k)")], name: "above_one\(k)"),
                                      try b.node("LessOrEqual", [proba, try b.floats([1 + 1e-5], shape: [], dtype: dtype, name: "tolerance\(k)")], name: "barely_above\(k)")], name: "rounding_excess\(k)")
        return try b.node("Where", [over, try b.floats([1], shape: [], dtype: dtype, name: "one_clip\(k)"), proba], name: "classifier_probabilities\(k)")
    }

    /// A calibrator's predict on one column [N]: `expit(-(a·t + b))`, or the isotonic
    /// regression's clipped linear interpolation (scipy's interp1d).
    func calibrate(_ t: GraphBuilder.Value, with cal: PyNode, name: String, b: GraphBuilder, dtype: DataType) throws -> GraphBuilder.Value {
        switch cal.className ?? "" {
        case Self.sigmoid:
            let a = try cal.attribute("a_").double(), bias = try cal.attribute("b_").double()
            let z = try b.node("Add", [try b.node("Mul", [t, try b.floats([a], shape: [], dtype: dtype, name: "slope\(name)")], name: "scaled\(name)"),
                                       try b.floats([bias], shape: [], dtype: dtype, name: "offset\(name)")], name: "logit\(name)")
            return try b.node("Sigmoid", [try b.node("Neg", [z], name: "negated\(name)")], name: "sigmoid\(name)")
        case Self.isotonic:
            let boundsNode = try cal.attribute("out_of_bounds")
            guard try boundsNode.string() == "clip" else {
                throw SklearnError.invalid(path: boundsNode.path, reason: "IsotonicRegression out_of_bounds '\(try boundsNode.string())' is not converted (clip is)")
            }
            let xs = try cal.attribute("X_thresholds_").doubles(rank: 1)
            let ys = try cal.attribute("y_thresholds_").doubles(rank: 1)
            guard xs.count == ys.count, !xs.isEmpty else { throw SklearnError.invalid(path: cal.path + ".X_thresholds_", reason: "\(xs.count) thresholds for \(ys.count) values") }
            if ys.count == 1 {
                return try b.node("Add", [try b.node("Mul", [t, try b.floats([0], shape: [], dtype: dtype, name: "zero\(name)")], name: "zeros\(name)"),
                                          try b.floats([ys[0]], shape: [], dtype: dtype, name: "constant\(name)")], name: "isotonic\(name)")
            }
            let lo = try cal.attribute("X_min_").double(), hi = try cal.attribute("X_max_").double()
            let clipped = try b.node("Min", [try b.node("Max", [t, try b.floats([lo], shape: [], dtype: dtype, name: "x_min\(name)")], name: "above_min\(name)"),
                                             try b.floats([hi], shape: [], dtype: dtype, name: "x_max\(name)")], name: "clipped\(name)")
            // searchsorted(xs, t, side="left") clipped to [1, m - 1], minus one: the segment.
            let below = try b.node("Less", [try b.floats(xs, shape: [Int64(xs.count)], dtype: dtype, name: "thresholds\(name)"),
                                            try b.node("Unsqueeze", [clipped, try b.initializer([Int64(1)], shape: [1], name: "axis1_\(name)")], name: "clipped_column\(name)")], name: "below\(name)")
            let count = try b.node("ReduceSum", [try b.node("Cast", [below], attributes: ["to": .dataType(.int64)], name: "below_count\(name)"),
                                                 try b.initializer([Int64(1)], shape: [1], name: "axis1s_\(name)")], attributes: ["keepdims": .int(0)], name: "insertion\(name)")
            let segment = try b.node("Sub", [try b.node("Min", [try b.node("Max", [count, try b.initializer([Int64(1)], shape: [], name: "first\(name)")], name: "at_least_one\(name)"),
                                                                try b.initializer([Int64(xs.count - 1)], shape: [], name: "last\(name)")], name: "upper\(name)"),
                                             try b.initializer([Int64(1)], shape: [], name: "one\(name)")], name: "segment\(name)")
            let m = xs.count - 1
            let slopes: [Double] = (0..<m).map { i in
                let rise: Double = ys[i + 1] - ys[i], run: Double = xs[i + 1] - xs[i]
                return rise / run
            }
            func pick(_ values: [Double], _ n: String) throws -> GraphBuilder.Value {
                try b.node("Gather", [try b.floats(values, shape: [Int64(m)], dtype: dtype, name: "\(n)_table\(name)"), segment], attributes: ["axis": .int(0)], name: "\(n)\(name)")
            }
            let offset = try b.node("Sub", [clipped, try pick(Array(xs.prefix(m)), "x_low")], name: "offset\(name)")
            return try b.node("Add", [try b.node("Mul", [try pick(slopes, "slope"), offset], name: "rise\(name)"), try pick(Array(ys.prefix(m)), "y_low")], name: "isotonic\(name)")
        default:
            throw SklearnError.unsupported(className: cal.className ?? cal.value.kindName, path: cal.path, supported: [Self.sigmoid, Self.isotonic])
        }
    }

    /// An estimator's `classes_`, or its last step's for a pipeline.
    func classesOf(_ est: PyNode) throws -> PyNode {
        if let c = est.optionalAttribute("classes_") { return c }
        return try finalStep(est).attribute("classes_")
    }

    /// A pipeline's last step (its decision_function and classes are that step's), or the
    /// estimator itself.
    func finalStep(_ est: PyNode) throws -> PyNode {
        if let steps = est.optionalAttribute("steps"), let last = try steps.items().last { return try finalStep(try last.item(1)) }
        return est
    }

    func position(of j: Int, in labels: TreeEnsembleModel.ClassLabels, among all: TreeEnsembleModel.ClassLabels) -> Int? {
        switch (labels, all) {
        case (.integers(let a), .integers(let b)): return b.firstIndex(of: a[j])
        case (.strings(let a), .strings(let b)): return b.firstIndex(of: a[j])
        default: return nil
        }
    }
}
