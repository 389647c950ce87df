import DocumentReaders
import ReaderLimits
import ONNX

/// A parsed `layerspec/1` document: graph inputs, the layers in order, the outputs and
/// where the weights are. Nothing here knows what a layer does; `LayerSpecLowering`
/// gives the declarations their meaning.
public struct LayerSpecDocument: Sendable {
    /// One graph input: name, element type, dims (numbers or symbolic names).
    public struct Input: Sendable {
        public var name: String
        public var dtype: DataType
        public var shape: [ShapeDimension]
    }

    /// One entry of `layers`, with its own keys left for the layer to read.
    public struct Layer: Sendable {
        /// The torch.nn class name (or a functional layer's name).
        public var type: String
        /// The module path: weights are `<path>.weight` and so on.
        public var path: String
        /// How other layers refer to it: its `name`, or its index in its list.
        public var reference: String
        /// Earlier layers or graph inputs it reads; nil: the previous layer's output.
        public var inputs: [String]?
        /// The children of a Sequential.
        public var children: [Layer]
        /// The whole declaration (for the layer's own keys) with its JSON path.
        public var node: DocumentNode
    }

    public var name: String
    public var inputs: [Input]
    public var layers: [Layer]
    /// `outputs`; empty: the last layer's output, named `output`.
    public var outputs: [String]
    /// `weights`, relative to the spec's folder.
    public var weights: String?

    /// Keys every layer may have besides its torch arguments.
    static let structuralKeys: Set<String> = ["type", "name", "inputs", "layers"]

    /// Parses a spec from JSON bytes within `limits`; `file` names it in errors.
    ///
    /// - Throws: `LayerSpecError.spec` with the JSON path of the problem, `ReaderLimitBreach`.
    public init(json bytes: [UInt8], file: String, limits: ReaderLimits = .default) throws {
        let root: DocumentNode
        do { root = DocumentNode(try JSONReader.parse(bytes, limits: limits), path: file) } catch let e as DocumentError {
            throw LayerSpecError.spec(path: file, reason: "\(e)")
        }
        try self.init(root)
    }

    init(_ root: DocumentNode) throws {
        do {
            let format = try root.member("format").string()
            guard format == "layerspec/1" else {
                throw LayerSpecError.spec(path: "\(root.path).format", reason: "'\(format)' is not a supported format (this reads layerspec/1)")
            }
            for key in root.keys where !["format", "name", "inputs", "weights", "layers", "outputs"].contains(key) {
                throw LayerSpecError.spec(path: "\(root.path).\(key)", reason: "unknown key (a spec has format, name, inputs, weights, layers, outputs)")
            }
            name = try root.optionalMember("name")?.string() ?? "model"
            let inputsNode = try root.member("inputs")
            var inputs: [Input] = []
            for (key, n) in (try? inputsNode.members()) ?? [] {
                let dtypeName = try n.optionalMember("dtype")?.string() ?? "float32"
                guard let dtype = Self.dtypes[dtypeName] else {
                    throw LayerSpecError.spec(path: "\(n.path).dtype", reason: "'\(dtypeName)' is not one of \(Self.dtypes.keys.sorted().joined(separator: ", "))")
                }
                var shape: [ShapeDimension] = []
                for d in try n.member("shape").elements() {
                    if case .string(let s) = d.value { shape.append(.symbolic(s)); continue }
                    let v = try d.integer()
                    guard v >= 1 else { throw LayerSpecError.spec(path: d.path, reason: "a dimension must be at least 1 or a name") }
                    shape.append(.fixed(Int64(v)))
                }
                inputs.append(Input(name: key, dtype: dtype, shape: shape))
            }
            guard !inputs.isEmpty else { throw LayerSpecError.spec(path: inputsNode.path, reason: "a spec needs at least one input") }
            self.inputs = inputs
            weights = try root.optionalMember("weights")?.string()
            layers = try Self.layers(try root.member("layers"), prefix: "")
            guard !layers.isEmpty else { throw LayerSpecError.spec(path: "\(root.path).layers", reason: "a spec needs at least one layer") }
            outputs = try root.optionalMember("outputs")?.strings() ?? []
        } catch let e as DocumentError {
            throw LayerSpecError.spec(path: root.path, reason: e.description)
        }
    }

    static let dtypes: [String: DataType] = ["float32": .float, "float64": .double, "float16": .float16, "int64": .int64, "int32": .int32, "bool": .bool]

    /// The layers of one list; `prefix` is the enclosing Sequential's path.
    static func layers(_ list: DocumentNode, prefix: String) throws -> [Layer] {
        var out: [Layer] = []
        for (i, n) in try list.elements().enumerated() {
            let type = try n.member("type").string()
            let own = try n.optionalMember("name")?.string()
            let reference = own ?? String(i)
            let path = prefix.isEmpty ? reference : "\(prefix).\(reference)"
            let inputs = try n.optionalMember("inputs")?.strings()
            var children: [Layer] = []
            if type == "Sequential" {
                children = try layers(try n.member("layers"), prefix: path)
            } else if n.has("layers") {
                throw LayerSpecError.spec(path: "\(n.path).layers", reason: "only Sequential has layers")
            }
            out.append(Layer(type: type, path: path, reference: reference, inputs: inputs, children: children, node: n))
        }
        return out
    }
}
