import ONNX

/// An operator implementation: one file per op under `Ops/`.
///
/// A type declares its domain, op type and the schema versions (since-versions) it
/// implements; the session picks it when the model's opset resolves to one of them.
/// `init` runs once when a model is prepared (bind attributes, prepare subgraphs);
/// `run` runs for every inference and must not mutate the instance.
public protocol Operator: Sendable {
    /// `""` for the default ONNX domain, `"ai.onnx.ml"`, ...
    static var domain: String { get }
    static var opType: String { get }
    /// The since-versions of the schemas this implementation follows.
    static var sinceVersions: [Int64] { get }
    init(_ context: OpContext) throws
    /// Computes the outputs; `inputs` has nil for omitted optional inputs. Returns at
    /// most as many values as the node has outputs (trailing optional ones may be left out).
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value]
}

extension Operator {
    public static var domain: String { "" }
}

/// What an op sees while it is prepared: the node, its attributes with the schema's
/// defaults, the version in force and a way to prepare subgraphs.
public struct OpContext {
    public let node: Node
    /// The node's name, or `OpType#index` when it has none (for messages).
    public let nodeName: String
    /// The since-version of the schema in force.
    public let sinceVersion: Int64
    /// The version of the node's domain that the model imports.
    public let opsetVersion: Int64
    public let schema: OpSchema?
    let prepareSubgraph: (Graph) throws -> PreparedGraph

    private func attribute(_ name: String) -> Attribute? { node.attribute(named: name) }

    /// The attribute's value, or the schema default, or nil.
    public func value(_ name: String) -> Attribute.Value? {
        if let a = attribute(name), let v = a.value { return v }
        return schema?.attributes[name]?.defaultValue
    }

    /// Whether `value(name)` is non-nil, found without reading deferred arrays.
    private func present(_ name: String) -> Bool {
        if let a = attribute(name), a.hasValue { return true }
        return schema?.attributes[name]?.defaultValue != nil
    }

    /// True when the node sets the attribute itself.
    public func has(_ name: String) -> Bool { attribute(name) != nil }

    func wrong(_ name: String, _ expected: String) -> InterpreterError {
        .badAttribute(node: nodeName, attribute: name, message: has(name) ? "expected \(expected)" : "is required")
    }

    public func int(_ name: String) throws -> Int64 {
        guard case .int(let v)? = value(name) else { throw wrong(name, "an INT") }
        return v
    }
    public func int(_ name: String, default d: Int64) throws -> Int64 { !present(name) ? d : try int(name) }
    public func float(_ name: String) throws -> Float {
        guard case .float(let v)? = value(name) else { throw wrong(name, "a FLOAT") }
        return v
    }
    public func float(_ name: String, default d: Float) throws -> Float { !present(name) ? d : try float(name) }
    public func string(_ name: String) throws -> String {
        guard case .string(let v)? = value(name) else { throw wrong(name, "a STRING") }
        return v.string
    }
    public func string(_ name: String, default d: String) throws -> String { !present(name) ? d : try string(name) }
    public func ints(_ name: String) throws -> [Int64] {
        guard case .ints(let v)? = value(name) else { throw wrong(name, "INTS") }
        return v
    }
    public func ints(_ name: String, default d: [Int64]) throws -> [Int64] { !present(name) ? d : try ints(name) }
    /// nil when neither the node nor the schema gives a value.
    public func intsIfPresent(_ name: String) throws -> [Int64]? { !present(name) ? nil : try ints(name) }
    public func floats(_ name: String) throws -> [Float] {
        guard case .floats(let v)? = value(name) else { throw wrong(name, "FLOATS") }
        return v
    }
    public func floats(_ name: String, default d: [Float]) throws -> [Float] { !present(name) ? d : try floats(name) }
    public func strings(_ name: String) throws -> [String] {
        guard case .strings(let v)? = value(name) else { throw wrong(name, "STRINGS") }
        return v.map(\.string)
    }
    public func strings(_ name: String, default d: [String]) throws -> [String] { !present(name) ? d : try strings(name) }
    /// An INTS attribute's elements passed through `transform`, or `d` when absent. When
    /// the decoder left the elements in the file (`DeferredAttributeArrays`) they are read
    /// from there, without an `[Int64]` in between: a large tree ensemble's node ids.
    func ints<T>(_ name: String, default d: [T], _ transform: (Int64) -> T) throws -> [T] {
        if let deferred = deferred(name, .ints, .ints) { return deferred.ints(transform) }
        return !present(name) ? d : try ints(name).map(transform)
    }

    /// A FLOATS attribute's elements passed through `transform`, or `d` when absent; read
    /// from the file when deferred (see `ints(_:default:_:)`).
    func floats<T>(_ name: String, default d: [T], _ transform: (Float) -> T) throws -> [T] {
        if let deferred = deferred(name, .floats, .floats) { return deferred.floats(transform) }
        return !present(name) ? d : try floats(name).map(transform)
    }

    /// A STRINGS attribute's elements, as their bytes, passed through `transform`, or `d`
    /// when absent; read from the file when deferred (see `ints(_:default:_:)`).
    func strings<T>(_ name: String, default d: [T], _ transform: (UnsafeRawBufferPointer) -> T) throws -> [T] {
        if let deferred = deferred(name, .strings, .strings) { return deferred.strings(transform) }
        guard present(name) else { return d }
        guard case .strings(let v)? = value(name) else { throw wrong(name, "STRINGS") }
        return v.map { $0.withUnsafeBytes(transform) }
    }

    /// The attribute's deferred arrays when it has the given type and its `field` is
    /// among them.
    private func deferred(_ name: String, _ type: AttributeType, _ field: DeferredAttributeArrays.Field) -> DeferredAttributeArrays? {
        guard let a = attribute(name), a.type == type, let d = a.deferredArrays, d.contains(field) else { return nil }
        return d
    }

    /// A TENSOR attribute as a runtime tensor.
    public func tensor(_ name: String) throws -> TensorValue {
        guard case .tensor(let t)? = value(name) else { throw wrong(name, "a TENSOR") }
        do { return try TensorValue(proto: t, source: "\(nodeName) attribute \(name)") } catch {
            throw InterpreterError.badAttribute(node: nodeName, attribute: name, message: "\(error)")
        }
    }
    public func tensorIfPresent(_ name: String) throws -> TensorValue? { !present(name) ? nil : try tensor(name) }
    /// A GRAPH attribute, prepared to run.
    public func graph(_ name: String) throws -> PreparedGraph {
        guard case .graph(let g)? = value(name) else { throw wrong(name, "a GRAPH") }
        return try prepareSubgraph(g)
    }

    /// An error about this node's inputs.
    public func invalid(_ message: String) -> InterpreterError { .invalidInput(node: nodeName, message: message) }

    /// This context without the means to prepare subgraphs, which hold on to the
    /// session being prepared: for an op that keeps its context to read attributes again
    /// later (a tree op building its float64 engine on first use).
    func detached() -> OpContext {
        let name = nodeName
        return OpContext(node: node, nodeName: nodeName, sinceVersion: sinceVersion, opsetVersion: opsetVersion, schema: schema,
                         prepareSubgraph: { _ in throw InterpreterError.invalidInput(node: name, message: "a detached context prepares no subgraphs") })
    }
}

/// What an op sees while it runs.
public final class RunContext {
    /// The node's name, for messages.
    public let nodeName: String
    /// The frame the node runs in (subgraphs look outer values up through it).
    let frame: Frame

    init(nodeName: String, frame: Frame) {
        self.nodeName = nodeName
        self.frame = frame
    }

    /// Runs a prepared subgraph with its inputs, in this node's scope.
    public func run(_ graph: PreparedGraph, inputs: [Value?]) throws -> [Value] {
        try graph.run(inputs: inputs, parent: frame)
    }

    /// An error about this node's inputs.
    public func invalid(_ message: String) -> InterpreterError { .invalidInput(node: nodeName, message: message) }

    /// The tensor of input `i`, or an error naming it.
    public func tensor(_ inputs: [Value?], _ i: Int) throws -> TensorValue {
        guard i < inputs.count, let v = inputs[i] else { throw invalid("input \(i) is missing") }
        guard case .tensor(let t) = v else { throw invalid("input \(i) is a \(v), not a tensor") }
        return t
    }

    /// The tensor of optional input `i`, nil when omitted.
    public func optionalTensor(_ inputs: [Value?], _ i: Int) throws -> TensorValue? {
        guard i < inputs.count, let v = inputs[i] else { return nil }
        guard case .tensor(let t) = v else { throw invalid("input \(i) is a \(v), not a tensor") }
        return t
    }
}
