import ONNX
import PythonObjects

/// NMF.transform with the coordinate-descent solver: W solves the non-negative least
/// squares problem X ≈ W·H for the fixed H = `components_`, as `_fit_coordinate_descent`
/// does with `update_H=False`. W starts at zero; each iteration sweeps the components in
/// order (shuffle=False), updating every row's W[:, t] from the gradient
/// `W·HHᵀ[:, t] − (X·Hᵀ)[:, t]` (summed in scikit-learn's order) divided by `HHᵀ[t, t]`,
/// clipped at zero, with alpha_W's L1 part taken off X·Hᵀ and its L2 part added to the
/// diagonal of HHᵀ. The sweeps stop, as in scikit-learn, when the projected gradient's
/// total over the whole batch falls to `tol` times the first iteration's, or after
/// `max_iter`: the stop depends on every row of the batch, as it does in scikit-learn.
/// Computed in float64 (scikit-learn solves in the dtype of components_) and cast to the
/// graph's float type. The 'mu' solver and shuffle=True are refused.
struct SklearnNMF: SklearnGraphLowering {
    static let nmf = "sklearn.decomposition._nmf.NMF"
    var classNames: [String] { [Self.nmf] }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let solver = try node.attribute("solver").string()
        guard solver == "cd" else {
            throw SklearnError.invalid(path: node.path + ".solver", reason: "NMF solver '\(solver)' is not converted (only 'cd', the coordinate-descent solver)")
        }
        if let shuffle = node.optionalAttribute("shuffle"), try shuffle.int() != 0 {
            throw SklearnError.invalid(path: node.path + ".shuffle", reason: "NMF with shuffle=True draws a new order of components per iteration from its random state; only shuffle=False is converted")
        }
        let hNode = try node.attribute("components_")
        let hShape = try hNode.array(rank: 2).shape
        guard hShape.count == 2, hShape[1] == width, hShape[0] >= 1 else {
            throw SklearnError.invalid(path: hNode.path, reason: "components_ is \(hShape), not [K, \(width)]")
        }
        let k = hShape[0], K = Int64(k)
        let h = try hNode.doubles(rank: 2)
        let maxIter = try node.attribute("max_iter").int()
        let tol = try node.attribute("tol").double()
        guard maxIter >= 0 else { throw SklearnError.invalid(path: node.path + ".max_iter", reason: "max_iter \(maxIter) is negative") }
        // _compute_regularization, evaluated left to right as Python does.
        let alphaW = try node.optionalAttribute("alpha_W")?.double() ?? 0
        let l1Ratio = try node.optionalAttribute("l1_ratio")?.double() ?? 0
        let l1 = Double(width) * alphaW * l1Ratio
        let l2 = Double(width) * alphaW * (1.0 - l1Ratio)

        // HHᵀ (with the L2 penalty on its diagonal) is a constant: its entries become
        // scalars of the sweep.
        var hht = [Double](repeating: 0, count: k * k)
        for t in 0..<k {
            for r in 0..<k {
                var s = 0.0
                for f in 0..<width { s += h[t * width + f] * h[r * width + f] }
                hht[t * k + r] = s
            }
            hht[t * k + t] += l2
        }
        var ht = [Double](repeating: 0, count: width * k)
        for t in 0..<k { for f in 0..<width { ht[f * k + t] = h[t * width + f] } }
        func f64(_ v: Double, _ name: String) throws -> GraphBuilder.Value { try b.initializer([v], shape: [], name: name) }

        let xd = dtype == .double ? x : try b.node("Cast", [x], attributes: ["to": .dataType(.double)], name: "nmf_input_double")
        var xht = try b.node("MatMul", [xd, try b.initializer(ht, shape: [Int64(width), K], name: "nmf_components_t")], name: "nmf_xht")
        if l1 != 0 { xht = try b.node("Sub", [xht, try f64(l1, "nmf_l1")], name: "nmf_xht_l1") }
        let axis1 = try b.initializer([Int64(1)], shape: [1], name: "nmf_axis1")
        let negXht = try (0..<k).map { t in
            try b.node("Neg", [try b.node("Slice", [xht, try b.initializer([Int64(t)], shape: [1], name: "nmf_from\(t)"),
                                                    try b.initializer([Int64(t + 1)], shape: [1], name: "nmf_to\(t)"), axis1], name: "nmf_xht\(t)")],
                       name: "nmf_grad_start\(t)")
        }
        let zero = try f64(0, "nmf_zero")
        let hhtScalars = try (0..<k).map { t in try (0..<k).map { r in try f64(hht[t * k + r], "nmf_hht_\(t)_\(r)") } }
        let tolValue = try f64(tol, "nmf_tol")
        let w0 = try b.node("Expand", [zero, try b.node("Shape", [negXht[0]], name: "nmf_column_shape")], name: "nmf_w_start")

        let body = try b.subgraph(name: "nmf_sweep") { g in
            let iteration = try g.input("iteration", .int64, [])
            _ = try g.input("cond_in", .bool, [])
            var w = try (0..<k).map { t in try g.input("w\(t)_in", .double, [.symbolic("N"), .fixed(1)]) }
            let initialIn = try g.input("violation_init_in", .double, [])
            var violation: GraphBuilder.Value?
            for t in 0..<k {
                // grad = -XHt[:, t] + Σ_r HHt[t, r]·W[:, r], r in order, rows before t already updated.
                var grad = negXht[t]
                for r in 0..<k { grad = try g.node("Add", [grad, try g.node("Mul", [hhtScalars[t][r], w[r]], name: "nmf_term\(t)_\(r)")], name: "nmf_grad\(t)_\(r)") }
                let atZero = try g.node("Equal", [w[t], zero], name: "nmf_at_zero\(t)")
                let projected = try g.node("Where", [atZero, try g.node("Min", [grad, zero], name: "nmf_grad_min\(t)"), grad], name: "nmf_projected\(t)")
                let part = try g.node("ReduceSum", [try g.node("Abs", [projected], name: "nmf_abs\(t)")], attributes: ["keepdims": .int(0)], name: "nmf_violation\(t)")
                violation = try violation.map { try g.node("Add", [$0, part], name: "nmf_violation_sum\(t)") } ?? part
                if hht[t * k + t] != 0 {
                    let stepped = try g.node("Sub", [w[t], try g.node("Div", [grad, hhtScalars[t][t]], name: "nmf_step\(t)")], name: "nmf_stepped\(t)")
                    w[t] = try g.node("Max", [stepped, zero], name: "nmf_w\(t)")
                }
            }
            let first = try g.node("Equal", [iteration, try g.initializer([Int64(0)], shape: [], name: "nmf_first_iteration")], name: "nmf_is_first")
            let initial = try g.node("Where", [first, violation!, initialIn], name: "nmf_violation_init")
            let stop = try g.node("Or", [try g.node("Equal", [initial, zero], name: "nmf_no_violation"),
                                         try g.node("LessOrEqual", [try g.node("Div", [violation!, initial], name: "nmf_ratio"), tolValue], name: "nmf_converged")],
                                  name: "nmf_stop")
            try g.output(try g.node("Not", [stop], name: "nmf_go_on"), name: "cond_out")
            for t in 0..<k { try g.output(try g.node("Identity", [w[t]], name: "nmf_w\(t)_copy"), name: "w\(t)_out") }
            try g.output(initial, name: "violation_init_out")
        }
        let loop = try b.node("Loop", [try b.initializer([Int64(maxIter)], shape: [], name: "nmf_max_iter"), try b.initializer([true], shape: [], name: "nmf_start")]
                                      + [GraphBuilder.Value](repeating: w0, count: k) + [zero],
                              outputCount: k + 1, attributes: ["body": .graph(body)], name: "nmf_coordinate_descent",
                              outputTypes: [TypeProto?](repeating: .tensor(.double, [.symbolic("N"), .fixed(1)]), count: k) + [.tensor(.double, [])])
        let wMatrix = k == 1 ? loop[0] : try b.node("Concat", Array(loop[0..<k]), attributes: ["axis": .int(1)], name: "nmf_w")
        let y = dtype == .double ? wMatrix : try b.node("Cast", [wMatrix], attributes: ["to": .dataType(dtype)], name: "nmf_w_cast")
        return .transformed(y, width: k)
    }
}
