/// Why a layer spec or its weights could not be converted. Each case names the place:
/// a JSON path in the spec (`layers[2].kernel_size`), a weight name, or a byte offset.
public enum LayerSpecError: Error, Sendable, CustomStringConvertible {
    /// The spec is not a valid layerspec/1 document (path, problem).
    case spec(path: String, reason: String)
    /// A layer's `type` is not one this converter knows.
    case unknownLayer(path: String, type: String, known: [String])
    /// A layer was given a key its torch class does not take.
    case unknownArgument(path: String, type: String, key: String, accepted: [String])
    /// An `inputs` entry names no earlier layer or graph input.
    case unknownInput(path: String, name: String)
    /// A weight the layer needs is not in the weights file.
    case missingWeight(path: String, name: String, shape: [Int])
    /// A weight has another shape than the layer's arguments imply.
    case weightShape(path: String, name: String, expected: [Int], found: [Int])
    /// A layer's input has a shape the layer cannot take (path, what was expected).
    case shape(path: String, reason: String)
    /// The weights file is malformed (file, where, problem).
    case weights(file: String, reason: String)
    /// A feature of the format or of a layer that this converter does not handle.
    case unsupported(path: String, reason: String)

    /// One line a user can act on.
    public var description: String {
        switch self {
        case .spec(let p, let r): return "\(p): \(r)"
        case .unknownLayer(let p, let t, let k):
            return "\(p): unknown layer type '\(t)' (supported: \(k.joined(separator: ", ")))"
        case .unknownArgument(let p, let t, let key, let a):
            return "\(p): \(t) takes no argument '\(key)' (it takes: \(a.isEmpty ? "none" : a.joined(separator: ", ")))"
        case .unknownInput(let p, let n): return "\(p): input '\(n)' is neither an earlier layer nor a graph input"
        case .missingWeight(let p, let n, let s): return "\(p): the weights have no '\(n)' (expected shape \(s))"
        case .weightShape(let p, let n, let e, let f): return "\(p): weight '\(n)' has shape \(f), expected \(e)"
        case .shape(let p, let r): return "\(p): \(r)"
        case .weights(let f, let r): return "\(f): \(r)"
        case .unsupported(let p, let r): return "\(p): \(r)"
        }
    }
}
