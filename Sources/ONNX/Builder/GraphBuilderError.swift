/// Why `GraphBuilder` refused a call. Every case names the operator, node, attribute or
/// value involved; `description` says what to change.
///
/// `node` is the node name the caller asked for, or the op type when none was given:
/// the builder reports errors before it makes names unique.
public enum GraphBuilderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operator does not exist in `domain` at the target opset. `availableSince` is
    /// the first opset that has it, when a later one does.
    case unknownOperator(op: String, domain: String, opset: Int64, availableSince: Int64?, node: String)
    /// The operator version in force at the target opset is deprecated.
    case deprecatedOperator(op: String, domain: String, opset: Int64, deprecatedSince: Int64, node: String)
    /// A node uses a domain that the builder was not given a target version for.
    case undeclaredDomain(op: String, domain: String, node: String)
    /// A target opset version outside what this toolkit knows (`supported`).
    case unsupportedOpset(domain: String, version: Int64, supported: ClosedRange<Int64>)
    /// Wrong number of inputs for the schema (`max` nil: unbounded).
    case inputCountMismatch(op: String, node: String, opset: Int64, given: Int, min: Int, max: Int?)
    /// A required (non-optional) input was passed as nil.
    case missingInput(op: String, node: String, index: Int, formalName: String)
    /// Wrong number of outputs requested for the schema (`max` nil: unbounded).
    case outputCountMismatch(op: String, node: String, opset: Int64, requested: Int, min: Int, max: Int?)
    /// The schema at the target opset has no attribute of this name.
    case unknownAttribute(op: String, node: String, attribute: String, opset: Int64, allowed: [String])
    /// The attribute was an attribute in older opsets and is input `inputIndex` at the
    /// target opset (Squeeze/Unsqueeze/Reduce* `axes`, Split `split`, Pad `pads`, ...).
    case attributeIsInput(op: String, node: String, attribute: String, opset: Int64, inputIndex: Int)
    /// The attribute exists but was given a value of another type.
    case attributeTypeMismatch(op: String, node: String, attribute: String, expected: AttributeType, given: AttributeType)
    /// A required attribute is missing.
    case missingAttribute(op: String, node: String, attribute: String)
    /// The attribute has the right type but a value the operator cannot take.
    case invalidAttribute(op: String, node: String, attribute: String, reason: String)
    /// Input shapes that the operator cannot combine (found by shape inference).
    case incompatibleShapes(op: String, node: String, reason: String)
    /// Input element types that the operator cannot combine.
    case incompatibleTypes(op: String, node: String, reason: String)
    /// An input value is not visible here: it comes from another builder, or from a
    /// sibling subgraph.
    case valueNotInScope(value: String, node: String)
    /// A graph input or output name is already used by another value.
    case duplicateName(name: String)
    /// The value is already a graph output under this name.
    case duplicateOutput(name: String)
    /// A top-level graph output whose type the builder could not infer.
    case untypedOutput(name: String)
    /// A tensor's dims do not hold the number of elements supplied.
    case tensorShapeMismatch(name: String?, elementCount: Int, dims: [Int64])
    /// A graph (top-level or subgraph) without outputs.
    case noOutputs(graph: String)
    /// An empty name was given where a name is required.
    case emptyName(what: String)
    /// `makeModel` was called on a subgraph builder.
    case notTopLevel(graph: String)

    /// What went wrong, where, and what to change.
    public var description: String {
        switch self {
        case let .unknownOperator(op, domain, opset, since, node):
            let d = displayDomain(domain)
            if let since {
                return "node '\(node)': operator \(d)::\(op) does not exist at opset \(opset); it exists from opset \(since): raise the target opset of \(d) to at least \(since)"
            }
            let later = OpSchemaRegistry.versions(domain: domain, name: op).first
            if later == nil {
                return "node '\(node)': \(d) has no operator named '\(op)' (check the spelling and the domain)"
            }
            return "node '\(node)': operator \(d)::\(op) does not exist at opset \(opset)"
        case let .deprecatedOperator(op, domain, opset, since, node):
            let d = displayDomain(domain)
            var s = "node '\(node)': operator \(d)::\(op) is deprecated since opset \(since) (target \(opset))"
            switch (Domain.normalize(domain), op) {
            case (Domain.ml, "TreeEnsembleClassifier"), (Domain.ml, "TreeEnsembleRegressor"):
                s += ": use ai.onnx.ml::TreeEnsemble, or target ai.onnx.ml opset \(since - 1) or lower"
            case (Domain.onnx, "Upsample"): s += ": use Resize"
            case (Domain.onnx, "Scatter"): s += ": use ScatterElements"
            default: s += ": use a newer operator or a lower target opset (below \(since))"
            }
            return s
        case let .undeclaredDomain(op, domain, node):
            return "node '\(node)': operator \(op) is in domain '\(domain)', which has no target version: pass it in GraphBuilder(opsets: [\"\(domain)\": <version>])"
        case let .unsupportedOpset(domain, version, supported):
            return "target opset \(version) for \(displayDomain(domain)) is not supported: use a version in \(supported.lowerBound)...\(supported.upperBound)"
        case let .inputCountMismatch(op, node, opset, given, min, max):
            return "node '\(node)': \(op) (opset \(opset)) takes \(countRange(min, max)) inputs, \(given) given"
        case let .missingInput(op, node, index, formal):
            return "node '\(node)': \(op) input \(index) ('\(formal)') is required but was nil"
        case let .outputCountMismatch(op, node, opset, requested, min, max):
            var s = "node '\(node)': \(op) (opset \(opset)) produces \(countRange(min, max)) outputs, \(requested) requested"
            if requested == 1 && min > 1 { s += ": use node(_:_:outputCount:) to get all of them" }
            return s
        case let .unknownAttribute(op, node, attribute, opset, allowed):
            let list = allowed.isEmpty ? "none" : allowed.joined(separator: ", ")
            return "node '\(node)': \(op) (opset \(opset)) has no attribute '\(attribute)' (allowed: \(list))"
        case let .attributeIsInput(op, node, attribute, opset, index):
            return "node '\(node)': at opset \(opset), '\(attribute)' is input \(index) of \(op), not an attribute: pass it as an initializer or constant input (for example try b.initializer([Int64](...)))"
        case let .attributeTypeMismatch(op, node, attribute, expected, given):
            return "node '\(node)': attribute '\(attribute)' of \(op) must be \(expected), got \(given): write it as .\(caseName(expected))(...)"
        case let .missingAttribute(op, node, attribute):
            return "node '\(node)': \(op) requires attribute '\(attribute)'"
        case let .invalidAttribute(op, node, attribute, reason):
            return "node '\(node)': attribute '\(attribute)' of \(op): \(reason)"
        case let .incompatibleShapes(op, node, reason):
            return "node '\(node)': \(op) input shapes are incompatible: \(reason)"
        case let .incompatibleTypes(op, node, reason):
            return "node '\(node)': \(op) input types are incompatible: \(reason) (insert a Cast)"
        case let .valueNotInScope(value, node):
            return "node '\(node)': value '\(value)' is not visible in this graph (it belongs to another builder or a sibling subgraph)"
        case let .duplicateName(name):
            return "name '\(name)' is already used by another value in this model: choose another graph input/output name"
        case let .duplicateOutput(name):
            return "'\(name)' is already a graph output"
        case let .untypedOutput(name):
            return "the type of graph output '\(name)' is unknown: pass outputType:/outputTypes: to node(...) or type: to output(...)"
        case let .tensorShapeMismatch(name, count, dims):
            let n = name.map { "tensor '\($0)'" } ?? "tensor"
            return "\(n): dims \(dims) do not hold \(count) elements"
        case let .noOutputs(graph):
            return "graph '\(graph)' has no outputs: call output(_:name:) at least once"
        case let .emptyName(what):
            return "\(what) needs a non-empty name"
        case let .notTopLevel(graph):
            return "graph '\(graph)' is a subgraph: call makeModel on the top-level builder"
        }
    }
}

private func displayDomain(_ d: String) -> String { Domain.normalize(d).isEmpty ? "ai.onnx" : d }

private func countRange(_ min: Int, _ max: Int?) -> String {
    guard let max else { return "at least \(min)" }
    return min == max ? "\(min)" : "\(min) to \(max)"
}

private func caseName(_ t: AttributeType) -> String {
    switch t {
    case .float: return "float"
    case .int: return "int"
    case .string: return "string"
    case .tensor: return "tensor"
    case .graph: return "graph"
    case .floats: return "floats"
    case .ints: return "ints"
    case .strings: return "strings"
    case .tensors: return "tensors"
    case .graphs: return "graphs"
    case .sparseTensor: return "sparseTensor"
    case .sparseTensors: return "sparseTensors"
    case .typeProto: return "typeProto"
    case .typeProtos: return "typeProtos"
    default: return t.description.lowercased()
    }
}
