import Foundation
import ONNX
import PythonObjects

/// QuadraticDiscriminantAnalysis and GaussianMixture: one Gaussian log density per class
/// (or component), `-½ ‖(x - μₖ) Wₖ‖² + cₖ`, argmax for the label and its softmax for
/// predict_proba (scikit-learn normalises with a max-shifted logsumexp, the same thing).
/// QDA's Wₖ is `rotations_[k] · scalings_[k]^-½` (reg_param is already in `scalings_`,
/// as `_solve_svd` folds it in at fit time); the mixture's is its precision's Cholesky
/// factor, in each of the four covariance types.
struct SklearnGaussianDensities: SklearnGraphLowering {
    static let qda = "sklearn.discriminant_analysis.QuadraticDiscriminantAnalysis"
    static let mixture = "sklearn.mixture._gaussian_mixture.GaussianMixture"
    var classNames: [String] { [Self.qda, Self.mixture] }

    /// The per-class transforms, the class count and the constants cₖ.
    struct Densities {
        var means: [Double]        // [K, F]
        var transforms: [Double]   // [K, F, R]: y = (x - μₖ) · Wₖ
        var rank: Int              // R
        var constants: [Double]    // [K]
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let d = node.className == Self.qda ? try qda(node, width: width) : try mixture(node, width: width)
        let k = d.constants.count
        let k64 = Int64(k), w64 = Int64(width)
        let rows = try b.node("Unsqueeze", [x, try b.initializer([Int64(1)], shape: [1], name: "axis1")], name: "rows")
        let diff = try b.node("Sub", [rows, try b.floats(d.means, shape: [k64, w64], dtype: dtype, name: "means")], name: "deviations")
        let diff4 = try b.node("Unsqueeze", [diff, try b.initializer([Int64(2)], shape: [1], name: "axis2")], name: "deviation_rows")
        let y = try b.node("MatMul", [diff4, try b.floats(d.transforms, shape: [k64, w64, Int64(d.rank)], dtype: dtype, name: "whitening")], name: "whitened")
        let norm2 = try b.node("ReduceSum", [try b.node("Mul", [y, y], name: "whitened_squares"), try b.initializer([Int64(2), 3], shape: [2], name: "axes23")],
                               attributes: ["keepdims": .int(0)], name: "mahalanobis_squared")
        let scores = try b.node("Add", [try b.node("Mul", [norm2, try b.floats([-0.5], shape: [], dtype: dtype, name: "minus_half")], name: "half_distance"),
                                        try b.floats(d.constants, shape: [k64], dtype: dtype, name: "log_constants")], name: "log_density")
        let probs = try b.node("Softmax", [scores], attributes: ["axis": .int(1)], name: "probabilities")
        let index = try b.node("ArgMax", [scores], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
        if node.className == Self.mixture { return .classifier(label: index, probabilities: probs, classes: k) }
        let labels = try SklearnClassTable(try node.attribute("classes_"))
        guard labels.count == k else { throw SklearnError.invalid(path: node.path + ".classes_", reason: "\(labels.count) classes for \(k) fitted classes") }
        return .classifier(label: try b.node("Gather", [try labels.table(b), index], attributes: ["axis": .int(0)], name: "label"), probabilities: probs, classes: k)
    }

    /// QDA: Wₖ = Rₖ · diag(Sₖ)^-½, cₖ = -½ Σ log Sₖ + log priorₖ. A class whose rotation
    /// has fewer than F columns is padded with zero columns (they add nothing to the norm).
    func qda(_ node: PyNode, width: Int) throws -> Densities {
        let meansNode = try node.attribute("means_")
        let means = try meansNode.doubles(rank: 2)
        let priors = try node.attribute("priors_").doubles(rank: 1)
        let rotations = try node.attribute("rotations_").items()
        let scalings = try node.attribute("scalings_").items()
        let k = priors.count
        guard means.count == k * width, rotations.count == k, scalings.count == k else {
            throw SklearnError.invalid(path: meansNode.path, reason: "means_ [\(means.count / max(width, 1)), \(width)], \(rotations.count) rotations, \(scalings.count) scalings for \(k) priors")
        }
        var transforms = [Double](repeating: 0, count: k * width * width)
        var constants = [Double](repeating: 0, count: k)
        for c in 0..<k {
            let r = try rotations[c].array(rank: 2)
            let rv = try rotations[c].doubles()
            let s = try scalings[c].doubles(rank: 1)
            let n = r.shape[1]
            guard r.shape[0] == width, n == s.count, n <= width else {
                throw SklearnError.invalid(path: rotations[c].path, reason: "rotation \(r.shape) with \(s.count) scalings for \(width) features")
            }
            for i in 0..<width { for j in 0..<n { transforms[(c * width + i) * width + j] = rv[i * n + j] * Foundation.pow(s[j], -0.5) } }
            constants[c] = -0.5 * s.reduce(0) { $0 + Foundation.log($1) } + Foundation.log(priors[c])
        }
        return Densities(means: means, transforms: transforms, rank: width, constants: constants)
    }

    /// GaussianMixture: Wₖ is `precisions_cholesky_` as a full matrix (tied: the same for
    /// every component; diag: a diagonal; spherical: a multiple of the identity), and cₖ =
    /// -½ F log 2π + log det Wₖ + log weightₖ, as `_estimate_weighted_log_prob` adds them.
    func mixture(_ node: PyNode, width: Int) throws -> Densities {
        let typeNode = try node.attribute("covariance_type")
        let type = try typeNode.string()
        let meansNode = try node.attribute("means_")
        let means = try meansNode.doubles(rank: 2)
        let weights = try node.attribute("weights_").doubles(rank: 1)
        let k = weights.count
        guard means.count == k * width else { throw SklearnError.invalid(path: meansNode.path, reason: "not [\(k), \(width)]") }
        let cholNode = try node.attribute("precisions_cholesky_")
        let f = width
        var transforms = [Double](repeating: 0, count: k * f * f)
        var logDet = [Double](repeating: 0, count: k)
        func expect(_ count: Int, _ shape: String) throws -> [Double] {
            let v = try cholNode.doubles()
            guard v.count == count else { throw SklearnError.invalid(path: cholNode.path, reason: "\(v.count) values, expected \(shape) for covariance_type '\(type)'") }
            return v
        }
        switch type {
        case "full", "tied":
            let p = type == "full" ? try expect(k * f * f, "[\(k), \(f), \(f)]") : try expect(f * f, "[\(f), \(f)]")
            for c in 0..<k {
                let base = type == "full" ? c * f * f : 0
                for i in 0..<(f * f) { transforms[c * f * f + i] = p[base + i] }
                logDet[c] = (0..<f).reduce(0) { $0 + Foundation.log(p[base + $1 * f + $1]) }
            }
        case "diag":
            let p = try expect(k * f, "[\(k), \(f)]")
            for c in 0..<k {
                for i in 0..<f { transforms[c * f * f + i * f + i] = p[c * f + i] }
                logDet[c] = (0..<f).reduce(0) { $0 + Foundation.log(p[c * f + $1]) }
            }
        case "spherical":
            let p = try expect(k, "[\(k)]")
            for c in 0..<k {
                for i in 0..<f { transforms[c * f * f + i * f + i] = p[c] }
                logDet[c] = Double(f) * Foundation.log(p[c])
            }
        default:
            throw SklearnError.invalid(path: typeNode.path, reason: "GaussianMixture covariance_type '\(type)' is not converted (full, tied, diag, spherical are)")
        }
        let constants = (0..<k).map { -0.5 * Double(f) * Foundation.log(2 * Double.pi) + logDet[$0] + Foundation.log(weights[$0]) }
        return Densities(means: means, transforms: transforms, rank: f, constants: constants)
    }
}
