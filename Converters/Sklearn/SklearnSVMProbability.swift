import ONNX
import PythonObjects

/// predict_proba of SVC / NuSVC fitted with probability=True, as scikit-learn's bundled
/// libsvm computes it (svm.cpp, `predict_probability`), for binary and multiclass alike:
///
/// 1. each pair (i < j)'s libsvm decision value d gives r_ij = sigmoid(d·probA + probB)
///    (the branch of `sigmoid_predict` that avoids cancellation), clipped to
///    [1e-7, 1 - 1e-7]; r_ji = 1 - r_ij;
/// 2. `multiclass_probability` (method 2 of Wu, Lin and Weng) couples them: Q_tt =
///    Σ_{j≠t} r_jt², Q_tj = -r_jt·r_tj, p starts at 1/k, and each iteration first
///    recomputes Qp and pQp and stops when max_t |Qp_t - pQp| < 0.005/k, otherwise
///    updates p_t for t = 0..k-1 in turn, renormalising p, Qp and pQp after each. At most
///    max(100, k) iterations.
///
/// libsvm runs this even for two classes, so a binary SVC's probabilities are not the
/// bare sigmoid. The graph lowers the iteration as an ONNX Loop whose carried state is
/// p and a per-row "stopped" flag: a row that met the stopping rule keeps its p, the
/// loop ends when every row has stopped or after max(100, k) trips, so every row runs
/// exactly the iterations libsvm runs for it. The sums keep libsvm's order (Qp_t over j
/// ascending, pQp over t ascending) and everything from the decision values on is
/// float64, as in libsvm, also in a float32 graph (the result is cast back).
enum SklearnSVMProbability {
    /// Whether the estimator was fitted with probability=True (scikit-learn 1.9 stores
    /// the string "deprecated" when the parameter was left alone).
    static func isFitted(_ node: PyNode) -> Bool {
        if case .bool(true)? = node.optionalAttribute("probability")?.value { return true }
        return false
    }

    /// Probabilities [N, k] in `dtype` from libsvm's pair decision values `decisions`
    /// [N, k(k-1)/2] (pairs in libsvm's order (0,1), (0,2), ..., (k-2,k-1)).
    static func probabilities(_ node: PyNode, decisions: GraphBuilder.Value, classes k: Int, b: GraphBuilder, dtype: DataType) throws -> GraphBuilder.Value {
        let pairs = k * (k - 1) / 2
        let probA = try node.attribute("_probA").doubles(rank: 1)
        let probB = try node.attribute("_probB").doubles(rank: 1)
        guard probA.count == pairs, probB.count == pairs else {
            throw SklearnError.invalid(path: node.path + "._probA", reason: "\(node.className ?? "SVC") has \(probA.count) probA_ and \(probB.count) probB_ values for \(pairs) class pairs (probability=True needs one per pair)")
        }
        let P = Int64(pairs), K = Int64(k)
        func f64(_ v: [Double], _ shape: [Int64], _ name: String) throws -> GraphBuilder.Value { try b.initializer(v, shape: shape, name: name) }
        let dec = dtype == .double ? decisions : try b.node("Cast", [decisions], attributes: ["to": .dataType(.double)], name: "platt_decisions")
        // sigmoid_predict: with f = d·A + B, exp(-f)/(1+exp(-f)) for f >= 0, else 1/(1+exp(f));
        // both use e = exp(-|f|).
        let f = try b.node("Add", [try b.node("Mul", [dec, try f64(probA, [P], "platt_a")], name: "platt_scaled"), try f64(probB, [P], "platt_b")], name: "platt_argument")
        let e = try b.node("Exp", [try b.node("Neg", [try b.node("Abs", [f], name: "platt_magnitude")], name: "platt_negative_magnitude")], name: "platt_exp")
        let one = try f64([1], [], "platt_one")
        let denominator = try b.node("Add", [one, e], name: "platt_denominator")
        let sig = try b.node("Where", [try b.node("GreaterOrEqual", [f, try f64([0], [], "platt_zero")], name: "platt_nonnegative"),
                                       try b.node("Div", [e, denominator], name: "platt_small"), try b.node("Div", [one, denominator], name: "platt_large")], name: "platt_sigmoid")
        let minProb = 1e-7
        let r = try b.node("Min", [try b.node("Max", [sig, try f64([minProb], [], "min_prob")], name: "pair_prob_floor"), try f64([1 - minProb], [], "max_prob")], name: "pair_prob")

        // r as [N] columns: rr[i][j] for i != j.
        var rr = [[GraphBuilder.Value?]](repeating: [GraphBuilder.Value?](repeating: nil, count: k), count: k)
        var pair = 0
        for i in 0..<k {
            for j in (i + 1)..<k {
                let rij = try b.node("Gather", [r, try b.initializer([Int64(pair)], shape: [], name: "pair\(pair)")], attributes: ["axis": .int(1)], name: "r_\(i)_\(j)")
                rr[i][j] = rij
                rr[j][i] = try b.node("Sub", [one, rij], name: "r_\(j)_\(i)")
                pair += 1
            }
        }
        func entry(_ i: Int, _ j: Int) throws -> GraphBuilder.Value {
            guard let v = rr[i][j] else { throw SklearnError.invalid(path: node.path, reason: "no pair probability \(i), \(j)") }
            return v
        }
        // Q's rows [N, k] (Q is symmetric, so row t is also column t) and diagonal [N, 1].
        let axis1 = try b.initializer([Int64(1)], shape: [1], name: "q_axis1")
        var rows: [GraphBuilder.Value] = [], diagonal: [GraphBuilder.Value] = []
        for t in 0..<k {
            var qtt: GraphBuilder.Value?
            for j in 0..<k where j != t {
                let square = try b.node("Mul", [try entry(j, t), try entry(j, t)], name: "r_square_\(j)_\(t)")
                qtt = try qtt.map { try b.node("Add", [$0, square], name: "q_diagonal_sum\(t)_\(j)") } ?? square
            }
            guard let d = qtt else { throw SklearnError.invalid(path: node.path + ".classes_", reason: "probabilities need two classes or more") }
            let cells = try (0..<k).map { j in
                j == t ? d : try b.node("Neg", [try b.node("Mul", [try entry(j, t), try entry(t, j)], name: "r_product_\(t)_\(j)")], name: "q_\(t)_\(j)")
            }
            rows.append(try b.node("Concat", try cells.enumerated().map { try b.node("Unsqueeze", [$1, axis1], name: "q_cell\(t)_\($0)") }, attributes: ["axis": .int(1)], name: "q_row\(t)"))
            diagonal.append(try b.node("Unsqueeze", [d, axis1], name: "q_diagonal\(t)"))
        }

        // Loop state: p [N, k] from 1/k, stopped [N] from false.
        let rowCount = try b.node("Slice", [try b.node("Shape", [r], name: "pair_prob_shape"), try b.initializer([Int64(0)], shape: [1], name: "shape_from0"),
                                            try b.initializer([Int64(1)], shape: [1], name: "shape_to1")], name: "row_count")
        let pShape = try b.node("Concat", [rowCount, try b.initializer([K], shape: [1], name: "class_count")], attributes: ["axis": .int(0)], name: "p_shape")
        let p0 = try b.node("Expand", [try f64([Double](repeating: 1.0 / Double(k), count: k), [1, K], "p_start"), pShape], name: "p_initial")
        let stopped0 = try b.node("Expand", [try b.initializer([false], shape: [1], name: "not_stopped"), rowCount], name: "stopped_initial")
        let eps = try f64([0.005 / Double(k)], [], "coupling_eps")
        let two = try f64([2], [], "two")
        let column = (0..<k).map { t in [Int64(t), Int64(t + 1)] }
        let onlyColumn = try (0..<k).map { t in try b.initializer((0..<k).map { $0 == t }, shape: [1, K], name: "only_column\(t)") }
        let colFrom = try column.map { try b.initializer([$0[0]], shape: [1], name: "column_from\($0[0])") }
        let colTo = try column.map { try b.initializer([$0[1]], shape: [1], name: "column_to\($0[0])") }

        let body = try b.subgraph(name: "coupling_iteration") { g in
            _ = try g.input("iteration", .int64, [])
            _ = try g.input("cond_in", .bool, [])
            let pIn = try g.input("p_in", .double, [.symbolic("N"), .fixed(K)])
            let stoppedIn = try g.input("stopped_in", .bool, [.symbolic("N")])
            func col(_ v: GraphBuilder.Value, _ t: Int, _ name: String) throws -> GraphBuilder.Value {
                try g.node("Slice", [v, colFrom[t], colTo[t], axis1], name: name)
            }
            // Qp = Σ_j Q[:, j]·p_j and pQp = Σ_t p_t·Qp_t, in libsvm's order.
            var qp: GraphBuilder.Value?
            for j in 0..<k {
                let term = try g.node("Mul", [rows[j], try col(pIn, j, "p\(j)")], name: "qp_term\(j)")
                qp = try qp.map { try g.node("Add", [$0, term], name: "qp_sum\(j)") } ?? term
            }
            var pqp: GraphBuilder.Value?
            for t in 0..<k {
                let term = try g.node("Mul", [try col(pIn, t, "p_for_pqp\(t)"), try col(qp!, t, "qp\(t)")], name: "pqp_term\(t)")
                pqp = try pqp.map { try g.node("Add", [$0, term], name: "pqp_sum\(t)") } ?? term
            }
            let maxError = try g.node("ReduceMax", [try g.node("Abs", [try g.node("Sub", [qp!, pqp!], name: "qp_error")], name: "qp_abs_error"), axis1],
                                      attributes: ["keepdims": .int(0)], name: "max_error")
            let stopped = try g.node("Or", [stoppedIn, try g.node("Less", [maxError, eps], name: "converged")], name: "stopped")
            var p = pIn, qpNow = qp!, pqpNow = pqp!
            for t in 0..<k {
                let qpT = try col(qpNow, t, "qp_before\(t)")
                let diff = try g.node("Div", [try g.node("Sub", [pqpNow, qpT], name: "gap\(t)"), diagonal[t]], name: "diff\(t)")
                let scale = try g.node("Add", [one, diff], name: "renormaliser\(t)")
                p = try g.node("Where", [onlyColumn[t], try g.node("Add", [p, diff], name: "p_stepped\(t)"), p], name: "p_updated\(t)")
                let grown = try g.node("Add", [pqpNow, try g.node("Mul", [diff, try g.node("Add", [try g.node("Mul", [diff, diagonal[t]], name: "diff_q\(t)"),
                                                                                                  try g.node("Mul", [two, qpT], name: "twice_qp\(t)")], name: "pqp_step_inner\(t)")], name: "pqp_step\(t)")],
                                        name: "pqp_grown\(t)")
                pqpNow = try g.node("Div", [try g.node("Div", [grown, scale], name: "pqp_once\(t)"), scale], name: "pqp_renormalised\(t)")
                qpNow = try g.node("Div", [try g.node("Add", [qpNow, try g.node("Mul", [diff, rows[t]], name: "qp_step\(t)")], name: "qp_grown\(t)"), scale], name: "qp_renormalised\(t)")
                p = try g.node("Div", [p, scale], name: "p_renormalised\(t)")
            }
            let keep = try g.node("Unsqueeze", [stopped, axis1], name: "stopped_column")
            let pOut = try g.node("Where", [keep, pIn, p], name: "p_next")
            let running = try g.node("ReduceSum", [try g.node("Cast", [try g.node("Not", [stopped], name: "running_rows")], attributes: ["to": .dataType(.int64)], name: "running_count_rows"),
                                                   try g.initializer([Int64(0)], shape: [1], name: "axis0")], attributes: ["keepdims": .int(0)], name: "running_count")
            try g.output(try g.node("Greater", [running, try g.initializer([Int64(0)], shape: [], name: "none_running")], name: "any_running"), name: "cond_out")
            try g.output(pOut, name: "p_out")
            try g.output(try g.node("Identity", [stopped], name: "stopped_copy"), name: "stopped_out")
        }
        let trips = try b.initializer([Int64(max(100, k))], shape: [], name: "coupling_max_iter")
        let loop = try b.node("Loop", [trips, try b.initializer([true], shape: [], name: "coupling_start"), p0, stopped0], outputCount: 2,
                              attributes: ["body": .graph(body)], name: "pairwise_coupling",
                              outputTypes: [.tensor(.double, [.symbolic("N"), .fixed(K)]), .tensor(.bool, [.symbolic("N")])])
        return dtype == .double ? loop[0] : try b.node("Cast", [loop[0]], attributes: ["to": .dataType(dtype)], name: "probabilities_cast")
    }
}
