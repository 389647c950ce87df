import ONNX
import PythonObjects

/// KernelPCA.transform (kernels rbf, linear, poly, sigmoid, cosine): the kernel between
/// the rows and the stored `X_fit_`, centred as its KernelCenterer does (minus the fit
/// rows' means, minus the row's mean, plus the fit's overall mean), times the
/// eigenvectors divided by the square roots of their non-zero eigenvalues. FastICA.transform:
/// `(x - mean_) · components_ᵀ` (without the centring when fitted with whiten=False).
struct SklearnDecompositions: SklearnGraphLowering {
    static let kernelPCA = "sklearn.decomposition._kernel_pca.KernelPCA"
    static let fastICA = "sklearn.decomposition._fastica.FastICA"
    var classNames: [String] { [Self.kernelPCA, Self.fastICA] }

    func addNodes(_ node: PyNode, to b: GraphBuilder, input x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        if node.className == Self.fastICA { return try fastICA(node, b, x, width: width, dtype: dtype) }
        let fitNode = try node.attribute("X_fit_")
        let fit = try fitNode.array(rank: 2)
        guard fit.shape.count == 2, fit.shape[1] == width else { throw SklearnError.invalid(path: fitNode.path, reason: "X_fit_ is not [M, \(width)]") }
        let m = fit.shape[0]
        let fitValues = try fitNode.doubles(rank: 2)
        let kernel = try node.attribute("kernel").string()
        let gamma = node.optionalAttribute("gamma_").flatMap { $0.isNone ? nil : try? $0.double() } ?? 1 / Double(width)
        let degree = Double((try? node.attribute("degree").double()) ?? 3)
        let coef0 = (try? node.attribute("coef0").double()) ?? 1
        let fitT = try b.floats(transpose(fitValues, m, width), shape: [Int64(width), Int64(m)], dtype: dtype, name: "X_fit_t")
        func scalar(_ v: Double, _ name: String) throws -> GraphBuilder.Value { try b.floats([v], shape: [], dtype: dtype, name: name) }
        var k: GraphBuilder.Value
        switch kernel {
        case "rbf":
            // exp(-gamma |x - y|²), from the differences (not |x|² + |y|² - 2x·y, which
            // cancels badly in float32).
            let rows = try b.node("Unsqueeze", [x, try b.initializer([Int64(1)], shape: [1], name: "kpca_axis1")], name: "kpca_rows")
            let diff = try b.node("Sub", [rows, try b.floats(fitValues, shape: [1, Int64(m), Int64(width)], dtype: dtype, name: "X_fit")], name: "kpca_diff")
            let sq = try b.node("ReduceSum", [try b.node("Mul", [diff, diff], name: "kpca_sq"), try b.initializer([Int64(2)], shape: [1], name: "kpca_axis2")],
                                attributes: ["keepdims": .int(0)], name: "kpca_distance")
            k = try b.node("Exp", [try b.node("Mul", [sq, try scalar(-gamma, "kpca_neg_gamma")], name: "kpca_scaled")], name: "kernel")
        case "linear":
            k = try b.node("MatMul", [x, fitT], name: "kernel")
        case "poly", "sigmoid":
            let dot = try b.node("MatMul", [x, fitT], name: "kpca_dot")
            let inner = try b.node("Add", [try b.node("Mul", [dot, try scalar(gamma, "kpca_gamma")], name: "kpca_gdot"), try scalar(coef0, "kpca_coef0")], name: "kpca_inner")
            k = kernel == "poly" ? try b.node("Pow", [inner, try scalar(degree, "kpca_degree")], name: "kernel") : try b.node("Tanh", [inner], name: "kernel")
        case "cosine":
            var norms = [Double](repeating: 0, count: m)
            for r in 0..<m { norms[r] = (0..<width).reduce(0) { $0 + fitValues[r * width + $1] * fitValues[r * width + $1] }.squareRoot() }
            var unit = fitValues
            for r in 0..<m where norms[r] > 0 { for c in 0..<width { unit[r * width + c] /= norms[r] } }
            let xn = try b.node("ReduceL2", [x, try b.initializer([Int64(1)], shape: [1], name: "kpca_norm_axis")], attributes: ["keepdims": .int(1)], name: "kpca_xnorm")
            let safe = try b.node("Where", [try b.node("Equal", [xn, try scalar(0, "kpca_zero")], name: "kpca_zero_row"), try scalar(1, "kpca_one"), xn], name: "kpca_safe_norm")
            k = try b.node("MatMul", [try b.node("Div", [x, safe], name: "kpca_unit"), try b.floats(transpose(unit, m, width), shape: [Int64(width), Int64(m)], dtype: dtype, name: "X_fit_unit_t")],
                           name: "kernel")
        default:
            throw SklearnError.invalid(path: node.path + ".kernel", reason: "KernelPCA kernel '\(kernel)' is not converted (rbf, linear, poly, sigmoid, cosine)")
        }
        // KernelCenterer.transform
        let centerer = try node.attribute("_centerer")
        let fitRows = try centerer.attribute("K_fit_rows_").doubles(rank: 1)
        let fitAll = try centerer.attribute("K_fit_all_").double()
        guard fitRows.count == m else { throw SklearnError.invalid(path: centerer.path + ".K_fit_rows_", reason: "\(fitRows.count) values for \(m) fit rows") }
        let rowMean = try b.node("ReduceMean", [k, try b.initializer([Int64(1)], shape: [1], name: "kpca_mean_axis")], attributes: ["keepdims": .int(1)], name: "kpca_row_mean")
        var centred = try b.node("Sub", [k, try b.floats(fitRows, shape: [Int64(m)], dtype: dtype, name: "K_fit_rows")], name: "kpca_minus_fit_rows")
        centred = try b.node("Add", [try b.node("Sub", [centred, rowMean], name: "kpca_minus_row"), try scalar(fitAll, "K_fit_all")], name: "kpca_centred")
        let vectorsNode = try node.attribute("eigenvectors_")
        let vectors = try vectorsNode.array(rank: 2)
        let values = try node.attribute("eigenvalues_").doubles(rank: 1)
        let c = vectors.shape.count == 2 ? vectors.shape[1] : 0
        guard vectors.shape.first == m, values.count == c else { throw SklearnError.invalid(path: vectorsNode.path, reason: "eigenvectors_ is not [\(m), \(values.count)]") }
        var alphas = try vectorsNode.doubles(rank: 2)
        for r in 0..<m { for j in 0..<c { alphas[r * c + j] = values[j] != 0 ? alphas[r * c + j] / values[j].squareRoot() : 0 } }
        let y = try b.node("MatMul", [centred, try b.floats(alphas, shape: [Int64(m), Int64(c)], dtype: dtype, name: "scaled_alphas")], name: "kpca_projection")
        return .transformed(y, width: c)
    }

    func fastICA(_ node: PyNode, _ b: GraphBuilder, _ x: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let compNode = try node.attribute("components_")
        let comp = try compNode.array(rank: 2)
        guard comp.shape.count == 2, comp.shape[1] == width else { throw SklearnError.invalid(path: compNode.path, reason: "components_ is not [K, \(width)]") }
        let k = comp.shape[0]
        var v = x
        var whiten = true
        if case .bool(let w)? = node.optionalAttribute("whiten")?.value { whiten = w }
        if case .string(let s)? = node.optionalAttribute("whiten")?.value { whiten = s != "False" }
        if whiten {
            let mean = try node.attribute("mean_").doubles(rank: 1)
            guard mean.count == width else { throw SklearnError.invalid(path: node.path + ".mean_", reason: "\(mean.count) means for \(width) columns") }
            v = try b.node("Sub", [v, try b.floats(mean, shape: [Int64(width)], dtype: dtype, name: "ica_mean")], name: "ica_centred")
        }
        let w = try b.floats(transpose(try compNode.doubles(rank: 2), k, width), shape: [Int64(width), Int64(k)], dtype: dtype, name: "ica_components_t")
        return .transformed(try b.node("MatMul", [v, w], name: "ica_sources"), width: k)
    }

    func transpose(_ a: [Double], _ rows: Int, _ cols: Int) -> [Double] {
        var out = [Double](repeating: 0, count: a.count)
        for r in 0..<rows { for c in 0..<cols { out[c * rows + r] = a[r * cols + c] } }
        return out
    }
}
