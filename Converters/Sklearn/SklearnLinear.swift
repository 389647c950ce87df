import ONNX
import PythonObjects

/// LogisticRegression (binary, multinomial, one-vs-rest) and the plain linear regressors:
/// `x · coef_ᵀ + intercept_`, then sigmoid / softmax for probabilities, as
/// `predict_proba` computes them.
struct SklearnLinear: SklearnGraphLowering {
    static let classifiers = ["sklearn.linear_model._logistic.LogisticRegression", "sklearn.linear_model._logistic.LogisticRegressionCV",
                              "sklearn.discriminant_analysis.LinearDiscriminantAnalysis"]
    /// Classifiers whose outputs are decision_function's scores (no predict_proba).
    static let decisionClassifiers = ["sklearn.svm._classes.LinearSVC", "sklearn.linear_model._ridge.RidgeClassifier",
                                      "sklearn.linear_model._ridge.RidgeClassifierCV", "sklearn.linear_model._perceptron.Perceptron",
                                      "sklearn.linear_model._stochastic_gradient.SGDClassifier",
                                      "sklearn.linear_model._passive_aggressive.PassiveAggressiveClassifier"]
    static let regressors = ["sklearn.linear_model._base.LinearRegression", "sklearn.linear_model._ridge.Ridge", "sklearn.linear_model._ridge.RidgeCV",
                             "sklearn.linear_model._coordinate_descent.Lasso", "sklearn.linear_model._coordinate_descent.ElasticNet",
                             "sklearn.linear_model._coordinate_descent.LassoCV", "sklearn.linear_model._coordinate_descent.ElasticNetCV",
                             "sklearn.svm._classes.LinearSVR", "sklearn.linear_model._stochastic_gradient.SGDRegressor",
                             "sklearn.linear_model._passive_aggressive.PassiveAggressiveRegressor",
                             // predict is the same linear function of coef_ and intercept_ for these
                             // (BayesianRidge and ARDRegression without return_std).
                             "sklearn.linear_model._least_angle.Lars", "sklearn.linear_model._least_angle.LassoLars",
                             "sklearn.linear_model._least_angle.LarsCV", "sklearn.linear_model._least_angle.LassoLarsCV",
                             "sklearn.linear_model._least_angle.LassoLarsIC", "sklearn.linear_model._omp.OrthogonalMatchingPursuit",
                             "sklearn.linear_model._bayes.BayesianRidge", "sklearn.linear_model._bayes.ARDRegression",
                             "sklearn.linear_model._huber.HuberRegressor", "sklearn.linear_model._quantile.QuantileRegressor",
                             "sklearn.linear_model._theil_sen.TheilSenRegressor"]
    var classNames: [String] { Self.classifiers + Self.decisionClassifiers + Self.regressors }

    /// `x · coef_ᵀ + intercept_` [N, rows], with `rows` the number of coefficient rows
    /// (1 for a 1-d `coef_`); shared with the families whose prediction starts from it.
    static func linearScores(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> (scores: GraphBuilder.Value, rows: Int) {
        let coefNode = try node.attribute("coef_")
        let coefArray = try coefNode.array()
        let coef = try coefNode.doubles()
        let rows = coefArray.shape.count == 1 ? 1 : coefArray.shape[0]
        let cols = coefArray.shape.last ?? 0
        guard cols == width else { throw SklearnError.invalid(path: coefNode.path, reason: "\(cols) coefficients per row for \(width) input columns") }
        var intercept = [Double](repeating: 0, count: rows)
        if let i = node.optionalAttribute("intercept_") {
            switch i.value {
            case .ndarray: intercept = try i.doubles()
            default: intercept = [Double](repeating: try i.double(), count: rows)
            }
        }
        guard intercept.count == rows else { throw SklearnError.invalid(path: node.path + ".intercept_", reason: "\(intercept.count) values for \(rows) rows") }
        // W is coef_ transposed: [width, rows].
        var w = [Double](repeating: 0, count: width * rows)
        for r in 0..<rows { for c in 0..<width { w[c * rows + r] = coef[r * width + c] } }
        let wv = try b.floats(w, shape: [Int64(width), Int64(rows)], dtype: dtype, name: "coef")
        let bv = try b.floats(intercept, shape: [Int64(rows)], dtype: dtype, name: "intercept")
        return (try b.node("Add", [try b.node("MatMul", [x, wv], name: "linear"), bv], name: "decision"), rows)
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let (scores, rows) = try Self.linearScores(node, to: b, input: x, width: width, dtype: dtype)
        let coefNode = try node.attribute("coef_")
        if Self.regressors.contains(node.className ?? "") {
            if rows == 1 {
                let flat = try b.node("Reshape", [scores, try b.initializer([Int64(-1)], shape: [1], name: "flatten")], name: "predictions_flat")
                return .regressor(flat, targets: 1)
            }
            return .regressor(scores, targets: rows)
        }
        let labels = try SklearnClassTable(try node.attribute("classes_"))
        if Self.decisionClassifiers.contains(node.className ?? "") {
            let table = try labels.table(b)
            if rows == 1 {
                // Binary: decision > 0 is classes_[1], as predict does.
                let flat = try b.node("Reshape", [scores, try b.initializer([Int64(-1)], shape: [1], name: "flatten")], name: "scores_flat")
                let positive = try b.node("Greater", [flat, try b.floats([0], shape: [], dtype: dtype, name: "zero")], name: "positive")
                let index = try b.node("Cast", [positive], attributes: ["to": .dataType(.int64)], name: "class_index")
                let label = try b.node("Gather", [table, index], attributes: ["axis": .int(0)], name: "label")
                if let loss = SklearnSGDProbabilities.loss(node) {
                    let probs = try SklearnSGDProbabilities.probabilities(loss: loss, scores: flat, classes: 2, to: b, dtype: dtype)
                    return .classifier(label: label, probabilities: probs, classes: 2)
                }
                return .decision(label: label, scores: flat, columns: 1)
            }
            let index = try b.node("ArgMax", [scores], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
            let label = try b.node("Gather", [table, index], attributes: ["axis": .int(0)], name: "label")
            if let loss = SklearnSGDProbabilities.loss(node) {
                let probs = try SklearnSGDProbabilities.probabilities(loss: loss, scores: scores, classes: rows, to: b, dtype: dtype)
                return .classifier(label: label, probabilities: probs, classes: rows)
            }
            return .decision(label: label, scores: scores, columns: rows)
        }
        let probs: GraphBuilder.Value
        if rows == 1 {
            guard labels.count == 2 else { throw SklearnError.invalid(path: coefNode.path, reason: "one coefficient row for \(labels.count) classes") }
            let p = try b.node("Sigmoid", [scores], name: "p1")
            let one = try b.floats([1], shape: [1, 1], dtype: dtype, name: "one")
            probs = try b.node("Concat", [try b.node("Sub", [one, p], name: "p0"), p], attributes: ["axis": .int(1)], name: "probabilities")
        } else {
            var ovr = false
            if case .string(let m)? = node.optionalAttribute("multi_class")?.value { ovr = m == "ovr" }
            if ovr {
                let s = try b.node("Sigmoid", [scores], name: "class_sigmoid")
                let sum = try b.node("ReduceSum", [s, try b.initializer([Int64(1)], shape: [1], name: "axis1")], attributes: ["keepdims": .int(1)], name: "sigmoid_sum")
                probs = try b.node("Div", [s, sum], name: "probabilities")
            } else {
                probs = try b.node("Softmax", [scores], attributes: ["axis": .int(1)], name: "probabilities")
            }
        }
        let index = try b.node("ArgMax", [probs], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
        let table = try labels.table(b)
        let label = try b.node("Gather", [table, index], attributes: ["axis": .int(0)], name: "label")
        return .classifier(label: label, probabilities: probs, classes: labels.count)
    }
}

/// StandardScaler: `(x - mean_) / scale_`, each part only when fitted with it.
struct SklearnScaler: SklearnGraphLowering {
    var classNames: [String] { ["sklearn.preprocessing._data.StandardScaler"] }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        var v = x
        if let mean = node.optionalAttribute("mean_"), !mean.isNone {
            let m = try mean.doubles()
            guard m.count == width else { throw SklearnError.invalid(path: mean.path, reason: "\(m.count) means for \(width) columns") }
            v = try b.node("Sub", [v, try b.floats(m, shape: [Int64(width)], dtype: dtype, name: "mean")], name: "centered")
        }
        if let scale = node.optionalAttribute("scale_"), !scale.isNone {
            let s = try scale.doubles()
            guard s.count == width else { throw SklearnError.invalid(path: scale.path, reason: "\(s.count) scales for \(width) columns") }
            v = try b.node("Div", [v, try b.floats(s, shape: [Int64(width)], dtype: dtype, name: "scale")], name: "scaled")
        }
        return .transformed(v, width: width)
    }
}

/// Pipeline: every step but the last transforms, the last decides the outputs.
struct SklearnPipeline: SklearnColumnLowering {
    var classNames: [String] { ["sklearn.pipeline.Pipeline"] }

    /// The steps that act ("passthrough" and None skipped).
    func steps(_ node: PyNode) throws -> [PyNode] {
        let steps = try node.attribute("steps").items()
        guard !steps.isEmpty else { throw SklearnError.invalid(path: node.path + ".steps", reason: "an empty pipeline") }
        return try steps.map { try $0.item(1) }.filter { est in
            if case .string("passthrough") = est.value { return false }
            return !est.isNone
        }
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, columns: SklearnColumns, dtype: DataType) throws -> SklearnColumnOutputs {
        var current = columns
        let acting = try steps(node)
        for (k, est) in acting.enumerated() {
            let out = try SklearnConverter.addNodes(est, to: b, columns: current, dtype: dtype)
            if k == acting.count - 1 { return out }
            switch out {
            case .columns(let c): current = c
            case .outputs(.transformed(let t, let tw)): current = SklearnColumns(matrix: t, width: tw)
            case .outputs: throw SklearnError.invalid(path: est.path, reason: "a pipeline step before the last must be a transformer")
            }
        }
        return .columns(current)
    }

    /// The first acting step's string columns: it is the one reading the input.
    func stringColumns(_ node: PyNode, width: Int) throws -> [Int: String] {
        guard let first = try steps(node).first else { return [:] }
        return try SklearnConverter.stringColumns(first, width: width)
    }
}
