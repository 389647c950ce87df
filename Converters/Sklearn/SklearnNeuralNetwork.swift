import ONNX
import PythonObjects

/// MLPClassifier and MLPRegressor: `h = activation(h · W + b)` through the hidden layers
/// (`coefs_`, `intercepts_`), then the output activation scikit-learn recorded
/// (`out_activation_`: identity, logistic or softmax).
struct SklearnNeuralNetwork: SklearnGraphLowering {
    var classNames: [String] { ["sklearn.neural_network._multilayer_perceptron.MLPClassifier",
                                "sklearn.neural_network._multilayer_perceptron.MLPRegressor"] }

    func activation(_ name: String, _ v: GraphBuilder.Value, _ b: GraphBuilder, layer: Int, path: String) throws -> GraphBuilder.Value {
        switch name {
        case "identity": return v
        case "relu": return try b.node("Relu", [v], name: "relu\(layer)")
        case "tanh": return try b.node("Tanh", [v], name: "tanh\(layer)")
        case "logistic": return try b.node("Sigmoid", [v], name: "logistic\(layer)")
        default: throw SklearnError.invalid(path: path, reason: "activation '\(name)' is not converted")
        }
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let coefs = try node.attribute("coefs_").items()
        let intercepts = try node.attribute("intercepts_").items()
        guard coefs.count == intercepts.count, !coefs.isEmpty else { throw SklearnError.invalid(path: node.path + ".coefs_", reason: "\(coefs.count) weight matrices for \(intercepts.count) bias vectors") }
        let hidden = try node.attribute("activation").string()
        let out = try node.attribute("out_activation_").string()
        var v = x, w = width
        for (k, (c, i)) in zip(coefs, intercepts).enumerated() {
            let a = try c.array(rank: 2)
            guard a.shape[0] == w else { throw SklearnError.invalid(path: c.path, reason: "a [\(a.shape[0]), \(a.shape[1])] layer after \(w) units") }
            let bias = try i.doubles(rank: 1)
            guard bias.count == a.shape[1] else { throw SklearnError.invalid(path: i.path, reason: "\(bias.count) biases for \(a.shape[1]) units") }
            v = try b.node("MatMul", [v, try b.floats(try c.doubles(), shape: [Int64(a.shape[0]), Int64(a.shape[1])], dtype: dtype, name: "coefs\(k)")], name: "layer\(k)")
            v = try b.node("Add", [v, try b.floats(bias, shape: [Int64(bias.count)], dtype: dtype, name: "intercepts\(k)")], name: "layer\(k)_biased")
            w = a.shape[1]
            if k < coefs.count - 1 { v = try activation(hidden, v, b, layer: k, path: node.path + ".activation") }
        }
        if node.className?.hasSuffix("Regressor") == true {
            guard out == "identity" else { throw SklearnError.invalid(path: node.path + ".out_activation_", reason: "'\(out)' for a regressor") }
            if w == 1 { return .regressor(try b.node("Reshape", [v, try b.initializer([Int64(-1)], shape: [1], name: "flatten")], name: "predictions_flat"), targets: 1) }
            return .regressor(v, targets: w)
        }
        let labels = try SklearnClassTable(try node.attribute("classes_"))
        let probs: GraphBuilder.Value
        switch (out, w) {
        case ("logistic", 1):
            let p = try b.node("Sigmoid", [v], name: "p1")
            let one = try b.floats([1], shape: [1, 1], dtype: dtype, name: "one")
            probs = try b.node("Concat", [try b.node("Sub", [one, p], name: "p0"), p], attributes: ["axis": .int(1)], name: "probabilities")
        case ("softmax", _):
            probs = try b.node("Softmax", [v], attributes: ["axis": .int(1)], name: "probabilities")
        default:
            throw SklearnError.invalid(path: node.path + ".out_activation_", reason: "'\(out)' with \(w) outputs is not converted (multilabel?)")
        }
        let index = try b.node("ArgMax", [probs], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
        let label = try b.node("Gather", [try labels.table(b), index], attributes: ["axis": .int(0)], name: "label")
        return .classifier(label: label, probabilities: probs, classes: labels.count)
    }
}
