import DocumentReaders
import ONNX

/// A value flowing between layers: its graph value and its shape (fixed sizes and
/// symbolic names such as `batch`).
public struct LayerValue {
    public var value: GraphBuilder.Value
    public var shape: [ShapeDimension]

    public init(_ value: GraphBuilder.Value, _ shape: [ShapeDimension]) {
        self.value = value
        self.shape = shape
    }

    public var rank: Int { shape.count }
}

/// One layer type (or a family of them): the torch class names it handles and how it
/// lowers. A new layer type is one file with one of these, listed in `LayerTypes.all`.
public protocol LayerLowering: Sendable {
    /// torch.nn class names (or functional names) handled.
    var typeNames: [String] { get }
    /// Adds the layer's nodes; reads its arguments through `c.args` (with PyTorch's
    /// defaults) and its weights through `c.weight`.
    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue
}

/// The torch constructor arguments of one layer declaration. Every accessor records
/// the key, so that keys a layer never read are reported as unknown.
public final class LayerArguments {
    let node: DocumentNode
    let type: String
    private(set) var read: [String] = []

    init(node: DocumentNode, type: String) {
        self.node = node
        self.type = type
    }

    private func value(_ key: String) throws -> DocumentNode? {
        if !read.contains(key) { read.append(key) }
        return try node.optionalMember(key)
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as DocumentError { throw LayerSpecError.spec(path: node.path, reason: e.description) }
    }

    /// An integer argument; `default` nil makes it required.
    /// - Parameter atLeast: the smallest value the layer accepts (a stride or kernel of 0
    ///   would divide by zero or make an empty dimension); smaller ones are refused.
    public func int(_ key: String, default d: Int? = nil, atLeast minimum: Int? = nil) throws -> Int {
        try wrap {
            guard let v = try value(key) else {
                guard let d else { throw LayerSpecError.spec(path: node.path, reason: "\(type) needs '\(key)'") }
                return d
            }
            let n = try v.integer()
            if let minimum, n < minimum { throw LayerSpecError.spec(path: v.path, reason: "\(key) is \(n); \(type) needs at least \(minimum)") }
            return n
        }
    }

    /// An integer or a list of `count` integers (torch's `_pair`/`_triple`).
    /// - Parameter atLeast: the smallest value each entry may take (see `int`).
    public func ints(_ key: String, count: Int, default d: Int? = nil, atLeast minimum: Int? = nil) throws -> [Int] {
        try wrap {
            guard let v = try value(key) else {
                guard let d else { throw LayerSpecError.spec(path: node.path, reason: "\(type) needs '\(key)'") }
                return [Int](repeating: d, count: count)
            }
            let list: [Int]
            if case .number = v.value { list = [Int](repeating: try v.integer(), count: count) } else { list = try v.integers() }
            guard list.count == count else { throw LayerSpecError.spec(path: v.path, reason: "expected \(count) values, found \(list.count)") }
            if let minimum, let low = list.first(where: { $0 < minimum }) {
                throw LayerSpecError.spec(path: v.path, reason: "\(key) holds \(low); \(type) needs at least \(minimum)")
            }
            return list
        }
    }

    /// A list of integers, or one integer as a list of one (shapes, dims).
    public func intList(_ key: String, default d: [Int]? = nil) throws -> [Int] {
        try wrap {
            guard let v = try value(key) else {
                guard let d else { throw LayerSpecError.spec(path: node.path, reason: "\(type) needs '\(key)'") }
                return d
            }
            if case .number = v.value { return [try v.integer()] }
            return try v.integers()
        }
    }

    public func double(_ key: String, default d: Double? = nil) throws -> Double {
        try wrap {
            guard let v = try value(key) else {
                guard let d else { throw LayerSpecError.spec(path: node.path, reason: "\(type) needs '\(key)'") }
                return d
            }
            return try v.double()
        }
    }

    public func bool(_ key: String, default d: Bool) throws -> Bool {
        try wrap { try value(key)?.bool() ?? d }
    }

    public func string(_ key: String, default d: String) throws -> String {
        try wrap { try value(key)?.string() ?? d }
    }

    /// The raw node of an argument that takes several forms (`padding`: int, list or
    /// "same"), recorded as read.
    public func raw(_ key: String) throws -> DocumentNode? { try wrap { try value(key) } }

    /// The error for an argument value the converter does not handle.
    public func unsupported(_ key: String, _ reason: String) -> LayerSpecError {
        .unsupported(path: "\(node.path).\(key)", reason: "\(type): \(reason)")
    }

    /// The declaration's keys that no accessor asked for.
    var unread: [String] {
        node.keys.filter { !LayerSpecDocument.structuralKeys.contains($0) && !read.contains($0) }
    }
}

/// What a layer sees while it lowers: the builder, its arguments and weights, the
/// graph's float type, and names prefixed with its module path.
public final class LayerContext {
    public let builder: GraphBuilder
    public let args: LayerArguments
    /// The module path (`block.0`): weights are `<path>.<suffix>`.
    public let path: String
    /// The declaration's JSON path, for messages.
    public let where_: String
    /// The float type of the graph (float32 unless --dtype float64).
    public let dtype: DataType
    let weights: WeightStore?

    init(builder: GraphBuilder, layer: LayerSpecDocument.Layer, weights: WeightStore?, dtype: DataType) {
        self.builder = builder
        args = LayerArguments(node: layer.node, type: layer.type)
        path = layer.path
        where_ = layer.node.path
        self.dtype = dtype
        self.weights = weights
    }

    /// An error about this layer's input shapes.
    public func shapeError(_ reason: String) -> LayerSpecError { .shape(path: where_, reason: "\(args.type): \(reason)") }

    /// A fixed size, or an error saying which dimension had to be known.
    public func fixed(_ d: ShapeDimension, _ what: String) throws -> Int {
        guard let v = d.fixedValue else { throw shapeError("\(what) must be a fixed size, not '\(d)'") }
        return Int(v)
    }

    /// The values of weight `<path>.<suffix>`, checked against `shape`.
    public func weightValues(_ suffix: String, shape: [Int]) throws -> [Double] {
        let name = path.isEmpty ? suffix : "\(path).\(suffix)"
        guard let t = weights?.take(name) else { throw LayerSpecError.missingWeight(path: where_, name: name, shape: shape) }
        guard t.shape == shape else { throw LayerSpecError.weightShape(path: where_, name: name, expected: shape, found: t.shape) }
        return t.doubles()
    }

    /// Whether the weights hold `<path>.<suffix>`.
    public func hasWeight(_ suffix: String) -> Bool { weights?.tensors[path.isEmpty ? suffix : "\(path).\(suffix)"] != nil }

    /// Marks `<path>.<suffix>` as used without reading it.
    public func ignoreWeight(_ suffix: String) { weights?.ignore(path.isEmpty ? suffix : "\(path).\(suffix)") }

    /// Weight `<path>.<suffix>` as an initializer of the graph's float type, named after
    /// the weight.
    public func weight(_ suffix: String, shape: [Int]) throws -> GraphBuilder.Value {
        let name = path.isEmpty ? suffix : "\(path).\(suffix)"
        guard let t = weights?.take(name) else { throw LayerSpecError.missingWeight(path: where_, name: name, shape: shape) }
        guard t.shape == shape else { throw LayerSpecError.weightShape(path: where_, name: name, expected: shape, found: t.shape) }
        let dims = shape.map { Int64($0) }
        // Weights already of the graph's type go in as the file's own bytes, uncopied.
        if (t.dtype == .f32 && dtype == .float) || (t.dtype == .f64 && dtype == .double) {
            var tensor = Tensor()
            tensor.dims = dims
            tensor.dataType = dtype
            tensor.rawData = t.bytes
            return try builder.initializer(tensor, name: name)
        }
        if dtype == .double { return try builder.initializer(t.doubles(), shape: dims, name: name) }
        return try builder.initializer(t.floats(), shape: dims, name: name)
    }

    /// Constants of the graph's float type.
    public func constant(_ values: [Double], shape: [Int], name: String) throws -> GraphBuilder.Value {
        let dims = shape.map { Int64($0) }
        if dtype == .double { return try builder.initializer(values, shape: dims, name: "\(path)/\(name)") }
        return try builder.initializer(values.map { Float($0) }, shape: dims, name: "\(path)/\(name)")
    }

    /// Int64 constants (shapes, axes).
    public func int64s(_ values: [Int64], name: String) throws -> GraphBuilder.Value {
        try builder.initializer(values, shape: [Int64(values.count)], name: "\(path)/\(name)")
    }

    /// A node named after the layer.
    public func node(_ op: String, _ inputs: [GraphBuilder.Value?], _ attributes: [String: AttributeValue] = [:]) throws -> GraphBuilder.Value {
        try builder.node(op, inputs, attributes: attributes, name: path.isEmpty ? op : "\(path)/\(op)")
    }

    /// The one input a single-input layer takes.
    public func single(_ inputs: [LayerValue]) throws -> LayerValue {
        guard inputs.count == 1, let x = inputs.first else { throw shapeError("takes one input, given \(inputs.count)") }
        return x
    }
}
