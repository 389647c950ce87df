/// Builds an ONNX graph node by node, checking every node against the operator schema
/// at the target opset and inferring output types and shapes as it goes.
///
/// ```swift
/// let b = GraphBuilder()                                   // ai.onnx 21, ai.onnx.ml 5
/// let x = try b.input("x", .float, [.symbolic("batch"), .fixed(4)])
/// let w = try b.initializer([Float](repeating: 0.5, count: 12), shape: [4, 3], name: "W")
/// let c = try b.initializer([Float](repeating: 0, count: 3), name: "b")
/// let h = try b.node("Gemm", [x, w, c])                    // float [batch, 3]
/// try b.output(try b.node("Relu", [h]), name: "y")
/// let model = try b.makeModel(producerName: "my-exporter")
/// ```
///
/// Names are unique across the model (subgraphs included): a name hint that is taken
/// gets a `_1`, `_2`, ... suffix. Graph input and output names are never changed; a
/// taken one is an error. The same calls always give the same `Model`.
///
/// A builder is a reference type and is not thread-safe; build one graph per task.
public final class GraphBuilder {
    /// A handle to a value (graph input, initializer, node output) of this builder or
    /// of an enclosing one.
    ///
    /// `type` is what the builder knew when it made the handle: the declared type of an
    /// input or initializer, or the inferred (or caller-given) type of a node output.
    public struct Value: Hashable, Sendable, CustomStringConvertible {
        /// The value's name in the graph.
        public let name: String
        /// The value's type, when known.
        public let type: TypeProto?
        let scope: ScopeToken

        init(name: String, type: TypeProto?, scope: ScopeToken) {
            self.name = name
            self.type = type
            self.scope = scope
        }

        /// The element type, for a tensor value whose element type is known.
        public var elementType: DataType? { type?.tensorElementType }
        /// The dims, for a tensor value whose shape is known.
        public var shape: [ShapeDimension]? { type?.tensorShape?.dims }
        /// The rank, for a tensor value whose shape is known.
        public var rank: Int? { shape?.count }

        /// Values are equal when they are the same value of the same builder.
        public static func == (a: Value, b: Value) -> Bool {
            a.name == b.name && a.scope === b.scope && a.type == b.type
        }

        /// Hashes the name and the owning builder.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            hasher.combine(ObjectIdentifier(scope))
        }

        /// `name: type`.
        public var description: String { "\(name): \(type?.description ?? "?")" }
    }

    /// Opset versions used when the caller does not say: ai.onnx 21, ai.onnx.ml 5
    /// (onnx 1.16, IR version 10).
    public static let defaultOpsets: [String: Int64] = [Domain.onnx: 21, Domain.ml: 5]

    /// The graph's name (`GraphProto.name`).
    public let graphName: String

    /// The target opset version of every domain this builder may use (the default
    /// domain is spelled `""`).
    public var opsets: [String: Int64] { context.opsets }

    /// True for builders made by `subgraph(name:_:)`.
    public var isSubgraph: Bool { parent != nil }

    let context: BuilderContext
    let parent: GraphBuilder?
    let token = ScopeToken()

    enum ValueKind: Hashable {
        case input
        case initializer
        /// Output `slot` of `nodes[node]`.
        case nodeOutput(node: Int, slot: Int)
    }

    var nodes: [Node] = []
    var graphInputs: [ValueInfo] = []
    var graphOutputs: [ValueInfo] = []
    var initializers: [Tensor] = []
    /// Every value defined in this graph, in creation order (for value_info).
    var definedOrder: [String] = []
    var kinds: [String: ValueKind] = [:]
    var types: [String: TypeProto] = [:]
    /// Known element data: initializers and Constant node outputs.
    var constants: [String: Tensor] = [:]
    /// Initializers by content (name cleared) for deduplication.
    var initializerByContent: [Tensor: String] = [:]
    /// Constant nodes by content (name cleared) for deduplication.
    var constantByContent: [Tensor: String] = [:]
    /// Names that `output` renamed in place: old name → new name.
    var aliases: [String: String] = [:]
    /// Values of this graph that a subgraph refers to (they must keep their name).
    var captured: Set<String> = []
    var outputNameSet: Set<String> = []

    /// A builder targeting `defaultOpsets`.
    ///
    /// - Parameter graphName: the graph's name.
    public init(graphName: String = "main") {
        self.context = BuilderContext(opsets: Self.defaultOpsets)
        self.parent = nil
        self.graphName = graphName
        context.graphNames.insert(graphName)
    }

    /// A builder targeting the given opsets.
    ///
    /// - Parameters:
    ///   - graphName: the graph's name.
    ///   - opsets: domain → opset version. Entries replace `defaultOpsets` entries
    ///     (`""` and `"ai.onnx"` both mean the default domain); a custom domain must be
    ///     listed here before a node uses it.
    /// - Throws: `GraphBuilderError.unsupportedOpset` for a version outside what the
    ///   operator tables know (ai.onnx 1...28, ai.onnx.ml 1...5), or below 1.
    public init(graphName: String = "main", opsets: [String: Int64]) throws {
        var merged = Self.defaultOpsets
        // Sorted so that "ai.onnx" and "" given together resolve the same way every time.
        for (d, v) in opsets.sorted(by: { $0.key < $1.key }) {
            let nd = Domain.normalize(d)
            let range = ONNXReleaseTable.supportedVersions(domain: nd) ?? 1...Int64.max
            guard range.contains(v) else { throw GraphBuilderError.unsupportedOpset(domain: nd, version: v, supported: range) }
            merged[nd] = v
        }
        self.context = BuilderContext(opsets: merged)
        self.parent = nil
        self.graphName = graphName
        context.graphNames.insert(graphName)
    }

    init(subgraphOf parent: GraphBuilder, name: String) {
        self.context = parent.context
        self.parent = parent
        self.graphName = name
    }

    // MARK: - Graph inputs

    /// Declares a tensor graph input.
    ///
    /// - Parameters:
    ///   - name: the input's name, used as-is (callers feed it by this name).
    ///   - elementType: the element type.
    ///   - dims: the shape, e.g. `[.symbolic("batch"), .fixed(4)]`; nil for unknown rank.
    /// - Returns: the input's handle.
    /// - Throws: `GraphBuilderError.duplicateName` when the name is taken,
    ///   `.emptyName` for "".
    public func input(_ name: String, _ elementType: DataType, _ dims: [ShapeDimension]?) throws -> Value {
        try input(name, type: .tensor(elementType, dims))
    }

    /// Declares a graph input of any type (tensor, sequence, map, optional).
    ///
    /// - Throws: as `input(_:_:_:)`.
    public func input(_ name: String, type: TypeProto) throws -> Value {
        guard !name.isEmpty else { throw GraphBuilderError.emptyName(what: "a graph input") }
        guard !context.valueNames.contains(name) else { throw GraphBuilderError.duplicateName(name: name) }
        context.valueNames.insert(name)
        define(name, kind: .input, type: type)
        graphInputs.append(ValueInfo(name: name, type: type))
        return Value(name: name, type: type, scope: token)
    }

    // MARK: - Initializers and constants

    /// Adds an initializer holding `values` in `raw_data` (little-endian).
    ///
    /// An initializer identical to an earlier one of this builder or an enclosing one
    /// (same element type, dims and bytes) is not added again: the earlier value is
    /// returned, whatever `name` says.
    ///
    /// - Parameters:
    ///   - values: the elements, row-major.
    ///   - shape: the dims; nil means `[values.count]`; `[]` is a scalar.
    ///   - name: a name hint (default `init`); made unique with a suffix if taken.
    /// - Throws: `GraphBuilderError.tensorShapeMismatch`.
    public func initializer<T: TensorLiteralElement>(_ values: [T], shape: [Int64]? = nil, name: String? = nil) throws -> Value {
        try initializer(try Self.makeTensor(values, shape: shape), name: name)
    }

    /// Adds a string initializer (`string_data`), deduplicated as numeric ones are.
    ///
    /// - Throws: `GraphBuilderError.tensorShapeMismatch`.
    public func initializer(strings values: [String], shape: [Int64]? = nil, name: String? = nil) throws -> Value {
        try initializer(try Self.makeTensor(strings: values, shape: shape), name: name)
    }

    /// Adds a prepared tensor as an initializer. Its own name is the hint when `name`
    /// is nil; the stored tensor gets the final unique name.
    ///
    /// - Throws: `GraphBuilderError.tensorShapeMismatch` when the tensor's typed data
    ///   or raw data does not fit its dims (only checked for raw data and typed fields
    ///   that the toolkit can count).
    public func initializer(_ tensor: Tensor, name: String? = nil) throws -> Value {
        try Self.validateTensor(tensor)
        var key = tensor
        key.name = nil
        var b: GraphBuilder? = self
        while let cur = b {
            if let existing = cur.initializerByContent[key] {
                if cur !== self { cur.captured.insert(existing) }
                return Value(name: existing, type: cur.types[existing], scope: cur.token)
            }
            b = cur.parent
        }
        let hint = name ?? tensor.name ?? "init"
        let final = context.unique(hint.isEmpty ? "init" : hint, in: .value)
        var stored = tensor
        stored.name = final
        let type = TypeProto.tensor(tensor.dataType ?? .undefined, tensor.dims.map { ShapeDimension.fixed($0) })
        define(final, kind: .initializer, type: type)
        constants[final] = stored
        initializers.append(stored)
        initializerByContent[key] = final
        return Value(name: final, type: type, scope: token)
    }

    /// Adds a scalar initializer (dims `[]`).
    ///
    /// - Throws: never in practice; declared for symmetry with `initializer`.
    public func scalar<T: TensorLiteralElement>(_ value: T, name: String? = nil) throws -> Value {
        try initializer([value], shape: [], name: name)
    }

    /// Adds a `Constant` node whose `value` attribute holds `values` (little-endian raw
    /// data). Identical constants in the same graph share one node.
    ///
    /// Use constants rather than initializers when a subgraph body must be
    /// self-contained; otherwise initializers are the usual choice.
    ///
    /// - Throws: `GraphBuilderError.tensorShapeMismatch`, or the schema errors of
    ///   `node` (Constant exists at every opset).
    public func constant<T: TensorLiteralElement>(_ values: [T], shape: [Int64]? = nil, name: String? = nil) throws -> Value {
        try constant(try Self.makeTensor(values, shape: shape), name: name)
    }

    /// Adds a `Constant` node holding a prepared tensor (its name is dropped; the node
    /// output carries the name).
    ///
    /// - Throws: as `constant(_:shape:name:)`.
    public func constant(_ tensor: Tensor, name: String? = nil) throws -> Value {
        try Self.validateTensor(tensor)
        var key = tensor
        key.name = nil
        if let existing = constantByContent[key] {
            return Value(name: existing, type: types[existing], scope: token)
        }
        let v = try node("Constant", [], attributes: ["value": .tensor(key)], name: name ?? "Constant", outputName: name)
        constantByContent[key] = v.name
        return v
    }

    /// Rejects tensors whose stored elements do not fit their dims.
    static func validateTensor(_ t: Tensor) throws {
        if t.isExternal { return }
        guard let n = t.elementCount else {
            throw GraphBuilderError.tensorShapeMismatch(name: t.name, elementCount: t.typedValueCount, dims: t.dims)
        }
        guard let type = t.dataType, type.isKnown else { return }
        if let raw = t.rawData {
            if let need = type.rawByteCount(elements: n), raw.count != need, let bits = type.bitWidth {
                throw GraphBuilderError.tensorShapeMismatch(name: t.name, elementCount: raw.count * 8 / bits, dims: t.dims)
            }
        } else {
            if let need = type.typedValueCount(elements: n), t.typedValueCount != need {
                throw GraphBuilderError.tensorShapeMismatch(name: t.name, elementCount: t.typedValueCount, dims: t.dims)
            }
        }
    }

    // MARK: - Nodes

    /// Adds a node with one output.
    ///
    /// - Parameters:
    ///   - opType: the operator (`"Gemm"`, `"TreeEnsemble"`, ...).
    ///   - inputs: the inputs in schema order; nil skips an optional input (trailing
    ///     nils are dropped, interior ones are written as the empty name).
    ///   - attributes: attribute values; written sorted by name.
    ///   - domain: the operator's domain (`""`/`"ai.onnx"` default, `"ai.onnx.ml"`, or a
    ///     custom domain declared in `opsets`).
    ///   - name: a node name hint (default: the op type).
    ///   - outputName: an output name hint (default: `<node>_<formal output name>`).
    ///   - outputType: the output type to record; overrides inference. Needed for ops
    ///     the builder cannot infer (custom domains) when the value is a graph output.
    /// - Returns: the output's handle, with its inferred type.
    /// - Throws: `GraphBuilderError` when the op is unknown or deprecated at the target
    ///   opset, the inputs or attributes do not fit its schema, or shape inference finds
    ///   the inputs incompatible.
    @discardableResult
    public func node(
        _ opType: String, _ inputs: [Value?], attributes: [String: AttributeValue] = [:],
        domain: String = Domain.onnx, name: String? = nil, outputName: String? = nil, outputType: TypeProto? = nil
    ) throws -> Value {
        let outs = try addNode(
            opType, inputs, outputCount: 1, attributes: attributes, domain: domain, name: name,
            outputNames: outputName.map { [$0] }, outputTypes: outputType.map { [$0] })
        guard let first = outs.first else { throw GraphBuilderError.outputCountMismatch(op: opType, node: name ?? opType, opset: 0, requested: 1, min: 1, max: 1) }
        return first
    }

    /// Adds a node with `outputCount` outputs (LinearClassifier's label and scores,
    /// TopK's values and indices, Split's parts, If/Loop results, ...).
    ///
    /// - Parameters:
    ///   - outputCount: how many outputs to create (within the schema's range).
    ///   - outputNames: output name hints by position.
    ///   - outputTypes: output types by position (nil entries: inferred); they override
    ///     inference.
    ///   - the others: as in `node(_:_:attributes:domain:name:outputName:outputType:)`.
    /// - Returns: the outputs' handles, in order.
    /// - Throws: as the single-output variant.
    @discardableResult
    public func node(
        _ opType: String, _ inputs: [Value?], outputCount: Int, attributes: [String: AttributeValue] = [:],
        domain: String = Domain.onnx, name: String? = nil, outputNames: [String]? = nil, outputTypes: [TypeProto?]? = nil
    ) throws -> [Value] {
        try addNode(
            opType, inputs, outputCount: outputCount, attributes: attributes, domain: domain, name: name,
            outputNames: outputNames, outputTypes: outputTypes)
    }

    func addNode(
        _ opType: String, _ rawInputs: [Value?], outputCount: Int, attributes: [String: AttributeValue],
        domain: String, name: String?, outputNames: [String]?, outputTypes: [TypeProto?]?
    ) throws -> [Value] {
        let d = Domain.normalize(domain)
        let label = (name?.isEmpty == false ? name : nil) ?? opType
        guard !opType.isEmpty else { throw GraphBuilderError.emptyName(what: "a node's op type") }
        guard let opset = context.opsets[d] else { throw GraphBuilderError.undeclaredDomain(op: opType, domain: d, node: label) }

        var inputs = rawInputs
        while let last = inputs.last, last == nil { inputs.removeLast() }
        var resolved: [Resolved?] = []
        for v in inputs { resolved.append(try v.map { try resolve($0, node: label) }) }

        var schema: OpSchema?
        if OpSchemaRegistry.knowsDomain(d) {
            guard let s = OpSchemaRegistry.schema(domain: d, name: opType, version: opset) else {
                let since = OpSchemaRegistry.versions(domain: d, name: opType).first { $0.sinceVersion > opset }?.sinceVersion
                throw GraphBuilderError.unknownOperator(op: opType, domain: d, opset: opset, availableSince: since, node: label)
            }
            if s.deprecated {
                throw GraphBuilderError.deprecatedOperator(op: opType, domain: d, opset: opset, deprecatedSince: s.sinceVersion, node: label)
            }
            try Self.check(schema: s, opset: opset, node: label, inputs: resolved, outputCount: outputCount, attributes: attributes)
            schema = s
        } else if outputCount < 1 {
            throw GraphBuilderError.outputCountMismatch(op: opType, node: label, opset: opset, requested: outputCount, min: 1, max: nil)
        }

        // Subgraphs: their domains must be declared, and the outer values they use keep their names.
        var subgraphDomains: Set<String> = []
        for (_, value) in attributes.sorted(by: { $0.key < $1.key }) {
            for g in value.graphValues {
                try collect(graph: g, domains: &subgraphDomains, node: label)
            }
        }

        var outTypes: [TypeProto?]
        if schema != nil {
            let ctx = NodeInference(
                op: opType, domain: d, opset: opset, node: label,
                inputTypes: resolved.map { $0?.type }, present: resolved.map { $0 != nil },
                constants: resolved.map { $0?.constant }, attributes: attributes, outputCount: outputCount)
            outTypes = try ctx.infer()
        } else {
            outTypes = Array(repeating: nil, count: outputCount)
        }
        for (i, t) in (outputTypes ?? []).enumerated() where i < outTypes.count {
            if let t { outTypes[i] = t }
        }

        // Everything is valid: reserve names and record the node.
        let nodeName = context.unique(label, in: .node)
        var outNames: [String] = []
        for i in 0..<outputCount {
            let hint = outputNames.flatMap { i < $0.count && !$0[i].isEmpty ? $0[i] : nil }
                ?? "\(nodeName)_\(Self.formalOutputName(schema, index: i, count: outputCount))"
            outNames.append(context.unique(hint, in: .value))
        }
        let attrs = attributes.keys.sorted().compactMap { k in attributes[k].map { Attribute(name: k, value: $0.irValue) } }
        let n = Node(
            opType: opType, domain: d.isEmpty ? nil : d, input: resolved.map { $0?.name ?? "" },
            output: outNames, name: nodeName, attribute: attrs)
        let index = nodes.count
        nodes.append(n)
        context.usedDomains.insert(d)
        context.usedDomains.formUnion(subgraphDomains)

        var result: [Value] = []
        for (slot, out) in outNames.enumerated() {
            define(out, kind: .nodeOutput(node: index, slot: slot), type: outTypes[slot])
            result.append(Value(name: out, type: outTypes[slot], scope: token))
        }
        if d == Domain.onnx, opType == "Constant" {
            // Remember the elements, for shape inference of Reshape, Unsqueeze, Slice, ...
            var c: Tensor?
            if let t = attributes["value"]?.tensorValue { c = t }
            if let v = attributes["value_ints"]?.intsValue { c = try? Self.makeTensor(v) }
            if let v = attributes["value_int"]?.intValue { c = try? Self.makeTensor([v], shape: []) }
            if var c {
                c.name = outNames[0]
                constants[outNames[0]] = c
            }
        }
        return result
    }

    /// Checks counts and attributes against the schema in force.
    static func check(schema s: OpSchema, opset: Int64, node: String, inputs: [Resolved?], outputCount: Int, attributes: [String: AttributeValue]) throws {
        let op = s.name
        if inputs.count < s.minInputs || (s.maxInputs.map { inputs.count > $0 } ?? false) {
            throw GraphBuilderError.inputCountMismatch(op: op, node: node, opset: opset, given: inputs.count, min: s.minInputs, max: s.maxInputs)
        }
        for (i, v) in inputs.enumerated() where v == nil {
            if let p = formalParameter(s.inputs, index: i), p.option != .optional {
                throw GraphBuilderError.missingInput(op: op, node: node, index: i, formalName: p.name)
            }
        }
        if outputCount < max(1, s.minOutputs) || (s.maxOutputs.map { outputCount > $0 } ?? false) {
            throw GraphBuilderError.outputCountMismatch(op: op, node: node, opset: opset, requested: outputCount, min: max(1, s.minOutputs), max: s.maxOutputs)
        }
        for (k, v) in attributes.sorted(by: { $0.key < $1.key }) {
            guard let spec = s.attributes[k] else {
                if let index = s.inputs.firstIndex(where: { $0.name == k }) {
                    throw GraphBuilderError.attributeIsInput(op: op, node: node, attribute: k, opset: opset, inputIndex: index)
                }
                throw GraphBuilderError.unknownAttribute(op: op, node: node, attribute: k, opset: opset, allowed: s.attributes.keys.sorted())
            }
            if spec.type != v.type {
                throw GraphBuilderError.attributeTypeMismatch(op: op, node: node, attribute: k, expected: spec.type, given: v.type)
            }
        }
        for spec in s.attributes.values.sorted(by: { $0.name < $1.name }) where spec.required && attributes[spec.name] == nil {
            throw GraphBuilderError.missingAttribute(op: op, node: node, attribute: spec.name)
        }
    }

    /// The formal parameter that position `index` binds to (the last one repeats when
    /// variadic).
    static func formalParameter(_ params: [OpSchema.Parameter], index: Int) -> OpSchema.Parameter? {
        if index < params.count { return params[index] }
        if let last = params.last, last.option == .variadic { return last }
        return nil
    }

    static func formalOutputName(_ schema: OpSchema?, index: Int, count: Int) -> String {
        guard let s = schema, let p = formalParameter(s.outputs, index: index) else { return "output\(index)" }
        let base = String(p.name.filter { $0.isLetter || $0.isNumber || $0 == "_" })
        let clean = base.isEmpty ? "output" : base
        if p.option == .variadic { return "\(clean)\(index - (s.outputs.count - 1))" }
        return clean
    }

    /// Walks a subgraph attribute: declared domains, and outer names it refers to.
    func collect(graph g: Graph, domains: inout Set<String>, node: String) throws {
        for n in g.node {
            let d = n.normalizedDomain
            guard context.opsets[d] != nil else {
                throw GraphBuilderError.undeclaredDomain(op: n.opType ?? "", domain: d, node: n.name ?? node)
            }
            domains.insert(d)
            for name in n.input where !name.isEmpty { markCaptured(name) }
            for sg in n.subgraphs { try collect(graph: sg, domains: &domains, node: node) }
        }
        for o in g.output { if let name = o.name { markCaptured(name) } }
    }

    /// Marks `name` as used by a subgraph in whichever enclosing builder defines it.
    func markCaptured(_ name: String) {
        var b: GraphBuilder? = self
        while let cur = b {
            let c = cur.canonical(name)
            if cur.kinds[c] != nil { cur.captured.insert(c); return }
            b = cur.parent
        }
    }

    // MARK: - Subgraphs

    /// Builds a subgraph (an If branch, a Loop or Scan body) with a nested builder.
    ///
    /// The nested builder shares this builder's opsets and name space, and its nodes
    /// may use values of this builder and of its enclosing builders directly (outer
    /// scope references). Declare body inputs (Loop's iteration number and condition,
    /// carried values) with `input`, and results with `output`.
    ///
    /// - Parameters:
    ///   - name: the subgraph's name hint (default `<graph>_subgraph`).
    ///   - build: fills the nested builder.
    /// - Returns: the graph, ready for a `.graph(...)` attribute.
    /// - Throws: what `build` throws; `GraphBuilderError.noOutputs` when it declared
    ///   no output.
    public func subgraph(name: String? = nil, _ build: (GraphBuilder) throws -> Void) throws -> Graph {
        let n = context.unique(name ?? "\(graphName)_subgraph", in: .graph)
        let sub = GraphBuilder(subgraphOf: self, name: n)
        try build(sub)
        guard !sub.graphOutputs.isEmpty else { throw GraphBuilderError.noOutputs(graph: n) }
        return sub.makeGraph(includeValueInfo: false)
    }

    // MARK: - Outputs

    /// Marks a value as a graph output.
    ///
    /// When `name` differs from the value's name, the value is renamed in place if it is
    /// a node output of this graph that no subgraph refers to and that is not already an
    /// output; otherwise (graph inputs, initializers, outer values, second outputs of the
    /// same value) an Identity node makes the new name.
    ///
    /// - Parameters:
    ///   - value: the value.
    ///   - name: the output's name (default: the value's own name).
    ///   - type: the type to declare; overrides the inferred one (for example to name a
    ///     dimension, or to type the output of a custom op).
    /// - Returns: the handle of the output as named.
    /// - Throws: `GraphBuilderError.untypedOutput` for a top-level output of unknown
    ///   type, `.duplicateName` when `name` is taken by another value, `.duplicateOutput`
    ///   when it is already an output, `.valueNotInScope`.
    @discardableResult
    public func output(_ value: Value, name: String? = nil, type: TypeProto? = nil) throws -> Value {
        if let name, name.isEmpty { throw GraphBuilderError.emptyName(what: "a graph output") }
        let r = try resolve(value, node: "output \(name ?? value.name)")
        let finalType = type ?? r.type
        let target = name ?? r.name
        if parent == nil && finalType == nil { throw GraphBuilderError.untypedOutput(name: target) }
        guard !outputNameSet.contains(target) else { throw GraphBuilderError.duplicateOutput(name: target) }
        let definedHere = kinds[r.name] != nil

        var outName: String
        if target == r.name && definedHere {
            outName = target
        } else {
            // An explicit name must be free (an outer value's own name is not: it is taken by that value).
            if name != nil && (target == r.name || context.valueNames.contains(target)) {
                throw GraphBuilderError.duplicateName(name: target)
            }
            if name != nil, case .nodeOutput? = kinds[r.name], !captured.contains(r.name), !outputNameSet.contains(r.name) {
                rename(r.name, to: target)
                outName = target
            } else {
                // An Identity node gives the value its output name.
                let id = try addNode(
                    "Identity", [Value(name: r.name, type: r.type, scope: r.scope)], outputCount: 1, attributes: [:],
                    domain: Domain.onnx, name: nil, outputNames: [target], outputTypes: [finalType])
                guard let first = id.first else { throw GraphBuilderError.duplicateName(name: target) }
                outName = first.name
            }
        }
        if let type { types[outName] = type }
        outputNameSet.insert(outName)
        graphOutputs.append(ValueInfo(name: outName, type: finalType))
        return Value(name: outName, type: finalType, scope: token)
    }

    func rename(_ old: String, to new: String) {
        context.valueNames.insert(new)
        guard let kind = kinds[old] else { return }
        if case .nodeOutput(let ni, let slot) = kind { nodes[ni].output[slot] = new }
        for i in nodes.indices where nodes[i].input.contains(old) {
            nodes[i].input = nodes[i].input.map { $0 == old ? new : $0 }
        }
        kinds[new] = kind
        kinds[old] = nil
        if let t = types.removeValue(forKey: old) { types[new] = t }
        if var c = constants.removeValue(forKey: old) { c.name = new; constants[new] = c }
        for (k, v) in constantByContent where v == old { constantByContent[k] = new }
        definedOrder = definedOrder.map { $0 == old ? new : $0 }
        aliases[old] = new
    }

    // MARK: - Lookup

    /// The type the builder currently records for a value (nil when unknown).
    ///
    /// - Throws: `GraphBuilderError.valueNotInScope`.
    public func type(of value: Value) throws -> TypeProto? {
        try resolve(value, node: "type(of:)").type
    }

    struct Resolved: Equatable {
        var name: String
        var type: TypeProto?
        var constant: Tensor?
        var scope: ScopeToken
        static func == (a: Resolved, b: Resolved) -> Bool { a.name == b.name && a.scope === b.scope }
    }

    func canonical(_ name: String) -> String {
        var n = name
        var seen = 0
        while let next = aliases[n], seen < 1000 { n = next; seen += 1 }
        return n
    }

    /// Finds the builder that defines the value (this one or an enclosing one).
    func resolve(_ v: Value, node: String) throws -> Resolved {
        var b: GraphBuilder? = self
        while let cur = b {
            if cur.token === v.scope {
                let name = cur.canonical(v.name)
                guard cur.kinds[name] != nil else { throw GraphBuilderError.valueNotInScope(value: v.name, node: node) }
                if cur !== self { cur.captured.insert(name) }
                return Resolved(name: name, type: cur.types[name], constant: cur.constants[name], scope: cur.token)
            }
            b = cur.parent
        }
        throw GraphBuilderError.valueNotInScope(value: v.name, node: node)
    }

    func define(_ name: String, kind: ValueKind, type: TypeProto?) {
        kinds[name] = kind
        if let type { types[name] = type }
        definedOrder.append(name)
    }

    // MARK: - Results

    func makeGraph(includeValueInfo: Bool) -> Graph {
        var g = Graph(name: graphName)
        g.node = nodes
        g.initializer = initializers
        g.input = graphInputs
        g.output = graphOutputs
        if includeValueInfo {
            for name in definedOrder where !outputNameSet.contains(name) {
                guard case .nodeOutput? = kinds[name], let t = types[name] else { continue }
                g.valueInfo.append(ValueInfo(name: name, type: t))
            }
        }
        return g
    }

    /// The graph built so far (for inspection, or to embed elsewhere).
    ///
    /// - Parameter includeValueInfo: also list the inferred types of intermediate values
    ///   in `value_info`.
    public func graph(includeValueInfo: Bool = false) -> Graph { makeGraph(includeValueInfo: includeValueInfo) }

    /// The opsets the model imports: ai.onnx always, other domains only when a node
    /// (in any subgraph too) uses them; ai.onnx first, then by domain name.
    public var usedOpsets: [OperatorSetID] {
        let others = context.usedDomains.subtracting([Domain.onnx]).sorted()
        return ([Domain.onnx] + others).compactMap { d in context.opsets[d].map { OperatorSetID(domain: d, version: $0) } }
    }

    /// The model: the graph, the opsets actually used, and the lowest IR version that
    /// supports them (`ONNXReleaseTable`).
    ///
    /// - Parameters:
    ///   - producerName: `producer_name`.
    ///   - producerVersion: `producer_version`.
    ///   - docString: the model's doc string.
    ///   - metadata: `metadata_props`, written sorted by key.
    ///   - includeValueInfo: list inferred types of intermediate values in `value_info`.
    /// - Throws: `GraphBuilderError.notTopLevel` on a subgraph builder,
    ///   `.noOutputs` when no output was declared.
    public func makeModel(
        producerName: String = "onnx-convert", producerVersion: String? = nil, docString: String? = nil,
        metadata: [String: String] = [:], includeValueInfo: Bool = false
    ) throws -> Model {
        guard parent == nil else { throw GraphBuilderError.notTopLevel(graph: graphName) }
        guard !graphOutputs.isEmpty else { throw GraphBuilderError.noOutputs(graph: graphName) }
        var m = Model()
        m.opsetImport = usedOpsets
        var imported: [String: Int64] = [:]
        for o in m.opsetImport { if let d = o.domain, let v = o.version { imported[d] = v } }
        m.irVersion = ONNXReleaseTable.irVersion(forOpsets: imported)
        m.producerName = producerName
        m.producerVersion = producerVersion
        m.docString = docString
        m.metadataProps = metadata.keys.sorted().map { StringStringEntry(key: $0, value: metadata[$0]) }
        m.graph = makeGraph(includeValueInfo: includeValueInfo)
        return m
    }
}

/// Identity of a builder, held by the values it makes.
final class ScopeToken: Sendable {}

/// State shared by a top-level builder and its subgraph builders.
final class BuilderContext {
    enum Namespace { case value, node, graph }

    let opsets: [String: Int64]
    var usedDomains: Set<String> = [Domain.onnx]
    var valueNames: Set<String> = []
    var nodeNames: Set<String> = []
    var graphNames: Set<String> = []
    private var nextSuffix: [String: Int] = [:]

    init(opsets: [String: Int64]) { self.opsets = opsets }

    /// `hint` if free in the namespace, else `hint_1`, `hint_2`, ...; reserved on return.
    func unique(_ hint: String, in ns: Namespace) -> String {
        func taken(_ s: String) -> Bool {
            switch ns {
            case .value: return valueNames.contains(s)
            case .node: return nodeNames.contains(s)
            case .graph: return graphNames.contains(s)
            }
        }
        var name = hint
        if taken(name) {
            let key = "\(ns)|\(hint)"
            var k = nextSuffix[key] ?? 1
            while taken("\(hint)_\(k)") { k += 1 }
            name = "\(hint)_\(k)"
            nextSuffix[key] = k + 1
        }
        switch ns {
        case .value: valueNames.insert(name)
        case .node: nodeNames.insert(name)
        case .graph: graphNames.insert(name)
        }
        return name
    }
}
