import Foundation
import ONNX
import PythonObjects

/// KNeighborsClassifier/Regressor by brute force over the stored training set (Minkowski
/// p = 1, 2 or any p; uniform or distance weights, with scikit-learn's rule that exact
/// matches take all the weight), and KMeans (`scores` = transform's distances to the
/// centres, `label` = the nearest centre), and NearestCentroid (see `nearestCentroid`).
struct SklearnNeighbors: SklearnGraphLowering {
    static let knnClassifier = "sklearn.neighbors._classification.KNeighborsClassifier"
    static let knnRegressor = "sklearn.neighbors._regression.KNeighborsRegressor"
    static let kmeans = ["sklearn.cluster._kmeans.KMeans", "sklearn.cluster._kmeans.MiniBatchKMeans"]
    static let nearestCentroid = "sklearn.neighbors._nearest_centroid.NearestCentroid"
    var classNames: [String] { [Self.knnClassifier, Self.knnRegressor, Self.nearestCentroid] + Self.kmeans }

    /// Minkowski distances [N, M] from each row of `x` to each row of `points` [M, F].
    func distances(_ x: GraphBuilder.Value, _ points: [Double], rows: Int, width: Int, p: Double, b: GraphBuilder, dtype: DataType) throws -> GraphBuilder.Value {
        let x3 = try b.node("Unsqueeze", [x, try b.initializer([Int64(1)], shape: [1], name: "axis1")], name: "rows")
        let diff = try b.node("Sub", [x3, try b.floats(points, shape: [Int64(rows), Int64(width)], dtype: dtype, name: "points")], name: "differences")
        let axis2 = try b.initializer([Int64(2)], shape: [1], name: "axis2")
        switch p {
        case 2: return try b.node("Sqrt", [try b.node("ReduceSum", [try b.node("Mul", [diff, diff], name: "squares"), axis2], attributes: ["keepdims": .int(0)], name: "sum_squares")], name: "distances")
        case 1: return try b.node("ReduceSum", [try b.node("Abs", [diff], name: "magnitudes"), axis2], attributes: ["keepdims": .int(0)], name: "distances")
        default:
            let powered = try b.node("Pow", [try b.node("Abs", [diff], name: "magnitudes"), try b.floats([p], shape: [], dtype: dtype, name: "p")], name: "powered")
            let s = try b.node("ReduceSum", [powered, axis2], attributes: ["keepdims": .int(0)], name: "sum_powers")
            return try b.node("Pow", [s, try b.floats([1 / p], shape: [], dtype: dtype, name: "inverse_p")], name: "distances")
        }
    }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let cls = node.className ?? ""
        if cls == Self.nearestCentroid { return try nearestCentroid(node, to: b, input: x, width: width, dtype: dtype) }
        if Self.kmeans.contains(cls) {
            let centers = try node.attribute("cluster_centers_")
            let a = try centers.array(rank: 2)
            let d = try distances(x, try centers.doubles(), rows: a.shape[0], width: width, p: 2, b: b, dtype: dtype)
            let label = try b.node("ArgMin", [d], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "label")
            return .decision(label: label, scores: d, columns: a.shape[0])
        }
        let metric = (try? node.attribute("effective_metric_").string()) ?? "minkowski"
        var p = 2.0
        switch metric {
        case "euclidean": p = 2
        case "manhattan": p = 1
        case "minkowski":
            if let fromParams = try? node.attribute("effective_metric_params_").attribute("p").double() { p = fromParams } else { p = try node.attribute("p").double() }
        default: throw SklearnError.invalid(path: node.path + ".effective_metric_", reason: "metric '\(metric)' is not converted")
        }
        let fitX = try node.attribute("_fit_X")
        let fa = try fitX.array(rank: 2)
        let m = fa.shape[0]
        let k = try node.attribute("n_neighbors").int()
        guard k >= 1, k <= m else { throw SklearnError.invalid(path: node.path + ".n_neighbors", reason: "\(k) neighbours of \(m) samples") }
        let dist = try distances(x, try fitX.doubles(), rows: m, width: width, p: p, b: b, dtype: dtype)
        let top = try b.node("TopK", [dist, try b.initializer([Int64(k)], shape: [1], name: "k")], outputCount: 2,
                             attributes: ["axis": .int(1), "largest": .int(0), "sorted": .int(1)], name: "nearest")
        let nd = top[0], ni = top[1]
        let weighting = try node.attribute("weights").string()
        let weights: GraphBuilder.Value
        switch weighting {
        case "uniform":
            weights = try b.node("Add", [try b.node("Mul", [nd, try b.floats([0], shape: [], dtype: dtype, name: "zero")], name: "zeros"),
                                         try b.floats([1], shape: [], dtype: dtype, name: "one")], name: "weights")
        case "distance":
            // 1/d; a row with an exact match gives its matches weight 1 and the rest 0.
            let zero = try b.floats([0], shape: [], dtype: dtype, name: "zero")
            let exact = try b.node("Equal", [nd, zero], name: "exact")
            let exactF = try b.node("Cast", [exact], attributes: ["to": .dataType(dtype)], name: "exact_weights")
            let any = try b.node("ReduceMax", [exactF, try b.initializer([Int64(1)], shape: [1], name: "axis1w")], attributes: ["keepdims": .int(1)], name: "row_has_exact")
            let inv = try b.node("Reciprocal", [try b.node("Max", [nd, try b.floats([Double(Float.leastNormalMagnitude)], shape: [], dtype: dtype, name: "tiny")], name: "safe_distance")], name: "inverse_distance")
            let hasExact = try b.node("Greater", [any, zero], name: "has_exact")
            weights = try b.node("Where", [hasExact, exactF, inv], name: "weights")
        default: throw SklearnError.invalid(path: node.path + ".weights", reason: "weights '\(weighting)' is not converted")
        }
        let axis1 = try b.initializer([Int64(1)], shape: [1], name: "axis1r")
        let total = try b.node("ReduceSum", [weights, axis1], attributes: ["keepdims": .int(1)], name: "weight_total")
        if cls == Self.knnRegressor {
            let y = try node.attribute("_y").doubles(rank: 1)
            let ny = try b.node("Gather", [try b.floats(y, shape: [Int64(y.count)], dtype: dtype, name: "targets"), ni], attributes: ["axis": .int(0)], name: "neighbour_targets")
            let s = try b.node("ReduceSum", [try b.node("Mul", [ny, weights], name: "weighted"), axis1], attributes: ["keepdims": .int(0)], name: "weighted_sum")
            let flatTotal = try b.node("Reshape", [total, try b.initializer([Int64(-1)], shape: [1], name: "flatten")], name: "total_flat")
            return .regressor(try b.node("Div", [s, flatTotal], name: "predictions"), targets: 1)
        }
        let labels = try SklearnClassTable(try node.attribute("classes_"))
        let y = try node.attribute("_y").int64s(rank: 1)   // class indices
        let nc = try b.node("Gather", [try b.initializer(y, shape: [Int64(y.count)], name: "neighbour_classes_table"), ni], attributes: ["axis": .int(0)], name: "neighbour_classes")
        let range = try b.initializer((0..<labels.count).map(Int64.init), shape: [Int64(labels.count)], name: "class_range")
        let onehot = try b.node("Cast", [try b.node("Equal", [try b.node("Unsqueeze", [nc, try b.initializer([Int64(2)], shape: [1], name: "axis2c")], name: "neighbour_classes3"), range], name: "votes")],
                                attributes: ["to": .dataType(dtype)], name: "votes_float")
        let w3 = try b.node("Unsqueeze", [weights, try b.initializer([Int64(2)], shape: [1], name: "axis2w")], name: "weights3")
        let scores = try b.node("ReduceSum", [try b.node("Mul", [onehot, w3], name: "weighted_votes"), axis1], attributes: ["keepdims": .int(0)], name: "class_weight")
        let probs = try b.node("Div", [scores, total], name: "probabilities")
        let index = try b.node("ArgMax", [probs], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
        let label = try b.node("Gather", [try labels.table(b), index], attributes: ["axis": .int(0)], name: "label")
        return .classifier(label: label, probabilities: probs, classes: labels.count)
    }
}

extension SklearnNeighbors {
    /// NearestCentroid as scikit-learn 1.9 predicts: with priors all close to uniform
    /// (np.isclose), the nearest of `centroids_` in the fitted metric; otherwise the
    /// argmax of the discriminant `-d² + 2 log prior`, d measured between the input and
    /// the centroids both divided by `within_class_std_dev_` (features with a zero
    /// deviation left as they are). predict_proba (euclidean only in scikit-learn) is the
    /// discriminant's softmax; with manhattan the model has `label` alone.
    func nearestCentroid(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let metricNode = try node.attribute("metric")
        let metric = try metricNode.string()
        let p: Double
        switch metric {
        case "euclidean": p = 2
        case "manhattan": p = 1
        default: throw SklearnError.invalid(path: metricNode.path, reason: "NearestCentroid metric '\(metric)' is not converted (euclidean and manhattan are)")
        }
        let centroidsNode = try node.attribute("centroids_")
        let shape = try centroidsNode.array(rank: 2).shape
        let centroids = try centroidsNode.doubles()
        let prior = try node.attribute("class_prior_").doubles(rank: 1)
        let labels = try SklearnClassTable(try node.attribute("classes_"))
        let c = labels.count
        guard shape == [c, width], prior.count == c else {
            throw SklearnError.invalid(path: centroidsNode.path, reason: "centroids \(shape) and \(prior.count) priors for \(c) classes of \(width) features")
        }
        let uniform = prior.allSatisfy { abs($0 - 1 / Double(c)) <= 1e-8 + 1e-5 / Double(c) }
        var discriminant: GraphBuilder.Value? = nil
        if !uniform || p == 2 {
            let std = try node.attribute("within_class_std_dev_").doubles(rank: 1)
            guard std.count == width else { throw SklearnError.invalid(path: node.path + ".within_class_std_dev_", reason: "\(std.count) deviations for \(width) features") }
            let divisor = std.map { $0 != 0 ? $0 : 1 }
            let normalized = centroids.enumerated().map { $1 / divisor[$0 % width] }
            let xn = try b.node("Div", [x, try b.floats(divisor, shape: [Int64(width)], dtype: dtype, name: "within_class_std")], name: "normalized_input")
            let d = try distances(xn, normalized, rows: c, width: width, p: p, b: b, dtype: dtype)
            let logPrior = prior.map { 2 * Foundation.log($0) }
            discriminant = try b.node("Sub", [try b.floats(logPrior, shape: [Int64(c)], dtype: dtype, name: "twice_log_prior"), try b.node("Mul", [d, d], name: "squared_distances")],
                                      name: "discriminant")
        }
        let index: GraphBuilder.Value
        if uniform {
            let d = try distances(x, centroids, rows: c, width: width, p: p, b: b, dtype: dtype)
            index = try b.node("ArgMin", [d], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "nearest_centroid")
        } else {
            index = try b.node("ArgMax", [discriminant!], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
        }
        let label = try b.node("Gather", [try labels.table(b), index], attributes: ["axis": .int(0)], name: "label")
        guard p == 2, let scores = discriminant else { return .label(label) }
        return .classifier(label: label, probabilities: try b.node("Softmax", [scores], attributes: ["axis": .int(1)], name: "probabilities"), classes: c)
    }
}
