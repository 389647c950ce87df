import ONNX

/// Lowers a `TreeEnsembleModel` into an ONNX graph with `GraphBuilder`.
///
/// The tree op (`TreeEnsemble` at ai.onnx.ml 5, `TreeEnsembleRegressor` at ai.onnx.ml
/// 1 to 4) computes the raw margins with `post_transform` NONE and SUM; averaging,
/// base scores, the transform, probabilities and labels are standard ONNX ops after
/// it, so each is exact and in the right space. Thresholds are written with
/// `ThresholdRounding` so that every input value takes the source's branch.
///
/// Outputs (names in `OutputName`): regression `predictions` [N] (or [N, T]);
/// classification `label` [N] (int64 or string) and `probabilities` [N, C], plus
/// `output_probability` (ZipMap: a sequence of maps) with `Options.zipMap`; scores
/// models `scores` [N] (or [N, T]). Probabilities and predictions have the input's
/// element type.
public enum TreeEnsembleLowering {
    /// The element type of the graph input.
    public enum InputType: Sendable, Equatable {
        /// float32 (the default; what XGBoost reads, and what most runtimes feed).
        case float32
        /// float64: thresholds stay float64 (TreeEnsemble at ai.onnx.ml 5, or the
        /// `*_as_tensor` attributes at ai.onnx.ml 3 and 4).
        case float64

        /// The ONNX element type.
        public var dataType: DataType { self == .float32 ? .float : .double }
    }

    /// What to build.
    public struct Options: Sendable, Equatable {
        /// The ai.onnx opset (9 ... 28; default 21).
        public var opset: Int64
        /// The ai.onnx.ml opset: 5 gives `TreeEnsemble`, 1 ... 4 `TreeEnsembleRegressor`.
        public var mlOpset: Int64
        /// The input's element type.
        public var inputType: InputType
        /// The graph input's name.
        public var inputName: String
        /// Also output `output_probability`, a ZipMap of the probabilities (classifiers only).
        public var zipMap: Bool
        /// The model's producer name.
        public var producerName: String
        /// The model's producer version.
        public var producerVersion: String?

        /// Options; every argument has the default described on its property.
        public init(opset: Int64 = 21, mlOpset: Int64 = 5, inputType: InputType = .float32, inputName: String = "input",
                    zipMap: Bool = false, producerName: String = "onnx-convert", producerVersion: String? = nil) {
            self.opset = opset
            self.mlOpset = mlOpset
            self.inputType = inputType
            self.inputName = inputName
            self.zipMap = zipMap
            self.producerName = producerName
            self.producerVersion = producerVersion
        }
    }

    /// The graph output names.
    public enum OutputName {
        /// Regression predictions.
        public static let predictions = "predictions"
        /// Classifier labels.
        public static let label = "label"
        /// Classifier probabilities.
        public static let probabilities = "probabilities"
        /// The ZipMap of the probabilities.
        public static let probabilityMap = "output_probability"
        /// Raw or ranking scores.
        public static let scores = "scores"
    }

    /// The name of the tree op node that computes the margins (verification finds it by
    /// this name).
    public static let treeNodeName = "tree_ensemble"
    /// The name of the tree op that evaluates categorical splits at ai.onnx.ml 1 ... 4.
    public static let membershipNodeName = "categorical_membership"

    /// The values `addNodes` made; the ones the task has are set.
    public struct Outputs {
        /// Regression predictions [N] or [N, T].
        public var predictions: GraphBuilder.Value?
        /// Classifier labels [N].
        public var label: GraphBuilder.Value?
        /// Classifier probabilities [N, C].
        public var probabilities: GraphBuilder.Value?
        /// ZipMap of the probabilities (with `Options.zipMap`).
        public var probabilityMap: GraphBuilder.Value?
        /// Scores [N] or [N, T].
        public var scores: GraphBuilder.Value?
        /// The margins after averaging and base scores, [N, marginCount].
        public var margins: GraphBuilder.Value
    }

    /// One tree of the emitted tree op, in order.
    public struct EmittedTree: Sendable, Equatable {
        /// The IR tree it comes from (nil for the placeholder of a model without trees).
        public var sourceTree: Int?
        /// The column its leaves add to, when it is one column of a vector-leaf tree
        /// (ai.onnx.ml 5 splits such trees into one tree per column).
        public var column: Int?

        /// An emitted tree.
        public init(sourceTree: Int?, column: Int?) {
            self.sourceTree = sourceTree
            self.column = column
        }
    }

    // MARK: - Entry points

    /// Lowers the model into a complete ONNX model: one input `[N, featureCount]`, the
    /// outputs of its task.
    ///
    /// - Throws: `TreeEnsembleError` when the model is invalid or the options cannot be
    ///   met (float64 input below ai.onnx.ml 3, an opset below 9); `GraphBuilderError`
    ///   for opsets the builder does not know.
    /// - Parameter progress: called with (trees emitted, trees in all) as each tree is written.
    public static func lower(_ model: TreeEnsembleModel, options: Options = Options(),
                             progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> Model {
        let b = try GraphBuilder(graphName: "tree_ensemble", opsets: [Domain.onnx: options.opset, Domain.ml: options.mlOpset])
        let dtype = options.inputType.dataType
        let x = try b.input(options.inputName, dtype, [.symbolic("N"), .fixed(Int64(model.featureCount))])
        let out = try addNodes(for: model, to: b, input: x, zipMap: options.zipMap, progress: progress)
        let n = ShapeDimension.symbolic("N")
        func columns(_ k: Int) -> [ShapeDimension] { k == 1 ? [n] : [n, .fixed(Int64(k))] }
        if let p = out.predictions { try b.output(p, name: OutputName.predictions, type: .tensor(dtype, columns(model.marginCount))) }
        if let s = out.scores { try b.output(s, name: OutputName.scores, type: .tensor(dtype, columns(model.marginCount))) }
        if let l = out.label {
            let labelType: DataType = { if case .classification(.strings) = model.task { return .string } else { return .int64 } }()
            try b.output(l, name: OutputName.label, type: .tensor(labelType, [n]))
        }
        if let p = out.probabilities {
            try b.output(p, name: OutputName.probabilities, type: .tensor(dtype, [n, .fixed(Int64(model.outputColumnCount))]))
        }
        if let z = out.probabilityMap { try b.output(z, name: OutputName.probabilityMap) }
        return try b.makeModel(producerName: options.producerName, producerVersion: options.producerVersion,
                               docString: "tree ensemble: \(model.trees.count) trees, \(model.featureCount) features")
    }

    /// Adds the nodes that compute the model from `input` (a float or double tensor
    /// [N, featureCount]) to a builder, without declaring graph outputs; for pipelines
    /// that feed the trees from earlier nodes. The builder's ai.onnx and ai.onnx.ml
    /// opsets choose the ops.
    ///
    /// - Parameters:
    ///   - zipMap: also make the ZipMap of the probabilities (classifiers).
    ///   - progress: called with (trees emitted, trees in all) as each tree is written.
    /// - Throws: as `lower`.
    public static func addNodes(for model: TreeEnsembleModel, to b: GraphBuilder, input x: GraphBuilder.Value,
                                zipMap: Bool = false, progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> Outputs {
        let structures = try model.validatedStructures()
        let opset = b.opsets[Domain.onnx] ?? 21
        let ml = b.opsets[Domain.ml] ?? 5
        guard opset >= 9 else {
            throw TreeEnsembleError.unsupportedLowering(option: "opset", reason: "ai.onnx opset \(opset) is below 9, the lowest the lowering uses (Where, Less, Reshape)")
        }
        guard (1...5).contains(ml) else {
            throw TreeEnsembleError.unsupportedLowering(option: "ml-opset", reason: "ai.onnx.ml opset \(ml) is not in 1...5")
        }
        let inputType: InputType
        switch x.elementType {
        case .float?: inputType = .float32
        case .double?: inputType = .float64
        default:
            throw TreeEnsembleError.unsupportedLowering(option: "dtype", reason: "the input is \(x.elementType.map { "\($0)" } ?? "of unknown type"); the trees read float32 or float64")
        }
        if inputType == .float64 && ml < 3 {
            throw TreeEnsembleError.unsupportedLowering(option: "dtype", reason: "float64 thresholds need ai.onnx.ml 3 or later (nodes_values_as_tensor); ai.onnx.ml \(ml) has float32 thresholds only, which cannot make float64 decisions")
        }
        var e = Emitter(model: model, structures: structures, b: b, inputType: inputType, ml: ml)
        e.progress = progress
        let rewritten = try InputRewriteLowering.lower(model, input: x, builder: b, inputType: inputType)
        return try e.emit(input: rewritten, zipMap: zipMap)
    }

    /// The trees of the emitted tree op, in order, mapped to the IR trees: at
    /// ai.onnx.ml 5 a vector-leaf tree becomes one tree per column; a model without
    /// trees gets one placeholder tree.
    ///
    /// - Throws: the model's validation errors.
    public static func emittedTrees(for model: TreeEnsembleModel, mlOpset: Int64) throws -> [EmittedTree] {
        emittedTrees(for: model, structures: try model.validatedStructures(), mlOpset: mlOpset)
    }

    static func emittedTrees(for model: TreeEnsembleModel, structures: [TreeStructure], mlOpset: Int64) -> [EmittedTree] {
        var out: [EmittedTree] = []
        for t in model.trees.indices {
            let s = structures[t]
            if s.vectorLeaves && mlOpset >= 5 {
                for c in 0..<model.marginCount { out.append(EmittedTree(sourceTree: t, column: c)) }
            } else {
                out.append(EmittedTree(sourceTree: t, column: nil))
            }
        }
        if out.isEmpty { out.append(EmittedTree(sourceTree: nil, column: nil)) }
        return out
    }
}

extension TreeEnsembleModel {
    /// The nodes of tree `t` reachable from its root, in preorder (`yes` before `no`):
    /// the order the lowering writes them in.
    ///
    /// - Throws: the tree's validation errors.
    public func reachableNodes(ofTree t: Int) throws -> [Int] {
        guard trees.indices.contains(t) else { throw TreeEnsembleError.emptyTree(tree: t) }
        if let known = structureMemo.value { return known[t].preorder }
        return try structure(ofTree: t).preorder
    }
}
