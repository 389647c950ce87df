import ONNX
import Foundation
import Dispatch

/// A graph made ready to run: every node's implementation resolved and bound once,
/// initializers converted, values assigned to slots, and each intermediate value
/// scheduled to be released right after its last use.
public final class PreparedGraph: @unchecked Sendable {
    /// With INTERPRETER_PROFILE set in the environment, every step prints its node name
    /// and wall time (milliseconds) to standard error: where a model's run time goes.
    static let profile = ProcessInfo.processInfo.environment["INTERPRETER_PROFILE"] != nil
    enum Ref {
        case local(Int)
        case outer(String)
    }

    struct Step {
        let op: any Operator
        let nodeName: String
        let inputs: [Ref?]
        let outputs: [Int?]
        /// Slots whose last use is this step.
        let release: [Int]
    }

    public let name: String
    /// Graph inputs in order (for subgraphs: the positional inputs).
    public let inputNames: [String]
    public let inputTypes: [TypeProto?]
    public let outputNames: [String]
    public let outputTypes: [TypeProto?]
    let slotOf: [String: Int]
    let inputSlots: [Int]
    let outputRefs: [Ref]
    let initial: [Value?]
    let steps: [Step]
    /// Names this graph (or a graph nested in it) reads from enclosing graphs.
    let freeVariables: Set<String>

    /// Prepares `graph`. `opsets` maps normalized domains to imported versions;
    /// `outer` is the set of names visible from enclosing graphs.
    init(_ graph: Graph, opsets: [String: Int64], registry: OperatorRegistry, outer: Set<String>, functions: FunctionTable) throws {
        name = graph.name ?? "graph"
        var slotOf: [String: Int] = [:]
        var initial: [Value?] = []
        func slot(_ n: String) -> Int {
            if let s = slotOf[n] { return s }
            slotOf[n] = initial.count
            initial.append(nil)
            return initial.count - 1
        }
        for t in graph.initializer {
            guard let n = t.name else { continue }
            let s = slot(n)
            do { initial[s] = .tensor(try TensorValue(proto: t, source: "initializer \(n)")) } catch {
                throw InterpreterError.badData(source: "initializer \(n)", message: "\(error)")
            }
        }
        let initializerNames = Set(graph.initializer.compactMap(\.name))
        // Inputs that are also initializers are optional feeds with a default.
        let inputs = graph.input.compactMap(\.name)
        inputNames = inputs
        inputTypes = graph.input.map(\.type)
        inputSlots = inputs.map(slot)
        var defined = Set(inputs).union(initializerNames)
        var free: Set<String> = []
        var steps: [Step] = []
        var usesOf: [[Int]] = []
        for (index, node) in graph.node.enumerated() {
            let opType = node.opType ?? ""
            let nodeName = (node.name ?? "").isEmpty ? "\(opType)#\(index)" : node.name!
            let domain = node.normalizedDomain
            var subgraphs: [PreparedGraph] = []
            let visible = outer.union(defined)
            let op: any Operator
            if let function = functions.lookup(domain: domain, name: opType) {
                op = try FunctionCall(node: node, nodeName: nodeName, function: function, registry: registry, functions: functions)
            } else {
                guard let version = opsets[domain] else { throw InterpreterError.missingOpset(domain: domain, node: nodeName) }
                let r = try registry.resolve(domain: domain, op: opType, opset: version)
                let context = OpContext(
                    node: node, nodeName: nodeName, sinceVersion: r.sinceVersion, opsetVersion: version, schema: r.schema,
                    prepareSubgraph: { g in
                        let p = try PreparedGraph(g, opsets: opsets, registry: registry, outer: visible, functions: functions)
                        subgraphs.append(p)
                        return p
                    })
                op = try r.type.init(context)
            }
            var refs: [Ref?] = []
            var uses: [Int] = []
            for name in node.input {
                if name.isEmpty { refs.append(nil); continue }
                if defined.contains(name) {
                    let s = slot(name)
                    refs.append(.local(s))
                    uses.append(s)
                } else {
                    refs.append(.outer(name))
                    free.insert(name)
                }
            }
            for sub in subgraphs {
                for n in sub.freeVariables {
                    if defined.contains(n) { uses.append(slot(n)) } else { free.insert(n) }
                }
            }
            let outs: [Int?] = node.output.map { $0.isEmpty ? nil : slot($0) }
            for o in node.output where !o.isEmpty { defined.insert(o) }
            steps.append(Step(op: op, nodeName: nodeName, inputs: refs, outputs: outs, release: []))
            usesOf.append(uses)
        }
        let outputs = graph.output.compactMap(\.name)
        outputNames = outputs
        outputTypes = graph.output.map(\.type)
        outputRefs = outputs.map { defined.contains($0) ? .local(slot($0)) : .outer($0) }
        for o in outputs where !defined.contains(o) { free.insert(o) }
        let constants = Set(initializerNames.subtracting(inputs).compactMap { slotOf[$0] })
        Self.fuseActivations(&steps, &usesOf, keep: Set(outputs.compactMap { slotOf[$0] }), constants: constants)
        // Release each slot after its last use, unless it is an output or initializer.
        var last: [Int: Int] = [:]
        for (i, uses) in usesOf.enumerated() { for s in uses { last[s] = i } }
        let keep = Set(outputs.compactMap { slotOf[$0] }).union(initializerNames.compactMap { slotOf[$0] })
        var releases = [[Int]](repeating: [], count: steps.count)
        for (s, i) in last where !keep.contains(s) { releases[i].append(s) }
        self.steps = steps.enumerated().map { i, s in
            Step(op: s.op, nodeName: s.nodeName, inputs: s.inputs, outputs: s.outputs, release: releases[i].sorted())
        }
        self.slotOf = slotOf
        self.initial = initial
        self.freeVariables = free
    }

    /// Folds each Relu (and each plain 2x2 MaxPool) into the step that produces its
    /// input when that step can apply it (`ActivationFusable`), the value is the
    /// producer's only output, and nothing else reads it (no other step, subgraph or
    /// graph output in `keep`). The producer then writes the consumer's output slot and
    /// the consumer's step is dropped. Chains (Conv, Relu, MaxPool) fold step by step.
    ///
    /// An Add of a MatMul's output and an initializer (`constants`: not overridable by a
    /// feed) folds into the MatMul the same way, the initializer becoming a third input
    /// (a bias the GEMM adds as it writes, when its shape allows).
    static func fuseActivations(_ steps: inout [Step], _ usesOf: inout [[Int]], keep: Set<Int>, constants: Set<Int> = []) {
        var readers: [Int: Int] = [:]
        for uses in usesOf { for s in uses { readers[s, default: 0] += 1 } }
        var producer: [Int: Int] = [:]
        for (i, step) in steps.enumerated() { for case let s? in step.outputs { producer[s] = i } }
        var dropped = Set<Int>()
        for (j, step) in steps.enumerated() {
            if let add = step.op as? Add, step.inputs.count == 2, step.outputs.count == 1, let out = step.outputs[0],
               case .local(let a)?? = step.inputs.first, case .local(let b)?? = step.inputs.last {
                // The MatMul operand and the constant one, in either order.
                for (s, c, biasFirst) in [(a, b, false), (b, a, true)] where constants.contains(c) && !constants.contains(s) {
                    guard !keep.contains(s), readers[s] == 1, let i = producer[s], i < j, !dropped.contains(i),
                          steps[i].outputs.count == 1, steps[i].outputs[0] == s, let matmul = steps[i].op as? MatMul,
                          matmul.bias == nil else { continue }
                    let p = steps[i]
                    steps[i] = Step(op: matmul.fusing(bias: add, biasFirst: biasFirst), nodeName: p.nodeName,
                                    inputs: p.inputs + [.local(c)], outputs: [out], release: p.release)
                    usesOf[i].append(c)
                    producer[out] = i
                    dropped.insert(j)
                    break
                }
                continue
            }
            let pool = step.op as? MaxPool
            guard step.op is Relu || pool?.fusable2x2 == true else { continue }
            guard step.inputs.count == 1, case .local(let s)?? = step.inputs.first, step.outputs.count == 1,
                  let out = step.outputs[0], !keep.contains(s), readers[s] == 1,
                  let i = producer[s], i < j, !dropped.contains(i),
                  steps[i].outputs.count == 1, steps[i].outputs[0] == s,
                  let fusable = steps[i].op as? any ActivationFusable,
                  let fused = pool.map({ fusable.fusing(maxPool: $0) }) ?? fusable.fusing(.relu) else { continue }
            let p = steps[i]
            steps[i] = Step(op: fused, nodeName: p.nodeName, inputs: p.inputs, outputs: [out], release: p.release)
            producer[out] = i
            dropped.insert(j)
        }
        if dropped.isEmpty { return }
        steps = steps.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        usesOf = usesOf.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
    }

    /// The node names of the steps in run order; a node folded into its producer (see
    /// `fuseActivations`) has no step of its own.
    public var stepNames: [String] { steps.map(\.nodeName) }

    /// Runs with positional inputs (subgraph bodies), in the scope of `parent`.
    func run(inputs: [Value?], parent: Frame?) throws -> [Value] {
        let frame = Frame(graph: self, parent: parent)
        for (i, s) in inputSlots.enumerated() where i < inputs.count { if let v = inputs[i] { frame.slots[s] = v } }
        return try execute(frame)
    }

    /// Runs with named inputs (the main graph); `trace`, when given, collects the leaf
    /// choices of the tree op it names.
    func run(feeds: [String: Value], trace: TreeLeafTraceRequest? = nil) throws -> [Value] {
        let frame = Frame(graph: self, parent: nil)
        frame.trace = trace
        for (i, n) in inputNames.enumerated() {
            if let v = feeds[n] { frame.slots[inputSlots[i]] = v } else if frame.slots[inputSlots[i]] == nil {
                throw InterpreterError.missingInput(name: n)
            }
        }
        return try execute(frame)
    }

    private func execute(_ frame: Frame) throws -> [Value] {
        for step in steps {
            var args: [Value?] = []
            args.reserveCapacity(step.inputs.count)
            for (k, ref) in step.inputs.enumerated() {
                switch ref {
                case nil: args.append(nil)
                case .local(let s)?:
                    guard let v = frame.slots[s] else {
                        throw InterpreterError.missingValue(name: slotName(s), node: step.nodeName + " input \(k)")
                    }
                    args.append(v)
                case .outer(let n)?:
                    guard let v = frame.parent?.lookup(n) else { throw InterpreterError.missingValue(name: n, node: step.nodeName) }
                    args.append(v)
                }
            }
            let results: [Value]
            let started = PreparedGraph.profile ? DispatchTime.now().uptimeNanoseconds : 0
            defer {
                if PreparedGraph.profile {
                    let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
                    FileHandle.standardError.write(Data("PROFILE \(step.nodeName) \(ms) ms\n".utf8))
                }
            }
            do {
                results = try step.op.run(args, RunContext(nodeName: step.nodeName, frame: frame))
            } catch let e as InterpreterError {
                throw e
            } catch {
                throw InterpreterError.invalidInput(node: step.nodeName, message: "\(error)")
            }
            for (k, s) in step.outputs.enumerated() {
                guard let s else { continue }
                guard k < results.count else {
                    throw InterpreterError.invalidInput(node: step.nodeName, message: "produced \(results.count) outputs; output \(k) is used")
                }
                frame.slots[s] = results[k]
            }
            for s in step.release { frame.slots[s] = nil }
        }
        return try outputRefs.enumerated().map { i, ref in
            switch ref {
            case .local(let s):
                guard let v = frame.slots[s] else { throw InterpreterError.missingValue(name: outputNames[i], node: "graph output") }
                return v
            case .outer(let n):
                guard let v = frame.parent?.lookup(n) else { throw InterpreterError.missingValue(name: n, node: "graph output") }
                return v
            }
        }
    }

    private func slotName(_ s: Int) -> String { slotOf.first { $0.value == s }?.key ?? "#\(s)" }
}

/// The values of one run of a graph.
final class Frame {
    let graph: PreparedGraph
    let parent: Frame?
    var slots: [Value?]
    /// The leaf trace asked for (main graph only).
    var trace: TreeLeafTraceRequest?

    init(graph: PreparedGraph, parent: Frame?) {
        self.graph = graph
        self.parent = parent
        self.slots = graph.initial
    }

    func lookup(_ name: String) -> Value? {
        if let s = graph.slotOf[name], let v = slots[s] { return v }
        return parent?.lookup(name)
    }
}
