import ONNX

/// A model prepared once and run many times.
///
/// ```swift
/// let session = try Session(model: model)
/// let out = try session.run(["x": .tensor(TensorValue(floats: [1, 2], shape: [1, 2]))])
/// ```
public final class Session: @unchecked Sendable {
    public let graph: PreparedGraph
    /// Versions the model imports, by normalized domain.
    public let opsets: [String: Int64]

    /// Resolves every node's implementation (failing on the first unsupported op) and
    /// converts the initializers.
    public init(model: Model, registry: OperatorRegistry = .standard) throws {
        var opsets: [String: Int64] = [:]
        for o in model.opsetImport { opsets[o.normalizedDomain] = o.version ?? 1 }
        if opsets[""] == nil, (model.irVersion ?? 0) < 3 { opsets[""] = 1 }
        self.opsets = opsets
        let functions = FunctionTable(model.functions, modelOpsets: opsets)
        graph = try PreparedGraph(model.graph ?? Graph(), opsets: opsets, registry: registry, outer: [], functions: functions)
    }

    /// Graph inputs the caller must feed (inputs with an initializer are optional).
    public var inputNames: [String] { graph.inputNames }
    public var outputNames: [String] { graph.outputNames }

    /// Runs the model; returns every graph output by name.
    public func run(_ feeds: [String: Value]) throws -> [String: Value] {
        let values = try graph.run(feeds: feeds)
        return Dictionary(zip(graph.outputNames, values), uniquingKeysWith: { a, _ in a })
    }

    /// Runs the model and records, for the tree op named `treeNode` (TreeEnsemble,
    /// TreeEnsembleRegressor or TreeEnsembleClassifier), which leaf every row reached in
    /// every tree, in the same pass. `leaves` is nil when no such node ran.
    public func run(_ feeds: [String: Value], tracingLeavesOf treeNode: String) throws -> (outputs: [String: Value], leaves: TreeLeafTrace?) {
        let request = TreeLeafTraceRequest(nodeName: treeNode)
        let values = try graph.run(feeds: feeds, trace: request)
        return (Dictionary(zip(graph.outputNames, values), uniquingKeysWith: { a, _ in a }), request.result)
    }

    /// Runs the model; returns the graph outputs in order.
    public func runOrdered(_ feeds: [String: Value]) throws -> [Value] {
        try graph.run(feeds: feeds)
    }
}
