import ONNX

/// Why a model could not be prepared or run. Cases name the node and the input or
/// attribute involved.
public enum InterpreterError: Error, CustomStringConvertible, Equatable {
    /// No implementation of the op at the opset the model imports.
    case unsupportedOperator(domain: String, op: String, opset: Int64, implemented: [Int64])
    /// The model imports no version of a node's domain.
    case missingOpset(domain: String, node: String)
    /// An element type an op (or the tensor reader) does not handle.
    case unsupportedType(DataType, context: String)
    /// Shapes that do not fit together.
    case shapeMismatch(node: String, message: String)
    /// An input of the wrong kind or type.
    case typeMismatch(node: String, input: String, message: String)
    /// A required attribute is absent, or an attribute has the wrong kind.
    case badAttribute(node: String, attribute: String, message: String)
    /// A value the graph needs was never produced or fed.
    case missingValue(name: String, node: String)
    /// A graph input the caller did not feed.
    case missingInput(name: String)
    /// Data that cannot be turned into a value (a TensorProto, .npy, CSV).
    case badData(source: String, message: String)
    /// Anything else an op rejects at run time (invalid indices, ...), with the node.
    case invalidInput(node: String, message: String)

    public var description: String {
        switch self {
        case .unsupportedOperator(let d, let op, let v, let impl):
            let dom = d.isEmpty ? "ai.onnx" : d
            return impl.isEmpty
                ? "operator \(dom).\(op) (opset \(v)) is not implemented by the interpreter"
                : "operator \(dom).\(op) at opset \(v) is not implemented (implemented versions: \(impl.map(String.init).joined(separator: ", ")))"
        case .missingOpset(let d, let node): return "node \(node): the model imports no version of domain '\(d)'"
        case .unsupportedType(let t, let c): return "element type \(t) is not supported for \(c)"
        case .shapeMismatch(let n, let m): return n.isEmpty ? "shape mismatch: \(m)" : "node \(n): shape mismatch: \(m)"
        case .typeMismatch(let n, let i, let m): return "node \(n): input '\(i)': \(m)"
        case .badAttribute(let n, let a, let m): return "node \(n): attribute '\(a)': \(m)"
        case .missingValue(let v, let n): return "node \(n): value '\(v)' is not defined"
        case .missingInput(let v): return "graph input '\(v)' was not given"
        case .badData(let s, let m): return "\(s): \(m)"
        case .invalidInput(let n, let m): return n.isEmpty ? m : "node \(n): \(m)"
        }
    }
}
