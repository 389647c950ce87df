/// Checks a model against the structural rules of the ONNX specification: the rules
/// `onnx.checker.check_model(model, full_check=False)` enforces (IR and opset versions,
/// single static assignment, topological order, scoping of subgraphs, operator schemas,
/// attributes, tensor storage, local functions), plus a few the specification states
/// that onnx does not test (see `CheckerRule`).
///
/// The checker is pure: it reads no files (external data is checked for a well-formed
/// location, not opened). It never stops at the first problem: `check` returns every
/// issue it finds, in model order. One pass per graph, with hash lookups.
public struct Checker: Sendable {
    /// The newest IR version this toolkit knows (ONNX 1.23).
    public static let maxIRVersion: Int64 = 14
    /// Subgraphs nested deeper than this are reported (`nesting-depth`), not followed.
    public static let maxSubgraphDepth = 64

    /// A checker.
    public init() {}

    /// Every structural issue of `model`, in the order met; empty when it is valid.
    public func check(_ model: Model) -> [CheckerIssue] {
        let run = CheckRun(model: model)
        run.checkModel()
        return run.issues
    }

    /// Throws the first issue `check` finds.
    public func validate(_ model: Model) throws {
        if let first = check(model).first { throw first }
    }
}

/// Where a name was defined, for SSA and scope messages.
enum ValueOrigin {
    case graphInput(Int)
    case initializer(Int)
    case sparseInitializer(Int)
    case nodeOutput(Int)
    case functionInput(Int)
}

/// The names one graph (or function body) defines, chained to the enclosing graph's
/// scope so that subgraphs see outer values.
final class Scope {
    let parent: Scope?
    let nodes: [Node]
    let location: String
    var names: [String: ValueOrigin] = [:]
    private var producerIndex: [String: Int]?

    init(parent: Scope?, nodes: [Node], location: String) {
        self.parent = parent
        self.nodes = nodes
        self.location = location
    }

    /// The definition of `name` in this scope or an enclosing one.
    func lookup(_ name: String) -> (ValueOrigin, Scope)? {
        var s: Scope? = self
        while let c = s {
            if let o = c.names[name] { return (o, c) }
            s = c.parent
        }
        return nil
    }

    /// The first node of this scope or an enclosing one that outputs `name` (built on the
    /// first miss only, so valid graphs never pay for it).
    func producer(of name: String) -> (Scope, Int)? {
        var s: Scope? = self
        while let c = s {
            if let i = c.producers()[name] { return (c, i) }
            s = c.parent
        }
        return nil
    }

    private func producers() -> [String: Int] {
        if let p = producerIndex { return p }
        var p: [String: Int] = [:]
        for (i, n) in nodes.enumerated() {
            for o in n.output where !o.isEmpty && p[o] == nil { p[o] = i }
        }
        producerIndex = p
        return p
    }

    /// A phrase for a definition seen from `viewer`.
    func describe(_ o: ValueOrigin, from viewer: Scope) -> String {
        let base: String
        switch o {
        case .graphInput(let i): base = "graph input \(i)"
        case .initializer(let i): base = "initializer \(i)"
        case .sparseInitializer(let i): base = "sparse initializer \(i)"
        case .functionInput(let i): base = "function input \(i)"
        case .nodeOutput(let i): base = "an output of " + NodeSite(graph: location, index: i, node: nodes[i]).short
        }
        return self === viewer ? base : "\(base) of the enclosing \(location)"
    }
}

/// A node and where it is, rendered only when an issue needs it.
struct NodeSite {
    let graph: String
    let index: Int
    let node: Node

    /// `node 3 'Add_1' (Add)`; a non-default domain prefixes the op type.
    var short: String {
        let name = node.name ?? ""
        let d = node.normalizedDomain
        let type = node.opType ?? ""
        let op = type.isEmpty ? "no op_type" : (d.isEmpty ? "" : d + ":") + type
        return "node \(index)" + (name.isEmpty ? "" : " '\(name)'") + " (\(op))"
    }
    /// `graph 'main' node 3 'Add_1' (Add)`.
    var text: String { "\(graph) \(short)" }
}

/// The opset versions a graph or function body resolves its nodes' domains against.
struct Imports {
    var versions: [String: Int64]
    /// "the model" or "function 'local::F'", for messages.
    var owner: String
    /// The model imports nothing at all (already reported once): do not report every node.
    var suppressMissing = false
}

/// One run of the checker over one model.
final class CheckRun {
    let model: Model
    var issues: [CheckerIssue] = []
    /// The IR version the version-dependent rules use; an invalid value was reported and
    /// is replaced by the newest known one so that it does not cascade.
    var ir: Int64 = Checker.maxIRVersion

    init(model: Model) { self.model = model }

    func report(_ rule: CheckerRule, _ message: String, at location: String) {
        issues.append(CheckerIssue(rule: rule, message: message, location: location))
    }

    static func show(domain d: String) -> String { d.isEmpty ? "'' (ai.onnx)" : "'\(d)'" }

    // MARK: model

    func checkModel() {
        switch model.irVersion {
        case nil:
            report(.irVersion, "ir_version is not set", at: "model")
        case let v? where v < 1:
            report(.irVersion, "ir_version is \(v); it must be at least 1", at: "model")
        case let v? where v > Checker.maxIRVersion:
            report(.irVersion, "ir_version \(v) is newer than the newest this toolkit knows (\(Checker.maxIRVersion))", at: "model")
        case let v?:
            ir = v
        }

        var keys = Set<String>()
        for (i, e) in model.metadataProps.enumerated() where !keys.insert(e.key ?? "").inserted {
            report(.metadataProps, "metadata_props key '\(e.key ?? "")' appears more than once", at: "model metadata_props \(i)")
        }

        var imports = Imports(versions: readOpsets(model.opsetImport, location: "model"), owner: "the model")
        if ir >= 3 {
            if model.opsetImport.isEmpty {
                report(.opsetImport, "opset_import is empty; ir_version \(ir) (>= 3) requires the model to import the operator sets it uses", at: "model")
                imports.suppressMissing = true
            }
        } else if !model.opsetImport.isEmpty {
            report(.opsetImport, "ir_version \(ir) (< 3) does not allow opset_import; such models use opset 1 implicitly", at: "model")
        } else {
            imports.versions = ["": 1]
        }

        if let g = model.graph {
            checkGraph(g, location: "graph '\(g.name ?? "")'", parent: nil, imports: imports, isMain: true, depth: 0)
        } else {
            report(.requiredField, "the model has no graph", at: "model")
        }
        checkFunctions(modelImports: imports.versions)
    }

    /// Reads an opset_import list into normalized domain -> version, reporting bad entries.
    func readOpsets(_ list: [OperatorSetID], location: String) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for (i, o) in list.enumerated() {
            let d = o.normalizedDomain
            let at = "\(location) opset_import \(i)"
            guard let v = o.version else {
                report(.opsetImport, "opset_import entry for domain \(Self.show(domain: d)) has no version", at: at)
                continue
            }
            if v < 0 || v > Int64(Int32.max) {
                report(.opsetImport, "domain \(Self.show(domain: d)) is imported at version \(v), outside 0...\(Int32.max)", at: at)
                continue
            }
            if let prev = out[d] {
                report(.opsetImport, "domain \(Self.show(domain: d)) is imported twice (versions \(prev) and \(v))", at: at)
            }
            out[d] = v
        }
        return out
    }

    // MARK: graphs

    func checkGraph(_ g: Graph, location gl: String, parent: Scope?, imports: Imports, isMain: Bool, depth: Int) {
        if (g.name ?? "").isEmpty { report(.requiredField, "graph has no name", at: gl) }
        for (i, vi) in g.input.enumerated() { checkValueInfo(vi, what: "input", index: i, graph: gl, isMain: isMain) }
        for (i, vi) in g.output.enumerated() { checkValueInfo(vi, what: "output", index: i, graph: gl, isMain: isMain) }

        let scope = Scope(parent: parent, nodes: g.node, location: gl)
        scope.names.reserveCapacity(g.input.count + g.initializer.count + g.sparseInitializer.count + g.node.count)
        for (i, vi) in g.input.enumerated() {
            guard let n = vi.name, !n.isEmpty else { continue }
            if let prev = scope.names[n] {
                report(.ssa, "graph input '\(n)' is declared twice (also \(scope.describe(prev, from: scope)))", at: "\(gl) input \(i)")
            } else {
                scope.names[n] = .graphInput(i)
            }
        }

        var initializerNames = Set<String>()
        for (i, t) in g.initializer.enumerated() {
            let name = t.name ?? ""
            let at = "\(gl) initializer \(i)" + (name.isEmpty ? "" : " '\(name)'")
            if name.isEmpty {
                report(.initializerName, "initializer \(i) has no name", at: at)
            } else if !initializerNames.insert(name).inserted {
                report(.ssa, "initializer name '\(name)' is used twice", at: at)
            }
            checkTensor(t, location: at)
            guard !name.isEmpty else { continue }
            if ir <= 3 {
                if scope.names[name] == nil {
                    report(.initializerName, "initializer '\(name)' is not a graph input; with ir_version \(ir) (< 4) every initializer must also be a graph input", at: at)
                    scope.names[name] = .initializer(i)  // so that its readers are not reported too
                }
            } else if scope.names[name] == nil {
                scope.names[name] = .initializer(i)
            }
        }
        for (i, sp) in g.sparseInitializer.enumerated() {
            let name = sp.values?.name ?? ""
            let at = "\(gl) sparse initializer \(i)" + (name.isEmpty ? "" : " '\(name)'")
            if name.isEmpty {
                report(.initializerName, "sparse initializer \(i) has no name (its values tensor is unnamed)", at: at)
            } else if !initializerNames.insert(name).inserted {
                report(.ssa, "sparse initializer name '\(name)' is also used by another initializer", at: at)
            }
            checkSparseTensor(sp, location: at)
            if !name.isEmpty && scope.names[name] == nil { scope.names[name] = .sparseInitializer(i) }
        }

        for (i, node) in g.node.enumerated() {
            let site = NodeSite(graph: gl, index: i, node: node)
            checkNodeInputs(site, scope: scope, inFunction: false)
            checkNode(site, scope: scope, imports: imports, isMainGraph: isMain, depth: depth)
            defineOutputs(site, scope: scope)
        }

        for (i, vi) in g.output.enumerated() {
            guard let n = vi.name, !n.isEmpty, scope.names[n] == nil else { continue }
            let at = "\(gl) output \(i) '\(n)'"
            if parent?.lookup(n) != nil {
                report(.graphOutput, "graph output '\(n)' is a value of an enclosing graph; a subgraph must compute its outputs itself (an Identity node will do)", at: at)
            } else {
                report(.graphOutput, "graph output '\(n)' is not computed by any node and is not a graph input or initializer", at: at)
            }
        }
    }

    func checkValueInfo(_ vi: ValueInfo, what: String, index i: Int, graph gl: String, isMain: Bool) {
        let name = vi.name ?? ""
        let at = "\(gl) \(what) \(i)" + (name.isEmpty ? "" : " '\(name)'")
        if name.isEmpty { report(.requiredField, "graph \(what) \(i) has no name", at: at) }
        guard isMain else { return }  // subgraph inputs/outputs may leave their types open
        guard let t = vi.type else {
            report(.valueInfo, "main graph \(what) '\(name)' has no type", at: at)
            return
        }
        let missing: String?
        switch t.value {
        case .tensor(let e, let s, _):
            missing = e == nil ? "element type" : (s == nil ? "shape (give unknown sizes as dims without a value)" : nil)
        case .sparseTensor(let e, let s, _):
            missing = e == nil ? "element type" : (s == nil ? "shape" : nil)
        case .sequence(let e, _): missing = e == nil ? "element type" : nil
        case .optional(let e, _): missing = e == nil ? "element type" : nil
        case .map(let k, let v, _): missing = k == nil ? "key type" : (v == nil ? "value type" : nil)
        case .opaque(_, let n, _): missing = (n ?? "").isEmpty ? "name" : nil
        case .none: missing = "kind (tensor, sequence, map, ...)"
        }
        if let missing {
            report(.valueInfo, "the type of main graph \(what) '\(name)' has no \(missing)", at: at)
        }
    }

    // MARK: nodes

    func checkNodeInputs(_ site: NodeSite, scope: Scope, inFunction: Bool) {
        for (k, input) in site.node.input.enumerated() where !input.isEmpty {
            if scope.lookup(input) != nil { continue }
            if let (s, j) = scope.producer(of: input) {
                let msg: String
                if s === scope {
                    msg = j == site.index
                        ? "input \(k) '\(input)' is an output of this same node"
                        : "input \(k) '\(input)' is computed later, by \(NodeSite(graph: s.location, index: j, node: s.nodes[j]).short); nodes must be in topological order"
                } else {
                    msg = "input \(k) '\(input)' is computed by \(NodeSite(graph: s.location, index: j, node: s.nodes[j]).short) of the enclosing \(s.location), which does not run before this subgraph"
                }
                report(.topologicalOrder, msg, at: site.text)
            } else if inFunction {
                report(.undefinedInput, "input \(k) '\(input)' is not defined: it is neither a function input nor an output of an earlier node (function bodies do not see graph values)", at: site.text)
            } else {
                report(.undefinedInput, "input \(k) '\(input)' is not defined: it is not a graph input, an initializer, an output of an earlier node, or a value of an enclosing graph", at: site.text)
            }
        }
    }

    func defineOutputs(_ site: NodeSite, scope: Scope) {
        for (k, out) in site.node.output.enumerated() where !out.isEmpty {
            if let (o, s) = scope.lookup(out) {
                report(.ssa, "output \(k) '\(out)' is already defined, as \(s.describe(o, from: scope))", at: site.text)
                // Shadowing an outer name: record it here anyway, so that the subgraph's
                // outputs do not also get reported.
                if s !== scope { scope.names[out] = .nodeOutput(site.index) }
            } else {
                scope.names[out] = .nodeOutput(site.index)
            }
        }
    }

    func checkNode(_ site: NodeSite, scope: Scope, imports: Imports, isMainGraph: Bool, depth: Int) {
        let node = site.node
        let op = node.opType ?? ""
        if op.isEmpty { report(.requiredField, "node has no op_type", at: site.text) }
        if node.input.isEmpty && node.output.isEmpty {
            report(.outputCount, "node has neither inputs nor outputs", at: site.text)
        }
        let domain = node.normalizedDomain
        let version = imports.versions[domain]
        if version == nil && !imports.suppressMissing {
            report(.nodeDomain, "domain \(Self.show(domain: domain)) of operator '\(op)' is not in the opset_import of \(imports.owner)", at: site.text)
        }

        var seen = Set<String>()
        for (k, a) in node.attribute.enumerated() {
            let an = a.name ?? ""
            if !an.isEmpty && !seen.insert(an).inserted {
                report(.duplicateAttribute, "attribute '\(an)' appears more than once", at: site.text)
            }
            checkAttribute(a, index: k, site: site, scope: scope, imports: imports, isMainGraph: isMainGraph, depth: depth)
        }

        guard !op.isEmpty, let version else { return }
        if domain.isEmpty && SchemaQuirks.experimentalOps.contains(op) { return }
        guard let schema = OpSchemaRegistry.schema(domain: domain, name: op, version: version) else {
            guard SchemaQuirks.strictDomains.contains(domain) else { return }  // custom domain: unchecked
            var msg = "operator '\(op)' is not defined in domain \(Self.show(domain: domain)) at opset \(version)"
            if let first = OpSchemaRegistry.versions(domain: domain, name: op).first {
                msg += " (it exists from opset \(first.sinceVersion))"
            }
            report(.unknownOp, msg, at: site.text)
            return
        }
        if schema.deprecated {
            report(.deprecatedOp, "operator '\(op)' is deprecated at opset \(version) (since version \(schema.sinceVersion))", at: site.text)
            return
        }
        verify(site, schema: schema, attributeNames: seen)
    }

    static func range(_ lo: Int, _ hi: Int?) -> String {
        guard let hi else { return "at least \(lo)" }
        return lo == hi ? "exactly \(lo)" : "\(lo) to \(hi)"
    }

    /// The schema rules of `OpSchema::Verify`.
    func verify(_ site: NodeSite, schema s: OpSchema, attributeNames seen: Set<String>) {
        let node = site.node
        let opName = "\(s.name)-\(s.sinceVersion)"
        var at: String { site.text }  // built only when an issue is reported

        func params(_ names: [String], _ formal: [OpSchema.Parameter], _ lo: Int, _ hi: Int?, _ what: String, _ rule: CheckerRule) {
            let n = names.count
            if n < lo || (hi.map { n > $0 } ?? false) {
                report(rule, "node has \(n) \(what)s; \(opName) takes \(Self.range(lo, hi))", at: at)
                return
            }
            for (k, name) in names.enumerated() {
                if k >= formal.count {
                    if formal.last?.option != .variadic {
                        report(rule, "node has \(n) \(what)s; \(opName) declares only \(formal.count)", at: at)
                    }
                    break
                }
                if name.isEmpty && formal[k].option == .single {
                    report(rule, "\(what) \(k) ('\(formal[k].name)') of \(opName) is required but empty", at: at)
                }
            }
        }
        params(node.input, s.inputs, s.minInputs, s.maxInputs, "input", .inputCount)
        params(node.output, s.outputs, s.minOutputs, s.maxOutputs, "output", .outputCount)
        if let allowed = SchemaQuirks.allowedOutputCounts(s), !allowed.contains(node.output.count) {
            report(.outputCount, "node has \(node.output.count) outputs; \(opName) allows \(allowed.sorted().map(String.init).joined(separator: " or "))", at: at)
        }

        var done = Set<String>()
        for a in node.attribute {
            guard let an = a.name, !an.isEmpty, done.insert(an).inserted else { continue }
            guard let spec = s.attributes[an] else {
                if an.hasPrefix("__") || SchemaQuirks.allowsUncheckedAttributes(s) { continue }
                let known = s.attributes.keys.sorted()
                report(.unknownAttribute, "attribute '\(an)' is not defined for \(opName)"
                       + (known.isEmpty ? " (it takes no attributes)" : " (it takes: \(known.joined(separator: ", ")))"), at: at)
                continue
            }
            guard let t = a.type else { continue }  // reported by the attribute check
            if t != spec.type {
                report(.attributeType, "attribute '\(an)' has type \(t); \(opName) declares it \(spec.type)", at: at)
                continue
            }
            if let ref = a.refAttrName, !ref.isEmpty { continue }
            let missing: String?
            switch spec.type {
            case .tensor: missing = a.t == nil ? "t" : nil
            case .sparseTensor: missing = a.sparseTensor == nil ? "sparse_tensor" : nil
            case .graph: missing = a.g == nil ? "g" : nil
            case .typeProto: missing = a.tp == nil ? "tp" : nil
            default: missing = nil
            }
            if let missing {
                report(.attributeType, "attribute '\(an)' has type \(spec.type) but no value in field '\(missing)'", at: at)
            }
        }

        let required = s.attributes.values.filter { $0.required && !seen.contains($0.name) }.map(\.name).sorted()
        for r in required {
            report(.requiredAttribute, "required attribute '\(r)' of \(opName) is missing", at: at)
        }
    }

    // MARK: attributes

    func checkAttribute(_ a: Attribute, index k: Int, site: NodeSite, scope: Scope, imports: Imports, isMainGraph: Bool, depth: Int) {
        let an = a.name ?? ""
        var at: String { "\(site.text) attribute " + (an.isEmpty ? "\(k)" : "'\(an)'") }
        if an.isEmpty { report(.requiredField, "attribute \(k) has no name", at: site.text) }

        var fields: [(String, AttributeType)] = []
        if a.f != nil { fields.append(("f", .float)) }
        if a.i != nil { fields.append(("i", .int)) }
        if a.s != nil { fields.append(("s", .string)) }
        if a.t != nil { fields.append(("t", .tensor)) }
        if a.g != nil { fields.append(("g", .graph)) }
        if a.tp != nil { fields.append(("tp", .typeProto)) }
        if a.sparseTensor != nil { fields.append(("sparse_tensor", .sparseTensor)) }
        if !a.floats.isEmpty || a.deferredArrays?.contains(.floats) == true { fields.append(("floats", .floats)) }
        if !a.ints.isEmpty || a.deferredArrays?.contains(.ints) == true { fields.append(("ints", .ints)) }
        if !a.strings.isEmpty || a.deferredArrays?.contains(.strings) == true { fields.append(("strings", .strings)) }
        if !a.tensors.isEmpty { fields.append(("tensors", .tensors)) }
        if !a.graphs.isEmpty { fields.append(("graphs", .graphs)) }
        if !a.sparseTensors.isEmpty { fields.append(("sparse_tensors", .sparseTensors)) }
        if !a.typeProtos.isEmpty { fields.append(("type_protos", .typeProtos)) }

        if let t = a.type {
            if !(1...14).contains(t.rawValue) {
                report(.attributeType, "attribute '\(an)' has type \(t), which is not a valid attribute type", at: at)
            }
        } else if ir >= 2 {
            report(.attributeType, "attribute '\(an)' has no type field (required from ir_version 2)", at: at)
        }
        if fields.count > 1 {
            report(.attributeType, "attribute '\(an)' sets more than one value field (\(fields.map(\.0).joined(separator: ", ")))", at: at)
        } else if let t = a.type, let (field, ft) = fields.first, ft != t, (1...14).contains(t.rawValue) {
            report(.attributeType, "attribute '\(an)' is declared \(t) but holds its value in field '\(field)' (\(ft))", at: at)
        }
        if !isMainGraph, let ref = a.refAttrName, !fields.isEmpty {
            report(.attributeType, "attribute '\(an)' refers to the caller's attribute '\(ref)' and must not hold a value itself", at: at)
        }

        if let t = a.t { checkTensor(t, location: at) }
        if let sp = a.sparseTensor { checkSparseTensor(sp, location: at) }
        for (j, t) in a.tensors.enumerated() { checkTensor(t, location: "\(at) tensor \(j)") }
        for (j, sp) in a.sparseTensors.enumerated() { checkSparseTensor(sp, location: "\(at) sparse tensor \(j)") }
        if let g = a.g {
            checkSubgraph(g, location: "\(at) > graph '\(g.name ?? "")'", scope: scope, imports: imports, depth: depth)
        }
        for (j, g) in a.graphs.enumerated() {
            checkSubgraph(g, location: "\(at)[\(j)] > graph '\(g.name ?? "")'", scope: scope, imports: imports, depth: depth)
        }
    }

    func checkSubgraph(_ g: Graph, location: String, scope: Scope, imports: Imports, depth: Int) {
        guard depth < Checker.maxSubgraphDepth else {
            report(.nestingDepth, "subgraphs nest more than \(Checker.maxSubgraphDepth) deep; the rest is not checked", at: location)
            return
        }
        checkGraph(g, location: location, parent: scope, imports: imports, isMain: false, depth: depth + 1)
    }
}
