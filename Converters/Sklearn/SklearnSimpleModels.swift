import Foundation
import ONNX
import PythonObjects

/// MultinomialNB, BernoulliNB and DummyClassifier/DummyRegressor.
struct SklearnSimpleModels: SklearnGraphLowering {
    static let multinomial = "sklearn.naive_bayes.MultinomialNB"
    static let complement = "sklearn.naive_bayes.ComplementNB"
    static let bernoulli = "sklearn.naive_bayes.BernoulliNB"
    static let dummyClassifier = "sklearn.dummy.DummyClassifier"
    static let dummyRegressor = "sklearn.dummy.DummyRegressor"
    var classNames: [String] { [Self.multinomial, Self.bernoulli, Self.dummyClassifier, Self.dummyRegressor] }

    func labelsOf(_ node: PyNode) throws -> SklearnClassTable {
        let l = try SklearnClassTable(try node.attribute("classes_"))
        return l
    }

    func classify(_ scores: GraphBuilder.Value, softmax: Bool, labels: SklearnClassTable, _ b: GraphBuilder) throws -> SklearnOutputs {
        let probs = softmax ? try b.node("Softmax", [scores], attributes: ["axis": .int(1)], name: "probabilities") : scores
        let index = try b.node("ArgMax", [probs], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
        let label = try b.node("Gather", [try labels.table(b), index], attributes: ["axis": .int(0)], name: "label")
        return .classifier(label: label, probabilities: probs, classes: labels.count)
    }

    /// A [1, C] constant repeated for every row of `x`.
    func rows(_ values: [Double], like x: GraphBuilder.Value, _ b: GraphBuilder, dtype: DataType) throws -> GraphBuilder.Value {
        let n = try b.node("Slice", [try b.node("Shape", [x], name: "input_shape"), try b.initializer([Int64(0)], shape: [1], name: "start0"),
                                     try b.initializer([Int64(1)], shape: [1], name: "end1")], name: "row_count")
        let shape = try b.node("Concat", [n, try b.initializer([Int64(values.count)], shape: [1], name: "columns")], attributes: ["axis": .int(0)], name: "output_shape")
        return try b.node("Expand", [try b.floats(values, shape: [1, Int64(values.count)], dtype: dtype, name: "constant_row"), shape], name: "repeated")
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        switch node.className ?? "" {
        case Self.multinomial, Self.bernoulli:
            let flpNode = try node.attribute("feature_log_prob_")
            let flp = try flpNode.doubles(rank: 2)
            let prior = try node.attribute("class_log_prior_").doubles(rank: 1)
            let c = prior.count
            guard flp.count == c * width else { throw SklearnError.invalid(path: flpNode.path, reason: "not [\(c), \(width)]") }
            var v = x
            var weights = flp, constant = prior
            if node.className == Self.bernoulli {
                // jll = X·(log p - log(1-p))ᵀ + Σ log(1-p) + log prior, on binarized X.
                if let t = node.optionalAttribute("binarize"), !t.isNone {
                    let above = try b.node("Greater", [x, try b.floats([try t.double()], shape: [], dtype: dtype, name: "binarize")], name: "present")
                    v = try b.node("Cast", [above], attributes: ["to": .dataType(dtype)], name: "binary")
                }
                for k in 0..<c {
                    var neg = 0.0
                    for f in 0..<width {
                        let lp = flp[k * width + f]
                        let ln = Foundation.log(-Foundation.expm1(lp))
                        weights[k * width + f] = lp - ln
                        neg += ln
                    }
                    constant[k] += neg
                }
            }
            var t = [Double](repeating: 0, count: width * c)
            for k in 0..<c { for f in 0..<width { t[f * c + k] = weights[k * width + f] } }
            let jll = try b.node("Add", [try b.node("MatMul", [v, try b.floats(t, shape: [Int64(width), Int64(c)], dtype: dtype, name: "log_probabilities")], name: "evidence"),
                                         try b.floats(constant, shape: [Int64(c)], dtype: dtype, name: "log_prior")], name: "joint_log_likelihood")
            return try classify(jll, softmax: true, labels: try labelsOf(node), b)
        case Self.dummyClassifier:
            let strategy = try node.attribute("strategy").string()
            let prior = try node.attribute("class_prior_").doubles(rank: 1)
            var p = prior
            switch strategy {
            case "prior": break
            case "most_frequent":
                let best = prior.indices.max { prior[$0] < prior[$1] } ?? 0
                p = prior.indices.map { $0 == best ? 1 : 0 }
            default: throw SklearnError.invalid(path: node.path + ".strategy", reason: "strategy '\(strategy)' is not converted (its predictions are random or constant labels)")
            }
            return try classify(try rows(p, like: x, b, dtype: dtype), softmax: false, labels: try labelsOf(node), b)
        case Self.dummyRegressor:
            let c = try node.attribute("constant_").doubles()
            let r = try rows(c, like: x, b, dtype: dtype)
            if c.count == 1 { return .regressor(try b.node("Reshape", [r, try b.initializer([Int64(-1)], shape: [1], name: "flatten")], name: "predictions_flat"), targets: 1) }
            return .regressor(r, targets: c.count)
        default:
            throw SklearnError.unsupported(className: node.className ?? "", path: node.path, supported: classNames)
        }
    }
}
