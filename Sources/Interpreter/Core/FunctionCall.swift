import ONNX

/// The model-local functions (`ModelProto.functions`) by domain and name.
struct FunctionTable {
    let byKey: [String: Function]
    let modelOpsets: [String: Int64]

    init(_ functions: [Function], modelOpsets: [String: Int64]) {
        var d: [String: Function] = [:]
        for f in functions { d[Domain.normalize(f.domain ?? "") + "|" + (f.name ?? "")] = f }
        byKey = d
        self.modelOpsets = modelOpsets
    }

    func lookup(domain: String, name: String) -> Function? { byKey.isEmpty ? nil : byKey[domain + "|" + name] }
}

/// A call of a model-local function: its body, with the caller's attributes put in
/// place of `ref_attr_name` references, prepared as a graph of its own (function bodies
/// see only their inputs).
struct FunctionCall: Operator {
    static let opType = "<function>"
    static let sinceVersions: [Int64] = []
    let body: PreparedGraph

    init(_ context: OpContext) throws { throw context.invalid("functions are prepared by the session") }

    init(node: Node, nodeName: String, function: Function, registry: OperatorRegistry, functions: FunctionTable) throws {
        var defaults: [String: Attribute] = [:]
        for a in function.attributeProto { if let n = a.name { defaults[n] = a } }
        func bind(_ attrs: [Attribute]) -> [Attribute] {
            attrs.compactMap { a in
                var a = a
                if let ref = a.refAttrName {
                    guard var given = node.attribute(named: ref) ?? defaults[ref] else { return nil }
                    given.name = a.name
                    return given
                }
                if a.g != nil { a.g = bindGraph(a.g!) }
                a.graphs = a.graphs.map(bindGraph)
                return a
            }
        }
        func bindGraph(_ g: Graph) -> Graph {
            var g = g
            g.node = g.node.map { n in var n = n; n.attribute = bind(n.attribute); return n }
            return g
        }
        var g = Graph(name: function.name)
        g.input = function.input.map { ValueInfo(name: $0, type: nil) }
        g.output = function.output.map { ValueInfo(name: $0, type: nil) }
        g.node = function.node.map { n in var n = n; n.attribute = bind(n.attribute); return n }
        var opsets = functions.modelOpsets
        for o in function.opsetImport { opsets[o.normalizedDomain] = o.version ?? 1 }
        body = try PreparedGraph(g, opsets: opsets, registry: registry, outer: [], functions: functions)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        try body.run(inputs: inputs, parent: nil)
    }
}
