import ONNX
import PythonObjects

/// PoissonRegressor, GammaRegressor and TweedieRegressor: the inverse link applied to
/// `x · coef_ᵀ + intercept_`, as `_GeneralizedLinearRegressor.predict` does; and
/// RANSACRegressor, whose predict is its final `estimator_`'s.
struct SklearnGeneralizedLinear: SklearnGraphLowering {
    static let poisson = "sklearn.linear_model._glm.glm.PoissonRegressor"
    static let gamma = "sklearn.linear_model._glm.glm.GammaRegressor"
    static let tweedie = "sklearn.linear_model._glm.glm.TweedieRegressor"
    static let ransac = "sklearn.linear_model._ransac.RANSACRegressor"
    var classNames: [String] { [Self.poisson, Self.gamma, Self.tweedie, Self.ransac] }

    /// The inverse links converted.
    enum Link { case identity, log }

    /// The link of a fitted GLM: from the pickled `_base_loss.link` when present (what
    /// predict uses), else from the class and TweedieRegressor's `link` / `power` the way
    /// `_get_loss` chooses it.
    static func link(_ node: PyNode) throws -> Link {
        if let loss = node.optionalAttribute("_base_loss"), let link = loss.optionalAttribute("link") {
            switch link.className ?? "" {
            case "sklearn._loss.link.LogLink": return .log
            case "sklearn._loss.link.IdentityLink": return .identity
            default: throw SklearnError.invalid(path: link.path, reason: "\(node.className ?? ""): link \(link.className ?? link.value.kindName) is not converted (only log and identity)")
            }
        }
        guard node.className == tweedie else { return .log }
        let power = try node.attribute("power").double()
        switch try node.attribute("link").string() {
        case "log": return .log
        case "identity": return .identity
        case "auto": return power <= 0 ? .identity : .log
        case let other: throw SklearnError.invalid(path: node.path + ".link", reason: "TweedieRegressor link '\(other)' is not converted")
        }
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        if node.className == Self.ransac {
            let est = try node.attribute("estimator_")
            return try SklearnConverter.graphLowering(for: est).addNodes(est, to: b, input: x, width: width, dtype: dtype)
        }
        let (scores, rows) = try SklearnLinear.linearScores(node, to: b, input: x, width: width, dtype: dtype)
        guard rows == 1 else { throw SklearnError.invalid(path: node.path + ".coef_", reason: "\(rows) coefficient rows for a single-target GLM") }
        let flat = try b.node("Reshape", [scores, try b.initializer([Int64(-1)], shape: [1], name: "flatten")], name: "linear_predictor")
        switch try Self.link(node) {
        case .identity: return .regressor(flat, targets: 1)
        case .log: return .regressor(try b.node("Exp", [flat], name: "predictions"), targets: 1)
        }
    }
}
