import ONNX

/// Lowers a spec layer by layer into one graph: each layer reads the previous layer's
/// output, or the earlier layers and graph inputs it lists in `inputs`; a Sequential's
/// children do the same inside it, and its output is its last child's.
public enum LayerSpecLowering {
    /// The model, and warnings (weights no layer used).
    ///
    /// - Parameters:
    ///   - weights: the weights; nil when the spec needs none.
    ///   - floatType: `.float` or `.double`: float inputs and every weight take it.
    ///   - progress: called with (layers lowered, layers in all, Sequentials' children included).
    /// - Throws: `LayerSpecError`.
    public static func lower(_ spec: LayerSpecDocument, weights: WeightStore?, floatType: DataType, opset: Int64,
                             file: String, progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> (model: Model, warnings: [String]) {
        let b: GraphBuilder
        do { b = try GraphBuilder(graphName: spec.name, opsets: [Domain.onnx: opset]) } catch {
            throw LayerSpecError.unsupported(path: file, reason: "\(error)")
        }
        var scope = Scope(parent: nil)
        var first: LayerValue?
        for input in spec.inputs {
            let dtype = input.dtype == .float ? floatType : input.dtype
            let v = LayerValue(try wrap(file) { try b.input(input.name, dtype, input.shape) }, input.shape)
            scope.values[input.name] = v
            first = first ?? v
        }
        guard let start = first else { throw LayerSpecError.spec(path: file, reason: "a spec needs at least one input") }
        var counter = LayerCounter(total: LayerCounter.count(spec.layers), report: progress)
        let last = try run(spec.layers, from: start, scope: &scope, builder: b, weights: weights, dtype: floatType, counter: &counter)
        var outputs: [(String, LayerValue)] = []
        if spec.outputs.isEmpty {
            outputs = [("output", last)]
        } else {
            for name in spec.outputs {
                guard let v = scope.lookup(name) else { throw LayerSpecError.unknownInput(path: "\(file).outputs", name: name) }
                outputs.append((name, v))
            }
        }
        for (name, v) in outputs {
            let type = try wrap(name) { try b.type(of: v.value) }?.tensorElementType ?? floatType
            _ = try wrap(name) { try b.output(v.value, name: name, type: .tensor(type, v.shape)) }
        }
        let model = try wrap(file) { try b.makeModel(producerName: "onnx-convert", producerVersion: nil, docString: "layer spec \(spec.name)") }
        var warnings: [String] = []
        if let unused = weights?.unused, !unused.isEmpty {
            warnings.append("\(unused.count) weight\(unused.count == 1 ? "" : "s") in \(weights?.file ?? "the weights") not used by any layer: \(unused.prefix(20).joined(separator: ", "))\(unused.count > 20 ? ", ..." : "")")
        }
        return (model, warnings)
    }

    /// Names visible to a layer: its list's earlier layers, then the enclosing lists',
    /// then the graph inputs.
    struct Scope {
        var values: [String: LayerValue] = [:]
        var parent: [String: LayerValue]?

        init(parent: Scope?) {
            if let parent { self.parent = parent.values.merging(parent.parent ?? [:]) { a, _ in a } }
        }

        func lookup(_ name: String) -> LayerValue? { values[name] ?? parent?[name] }
    }

    /// Layers lowered so far, for progress.
    struct LayerCounter {
        let total: Int
        let report: ((Int, Int) -> Void)?
        var done = 0

        static func count(_ layers: [LayerSpecDocument.Layer]) -> Int {
            layers.reduce(0) { $0 + ($1.type == "Sequential" ? count($1.children) : 1) }
        }

        mutating func advance() {
            done += 1
            report?(done, total)
        }
    }

    static func run(_ layers: [LayerSpecDocument.Layer], from start: LayerValue, scope: inout Scope, builder b: GraphBuilder,
                    weights: WeightStore?, dtype: DataType, counter: inout LayerCounter) throws -> LayerValue {
        var previous = start
        for layer in layers {
            let inputs: [LayerValue]
            if let names = layer.inputs {
                inputs = try names.map { n in
                    guard let v = scope.lookup(n) else { throw LayerSpecError.unknownInput(path: "\(layer.node.path).inputs", name: n) }
                    return v
                }
            } else {
                inputs = [previous]
            }
            let out: LayerValue
            if layer.type == "Sequential" {
                guard inputs.count == 1, let x = inputs.first else {
                    throw LayerSpecError.shape(path: layer.node.path, reason: "Sequential takes one input, given \(inputs.count)")
                }
                var inner = Scope(parent: scope)
                out = try run(layer.children, from: x, scope: &inner, builder: b, weights: weights, dtype: dtype, counter: &counter)
            } else {
                guard let lowering = LayerTypes.byName[layer.type] else {
                    throw LayerSpecError.unknownLayer(path: layer.node.path, type: layer.type, known: LayerTypes.names)
                }
                let c = LayerContext(builder: b, layer: layer, weights: weights, dtype: dtype)
                out = try wrap(layer.node.path) { try lowering.lower(inputs, c) }
                if let key = c.args.unread.first {
                    throw LayerSpecError.unknownArgument(path: "\(layer.node.path).\(key)", type: layer.type, key: key, accepted: c.args.read)
                }
                counter.advance()
            }
            scope.values[layer.reference] = out
            previous = out
        }
        return previous
    }

    /// Builder errors as spec errors at `path`.
    static func wrap<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as LayerSpecError { throw e } catch {
            throw LayerSpecError.unsupported(path: path, reason: "\(error)")
        }
    }
}
