// Model-local functions: unique ids, no recursion, bodies checked like graphs against
// the function's own opset imports, imports compatible with the model's.

extension CheckRun {
    /// `domain::name` (plus `::overload`), as onnx identifies functions and their callers.
    static func functionID(domain: String?, name: String?, overload: String?) -> String {
        let base = Domain.normalize(domain ?? "") + "::" + (name ?? "")
        guard let o = overload, !o.isEmpty else { return base }
        return base + "::" + o
    }

    static func functionID(_ f: Function) -> String { functionID(domain: f.domain, name: f.name, overload: f.overload) }

    func checkFunctions(modelImports: [String: Int64]) {
        let fs = model.functions
        guard !fs.isEmpty else { return }
        if ir < 8 {
            report(.localFunction, "the model has \(fs.count) local function(s) but ir_version \(ir); model-local functions need ir_version 8 or later", at: "model")
        }
        var byID: [String: Int] = [:]
        for (i, f) in fs.enumerated() {
            let id = Self.functionID(f)
            if let j = byID[id] {
                report(.localFunction, "function '\(id)' is defined twice (functions \(j) and \(i))", at: "function \(i) '\(id)'")
            } else {
                byID[id] = i
            }
        }
        checkCallCycles(byID)

        // Like onnx: the model's imports, completed by the functions' imports of domains
        // the model does not import (first function wins).
        var merged = modelImports
        for f in fs {
            for o in f.opsetImport where merged[o.normalizedDomain] == nil {
                if let v = o.version { merged[o.normalizedDomain] = v }
            }
        }
        for (i, f) in fs.enumerated() { checkFunction(f, index: i, modelImports: merged) }
    }

    /// Reports each call cycle among local functions once (iterative DFS).
    func checkCallCycles(_ byID: [String: Int]) {
        let fs = model.functions
        var callees = [[Int]](repeating: [], count: fs.count)
        func collect(_ nodes: [Node], into out: inout Set<Int>, depth: Int) {
            guard depth <= Checker.maxSubgraphDepth else { return }
            for n in nodes {
                if let j = byID[Self.functionID(domain: n.domain, name: n.opType, overload: n.overload)] { out.insert(j) }
                for g in n.subgraphs { collect(g.node, into: &out, depth: depth + 1) }
            }
        }
        for i in byID.values.sorted() {
            var s = Set<Int>()
            collect(fs[i].node, into: &s, depth: 0)
            callees[i] = s.sorted()
        }
        enum State { case unvisited, inPath, done }
        var state = [State](repeating: .unvisited, count: fs.count)
        for root in byID.values.sorted() where state[root] == .unvisited {
            var path: [Int] = [root]
            var stack: [(Int, Int)] = [(root, 0)]
            state[root] = .inPath
            while let (f, next) = stack.last {
                if next == callees[f].count {
                    stack.removeLast()
                    path.removeLast()
                    state[f] = .done
                    continue
                }
                stack[stack.count - 1].1 = next + 1
                let c = callees[f][next]
                switch state[c] {
                case .inPath:
                    let start = path.firstIndex(of: c) ?? 0
                    let cycle = (path[start...] + [c]).map { Self.functionID(fs[$0]) }.joined(separator: " -> ")
                    report(.localFunction, "local functions call each other recursively: \(cycle)", at: "function \(c) '\(Self.functionID(fs[c]))'")
                case .unvisited:
                    state[c] = .inPath
                    path.append(c)
                    stack.append((c, 0))
                case .done:
                    break
                }
            }
        }
    }

    func checkFunction(_ f: Function, index i: Int, modelImports: [String: Int64]) {
        let name = f.name ?? ""
        let id = Self.functionID(f)
        let fl = name.isEmpty ? "function \(i)" : "function '\(id)'"
        if name.isEmpty { report(.requiredField, "function \(i) has no name", at: fl) }
        if ir >= 8 && f.domain == nil {
            report(.requiredField, "function '\(name)' has no domain (required from ir_version 8)", at: fl)
        }
        let imports = Imports(versions: readOpsets(f.opsetImport, location: fl), owner: "function '\(id)'")

        let scope = Scope(parent: nil, nodes: f.node, location: fl)
        for (k, n) in f.input.enumerated() where !n.isEmpty {
            if scope.names[n] != nil {
                report(.ssa, "function input '\(n)' is declared twice", at: "\(fl) input \(k)")
            } else {
                scope.names[n] = .functionInput(k)
            }
        }
        var outputs = Set<String>()
        for (k, o) in f.output.enumerated() where !outputs.insert(o).inserted {
            report(.ssa, "function output '\(o)' is declared twice", at: "\(fl) output \(k)")
        }
        var attributes = Set<String>()
        for a in f.attribute + f.attributeProto.compactMap(\.name) where !attributes.insert(a).inserted {
            report(.duplicateAttribute, "function attribute '\(a)' is declared twice", at: fl)
        }

        for (j, node) in f.node.enumerated() {
            let site = NodeSite(graph: fl, index: j, node: node)
            checkNodeInputs(site, scope: scope, inFunction: true)
            let d = node.normalizedDomain
            if let op = node.opType, !op.isEmpty, let fv = imports.versions[d], let mv = modelImports[d], fv != mv {
                let fs = OpSchemaRegistry.schema(domain: d, name: op, version: fv)
                let ms = OpSchemaRegistry.schema(domain: d, name: op, version: mv)
                if (fs != nil || ms != nil) && fs?.sinceVersion != ms?.sinceVersion {
                    func v(_ s: OpSchema?) -> String { s.map { "\(op)-\($0.sinceVersion)" } ?? "no \(op)" }
                    report(.opsetCompatibility, "the function imports domain \(Self.show(domain: d)) at version \(fv), the model at \(mv); '\(op)' resolves to \(v(fs)) in the function but \(v(ms)) in the model", at: site.text)
                }
            }
            checkNode(site, scope: scope, imports: imports, isMainGraph: true, depth: 0)
            defineOutputs(site, scope: scope)
        }
        for (k, o) in f.output.enumerated() where !o.isEmpty && scope.names[o] == nil {
            report(.graphOutput, "function output '\(o)' is not computed by any node and is not a function input", at: "\(fl) output \(k)")
        }
    }
}
