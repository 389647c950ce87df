import ConversionKit
import ONNX
import PythonObjects
import TreeEnsembles

/// What a lowered estimator produced in the graph.
public enum SklearnOutputs {
    /// A transformer's output [N, width].
    case transformed(GraphBuilder.Value, width: Int)
    /// A classifier's label [N] and probabilities [N, C].
    case classifier(label: GraphBuilder.Value, probabilities: GraphBuilder.Value, classes: Int)
    /// A regressor's predictions [N] (or [N, T]).
    case regressor(GraphBuilder.Value, targets: Int)
    /// A classifier without predict_proba: label [N] and decision_function's scores
    /// ([N] for binary, [N, C] otherwise).
    case decision(label: GraphBuilder.Value, scores: GraphBuilder.Value, columns: Int)
    /// A classifier with predict alone (no predict_proba or decision_function in
    /// scikit-learn): its label [N].
    case label(GraphBuilder.Value)
}

/// An estimator family that lowers into a shared graph (so that pipelines can chain
/// them): the input is a float tensor [N, width] in the graph's element type.
public protocol SklearnGraphLowering: Sendable {
    /// Full class names handled.
    var classNames: [String] { get }
    /// Adds the estimator's nodes reading `input` (`width` columns).
    func addNodes(_ node: PyNode, to b: GraphBuilder, input: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs
}

extension GraphBuilder {
    /// Constants in the graph's float type (float32 or float64).
    func floats(_ values: [Double], shape: [Int64], dtype: DataType, name: String) throws -> Value {
        dtype == .double ? try initializer(values, shape: shape, name: name) : try initializer(values.map { Float($0) }, shape: shape, name: name)
    }
}

/// Builds a whole model from graph lowerings: input `input` [N, F] (or one input per
/// column, `inputs`: SklearnInputSchema), outputs by kind.
enum SklearnModelBuilder {
    static func model(_ node: PyNode, lowering: SklearnGraphLowering, featureCount: Int, inputs: [SklearnInputSchema.Entry]? = nil,
                      options: ConversionOptions) throws -> Model {
        let dtype: DataType = options.floatType == .double ? .double : .float
        let b = try GraphBuilder(graphName: "sklearn", opsets: [Domain.onnx: options.opset, Domain.ml: options.mlOpset])
        let outputs: SklearnOutputs
        if let inputs {
            let columns = try SklearnInputSchema.addInputs(inputs, to: b, dtype: dtype)
            outputs = try SklearnConverter.addNodes(node, to: b, columns: columns, dtype: dtype, lowering: lowering).outputs(b, node)
        } else {
            let x = try b.input(options.inputName, dtype, [.symbolic("N"), .fixed(Int64(featureCount))])
            outputs = try lowering.addNodes(node, to: b, input: x, width: featureCount, dtype: dtype)
        }
        let n = ShapeDimension.symbolic("N")
        switch outputs {
        case .transformed(let v, let w):
            _ = try b.output(v, name: "output", type: .tensor(dtype, [n, .fixed(Int64(w))]))
        case .classifier(let label, let probs, let c):
            _ = try b.output(label, name: "label", type: .tensor(label.elementType ?? .int64, [n]))
            _ = try b.output(probs, name: "probabilities", type: .tensor(dtype, [n, .fixed(Int64(c))]))
        case .decision(let label, let scores, let c):
            _ = try b.output(label, name: "label", type: .tensor(label.elementType ?? .int64, [n]))
            _ = try b.output(scores, name: "scores", type: .tensor(dtype, c == 1 ? [n] : [n, .fixed(Int64(c))]))
        case .label(let label):
            _ = try b.output(label, name: "label", type: .tensor(label.elementType ?? .int64, [n]))
        case .regressor(let p, let t):
            _ = try b.output(p, name: "predictions", type: .tensor(dtype, t == 1 ? [n] : [n, .fixed(Int64(t))]))
        }
        return try b.makeModel(producerName: "onnx-convert", producerVersion: nil, docString: "scikit-learn \(node.className ?? "")")
    }
}

/// An estimator's `classes_` as a constant the graph gathers labels from: int64 for
/// integer classes, strings for string classes (the label output then is a string tensor).
struct SklearnClassTable {
    let labels: TreeEnsembleModel.ClassLabels
    var count: Int { labels.count }

    /// The classes of `classes`.
    init(_ classes: PyNode) throws { labels = try SklearnTreeConverter.labels(classes) }

    /// The constant table.
    func table(_ b: GraphBuilder, name: String = "class_labels") throws -> GraphBuilder.Value {
        switch labels {
        case .integers(let a): return try b.initializer(a, shape: [Int64(a.count)], name: name)
        case .strings(let s): return try b.initializer(strings: s, shape: [Int64(s.count)], name: name)
        }
    }
}

/// The accumulated sum of an ensemble's members, or an error for an ensemble that has
/// none (only a crafted file has no fitted members).
func nonEmpty(_ total: GraphBuilder.Value?, _ node: PyNode) throws -> GraphBuilder.Value {
    guard let total else { throw SklearnError.invalid(path: node.path + ".estimators_", reason: "the ensemble has no fitted members") }
    return total
}
