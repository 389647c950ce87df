import ONNX
import PythonObjects

/// Kernel SVMs with one decision function: SVR, NuSVR, OneClassSVM and binary SVC /
/// NuSVC — `Σ dual_coef_ · K(support_vectors_, x) + intercept_` with the linear, poly,
/// rbf or sigmoid kernel and the fitted `_gamma`.
///
/// Multiclass SVC/NuSVC: one decision per pair of classes (i < j), from the support
/// vectors of i weighted by row j-1 of dual_coef_ and those of j by row i; predict is
/// the one-vs-one vote (first class with the most votes, as libsvm picks), and `scores`
/// is decision_function's "ovr" shape: votes plus the confidences squashed into (-1/3,
/// 1/3), as scikit-learn's _ovr_decision_function computes them; with
/// decision_function_shape "ovo", `scores` is the pair decisions [N, C(C-1)/2]; with
/// break_ties, the label is the argmax of the "ovr" scores, as predict then takes it.
///
/// SVC/NuSVC fitted with probability=True give `label` (still the decision function's,
/// as scikit-learn's predict) and `probabilities` (libsvm's Platt scaling and pairwise
/// coupling, SklearnSVMProbability) instead of `scores`.
struct SklearnSVM: SklearnGraphLowering {
    static let regressors = ["sklearn.svm._classes.SVR", "sklearn.svm._classes.NuSVR"]
    static let oneClass = "sklearn.svm._classes.OneClassSVM"
    static let classifiers = ["sklearn.svm._classes.SVC", "sklearn.svm._classes.NuSVC"]
    var classNames: [String] { Self.regressors + [Self.oneClass] + Self.classifiers }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let cls = node.className ?? ""
        let svNode = try node.attribute("support_vectors_")
        let sv = try svNode.array(rank: 2)
        let count = sv.shape[0]
        guard sv.shape[1] == width else { throw SklearnError.invalid(path: svNode.path, reason: "support vectors of \(sv.shape[1]) features for \(width)") }
        let dual = try node.attribute("dual_coef_").doubles(rank: 2)
        let intercept = try node.attribute("intercept_").doubles()
        let dualRows = dual.count / max(1, count)
        let kernel = try node.attribute("kernel").string()
        let gamma = try node.attribute("_gamma").double()
        let degree = try node.attribute("degree").double()
        let coef0 = try node.attribute("coef0").double()
        let svValues = try svNode.doubles()
        let s64 = Int64(count), w64 = Int64(width)
        var t = [Double](repeating: 0, count: width * count)
        for i in 0..<count { for f in 0..<width { t[f * count + i] = svValues[i * width + f] } }
        func dot() throws -> GraphBuilder.Value {
            try b.node("MatMul", [x, try b.floats(t, shape: [w64, s64], dtype: dtype, name: "support_vectors_t")], name: "dot")
        }
        func affine(_ v: GraphBuilder.Value) throws -> GraphBuilder.Value {
            try b.node("Add", [try b.node("Mul", [v, try b.floats([gamma], shape: [], dtype: dtype, name: "gamma")], name: "scaled_dot"),
                               try b.floats([coef0], shape: [], dtype: dtype, name: "coef0")], name: "shifted_dot")
        }
        let k: GraphBuilder.Value
        switch kernel {
        case "linear": k = try dot()
        case "poly": k = try b.node("Pow", [try affine(try dot()), try b.floats([degree], shape: [], dtype: dtype, name: "degree")], name: "kernel")
        case "sigmoid": k = try b.node("Tanh", [try affine(try dot())], name: "kernel")
        case "rbf":
            let x3 = try b.node("Unsqueeze", [x, try b.initializer([Int64(1)], shape: [1], name: "axis1")], name: "rows")
            let diff = try b.node("Sub", [x3, try b.floats(svValues, shape: [s64, w64], dtype: dtype, name: "support_vectors")], name: "differences")
            let d2 = try b.node("ReduceSum", [try b.node("Mul", [diff, diff], name: "squares"), try b.initializer([Int64(2)], shape: [1], name: "axis2")],
                                attributes: ["keepdims": .int(0)], name: "squared_distances")
            k = try b.node("Exp", [try b.node("Mul", [d2, try b.floats([-gamma], shape: [], dtype: dtype, name: "minus_gamma")], name: "exponent")], name: "kernel")
        default: throw SklearnError.invalid(path: node.path + ".kernel", reason: "kernel '\(kernel)' is not converted (precomputed kernels need the training data)")
        }
        if dualRows > 1 { return try oneVsOne(node, k, dual: dual, rows: dualRows, intercept: intercept, svCount: count, b: b, dtype: dtype) }
        guard intercept.count == 1 else { throw SklearnError.invalid(path: node.path + ".intercept_", reason: "\(intercept.count) intercepts") }
        let decision2 = try b.node("Add", [try b.node("MatMul", [k, try b.floats(dual, shape: [s64, 1], dtype: dtype, name: "dual_coef")], name: "weighted_kernel"),
                                           try b.floats(intercept, shape: [1], dtype: dtype, name: "intercept")], name: "decision2d")
        let decision = try b.node("Reshape", [decision2, try b.initializer([Int64(-1)], shape: [1], name: "flatten")], name: "decision")
        if Self.regressors.contains(cls) { return .regressor(decision, targets: 1) }
        let zero = try b.floats([0], shape: [], dtype: dtype, name: "zero")
        if cls == Self.oneClass {
            // predict: +1 where decision >= 0, else -1.
            let negative = try b.node("Less", [decision, zero], name: "outlier")
            let label = try b.node("Where", [negative, try b.initializer([Int64(-1)], shape: [], name: "minus_one"), try b.initializer([Int64(1)], shape: [], name: "plus_one")], name: "label")
            return .decision(label: label, scores: decision, columns: 1)
        }
        let labels = try SklearnClassTable(try node.attribute("classes_"))
        guard labels.count == 2 else {
            throw SklearnError.invalid(path: node.path + ".classes_", reason: "only binary SVC with integer classes is converted so far")
        }
        // libsvm votes for class 0 when its own decision (-decision) is > 0, so a
        // decision of exactly 0 is class 1.
        let index = try b.node("Cast", [try b.node("Not", [try b.node("Less", [decision, zero], name: "negative")], name: "not_negative")],
                               attributes: ["to": .dataType(.int64)], name: "class_index")
        let label = try b.node("Gather", [try labels.table(b), index], attributes: ["axis": .int(0)], name: "label")
        if SklearnSVMProbability.isFitted(node) {
            // libsvm's own decision value is the negation of scikit-learn's for two classes.
            let libsvm = try b.node("Neg", [decision2], name: "libsvm_decision")
            let probs = try SklearnSVMProbability.probabilities(node, decisions: libsvm, classes: 2, b: b, dtype: dtype)
            return .classifier(label: label, probabilities: probs, classes: 2)
        }
        return .decision(label: label, scores: decision, columns: 1)
    }

    func oneVsOne(_ node: PyNode, _ k: GraphBuilder.Value, dual: [Double], rows: Int, intercept: [Double], svCount: Int,
                  b: GraphBuilder, dtype: DataType) throws -> SklearnOutputs {
        let labels = try SklearnClassTable(try node.attribute("classes_"))
        let c = labels.count
        let perClass = try node.attribute("_n_support").int64s(rank: 1).map { Int($0) }
        guard rows == c - 1, perClass.count == c, perClass.reduce(0, +) == svCount, intercept.count == c * (c - 1) / 2 else {
            throw SklearnError.invalid(path: node.path + ".dual_coef_", reason: "the one-vs-one layout does not fit \(c) classes")
        }
        var start = [Int](repeating: 0, count: c)
        for i in 1..<c { start[i] = start[i - 1] + perClass[i - 1] }
        let pairs = c * (c - 1) / 2
        var w = [Double](repeating: 0, count: svCount * pairs)      // [S, P]
        var toI = [Double](repeating: 0, count: pairs * c), toJ = [Double](repeating: 0, count: pairs * c)   // [P, C]
        var p = 0
        for i in 0..<c {
            for j in (i + 1)..<c {
                for s in start[i]..<(start[i] + perClass[i]) { w[s * pairs + p] = dual[(j - 1) * svCount + s] }
                for s in start[j]..<(start[j] + perClass[j]) { w[s * pairs + p] = dual[i * svCount + s] }
                toI[p * c + i] = 1
                toJ[p * c + j] = 1
                p += 1
            }
        }
        let P = Int64(pairs), C = Int64(c)
        let dec = try b.node("Add", [try b.node("MatMul", [k, try b.floats(w, shape: [Int64(svCount), P], dtype: dtype, name: "pair_dual_coef")], name: "pair_kernel"),
                                     try b.floats(intercept, shape: [P], dtype: dtype, name: "pair_intercept")], name: "pair_decision")
        let zero = try b.floats([0], shape: [], dtype: dtype, name: "zero")
        let mi = try b.floats(toI, shape: [P, C], dtype: dtype, name: "pair_first"), mj = try b.floats(toJ, shape: [P, C], dtype: dtype, name: "pair_second")
        // decision_function_shape "ovo" gives the pair decisions themselves; break_ties
        // (with "ovr") makes predict the argmax of the ovr scores, and scikit-learn's
        // predict raises for break_ties with "ovo".
        let shape = try node.optionalAttribute("decision_function_shape")?.string() ?? "ovr"
        var breakTies = false
        if case .bool(true)? = node.optionalAttribute("break_ties")?.value { breakTies = true }
        guard shape == "ovr" || shape == "ovo" else {
            throw SklearnError.invalid(path: node.path + ".decision_function_shape", reason: "\(node.className ?? "SVC") decision_function_shape '\(shape)' is not converted")
        }
        if breakTies && shape == "ovo" {
            throw SklearnError.invalid(path: node.path + ".break_ties", reason: "\(node.className ?? "SVC") break_ties=True with decision_function_shape 'ovo' (scikit-learn's predict raises for it)")
        }
        let scores: GraphBuilder.Value? = shape == "ovr" && (breakTies || !SklearnSVMProbability.isFitted(node)) ? try {
            let forI = try b.node("Cast", [try b.node("Not", [try b.node("Less", [dec, zero], name: "pair_negative")], name: "pair_for_i")],
                                  attributes: ["to": .dataType(dtype)], name: "pair_for_i_float")
            let forJ = try b.node("Sub", [try b.floats([1], shape: [], dtype: dtype, name: "one"), forI], name: "pair_for_j")
            let votes = try b.node("Add", [try b.node("MatMul", [forI, mi], name: "votes_i"), try b.node("MatMul", [forJ, mj], name: "votes_j")], name: "votes")
            let conf = try b.node("MatMul", [dec, try b.floats(zip(toI, toJ).map { $0 - $1 }, shape: [P, C], dtype: dtype, name: "pair_sign")], name: "confidence")
            let squash = try b.node("Div", [conf, try b.node("Mul", [try b.floats([3], shape: [], dtype: dtype, name: "three"),
                                                                      try b.node("Add", [try b.node("Abs", [conf], name: "confidence_magnitude"), try b.floats([1], shape: [], dtype: dtype, name: "one_c")], name: "confidence_plus_one")], name: "confidence_scale")], name: "squashed")
            return try b.node("Add", [votes, squash], name: "ovr_scores")
        }() : nil
        // predict's vote is libsvm's: class i when the pair decision is > 0, so a decision
        // of exactly 0 votes for j (the "ovr" scores count it for i, as
        // _ovr_decision_function's `dec < 0` does).
        let labelVotes: GraphBuilder.Value
        if breakTies, let scores { labelVotes = scores } else {
            let forILabel = try b.node("Cast", [try b.node("Greater", [dec, zero], name: "pair_positive")], attributes: ["to": .dataType(dtype)], name: "label_for_i")
            let forJLabel = try b.node("Sub", [try b.floats([1], shape: [], dtype: dtype, name: "one_label"), forILabel], name: "label_for_j")
            labelVotes = try b.node("Add", [try b.node("MatMul", [forILabel, mi], name: "label_votes_i"), try b.node("MatMul", [forJLabel, mj], name: "label_votes_j")], name: "label_votes")
        }
        let index = try b.node("ArgMax", [labelVotes], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "class_index")
        let label = try b.node("Gather", [try labels.table(b), index], attributes: ["axis": .int(0)], name: "label")
        if SklearnSVMProbability.isFitted(node) {
            return .classifier(label: label, probabilities: try SklearnSVMProbability.probabilities(node, decisions: dec, classes: c, b: b, dtype: dtype), classes: c)
        }
        if shape == "ovo" { return .decision(label: label, scores: dec, columns: pairs) }
        guard let scores else { throw SklearnError.invalid(path: node.path, reason: "no ovr scores were built") }
        return .decision(label: label, scores: scores, columns: c)
    }
}
