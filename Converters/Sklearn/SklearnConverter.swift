import ConversionKit
import Foundation
import ONNX
import PythonObjects
import TreeEnsembles

/// One family of scikit-learn estimators: the class names it handles and how it lowers a
/// fitted instance (read as data by PythonObjects) to a conversion result.
public protocol SklearnEstimatorConverter: Sendable {
    /// Full class names (`sklearn.tree._classes.DecisionTreeClassifier`), aliases allowed.
    var classNames: [String] { get }
    /// Converts the estimator at `node`.
    func convert(_ node: PyNode, options: ConversionOptions) throws -> ConversionResult
}

/// Why a scikit-learn file could not be converted; each case names the path inside the
/// estimator.
public enum SklearnError: Error, Sendable, CustomStringConvertible {
    /// No converter for the class (the supported ones are listed).
    case unsupported(className: String, path: String, supported: [String])
    /// The file's object is not an estimator.
    case notAnEstimator(found: String)
    /// A fitted attribute has an unexpected shape or value.
    case invalid(path: String, reason: String)
    /// Reading the file failed.
    case objects(PythonObjectsError)

    public var description: String {
        switch self {
        case .unsupported(let c, let p, let s): return "\(p): \(c) has no converter (supported: \(s.map { String($0.split(separator: ".").last ?? "") }.joined(separator: ", ")))"
        case .notAnEstimator(let f): return "the file holds \(f), not a fitted estimator"
        case .invalid(let p, let r): return "\(p): \(r)"
        case .objects(let e): return e.description
        }
    }
}

/// The scikit-learn frontend: pickle, joblib, skops and jsonpickle files, read as data
/// and dispatched on the estimator's class name.
public struct SklearnConverter: Converter {
    /// The estimator families, in lookup order.
    public static let families: [SklearnEstimatorConverter] = [SklearnTreeConverter(), SklearnGradientBoosting(), SklearnHistGradientBoosting(), SklearnIsolationForest()]

    public init() {}

    public var formats: [SourceFormat] { [.pickle, .joblib, .skops, .jsonpickle] }

    /// Families that lower into a shared graph (and so also work inside pipelines).
    public static let graphFamilies: [SklearnGraphLowering] = [SklearnLinear(), SklearnScaler(), SklearnTransformers(), SklearnNaiveBayes(), SklearnGaussianDensities(), SklearnNeuralNetwork(), SklearnNeighbors(), SklearnComposition(), SklearnSimpleModels(), SklearnSVM(), SklearnFeatureTransforms(), SklearnEnsembles(), SklearnStacking(), SklearnCalibration(), SklearnGeneralizedLinear(), SklearnFeatureSelection(), SklearnDistributionTransforms(), SklearnOrdinalEncoder(), SklearnSelectFromModel(), SklearnSplineTransformer(), SklearnDecompositions(), SklearnNMF(), SklearnTargetEncoder(), SklearnOneHotEncoder(), SklearnPipeline()]

    /// Every class name with a converter.
    public static var supportedClasses: [String] { (families.flatMap(\.classNames) + graphFamilies.flatMap(\.classNames)).sorted() }

    /// The graph lowering for an estimator inside a pipeline.
    static func graphLowering(for node: PyNode) throws -> SklearnGraphLowering {
        guard let cls = node.className else { throw SklearnError.notAnEstimator(found: node.value.kindName) }
        if let g = graphFamilies.first(where: { $0.classNames.contains(cls) }) { return g }
        if SklearnTreeGraph().classNames.contains(cls) { return SklearnTreeGraph() }
        if cls == SklearnIsolationForest.className { return SklearnIsolationForest() }
        throw SklearnError.unsupported(className: cls, path: node.path, supported: supportedClasses)
    }

    /// The converter for an estimator node.
    static func family(for node: PyNode) throws -> SklearnEstimatorConverter {
        guard let cls = node.className else { throw SklearnError.notAnEstimator(found: node.value.kindName) }
        guard let f = families.first(where: { $0.classNames.contains(cls) }) else {
            throw SklearnError.unsupported(className: cls, path: node.path, supported: supportedClasses)
        }
        return f
    }

    public func convert(contentsOf url: URL, format: SourceFormat, options: ConversionOptions) throws -> ConversionResult {
        let value: PyValue
        do { value = try PythonObjectFile.read(contentsOf: url, limits: options.limits) } catch let e as PythonObjectsError { throw SklearnError.objects(e) }
        // Self-referential pickles make reference cycles; break them once converted.
        defer { value.dismantle() }
        let root = PyNode(root: value)
        do {
            var warnings: [String] = []
            var graph = root.className.flatMap { cls in Self.graphFamilies.first(where: { $0.classNames.contains(cls) }) }
            if graph == nil, options.hints.inputSchema != nil, let g = try? Self.graphLowering(for: root) {
                // Per-column inputs are a graph lowering's; the tree verifier feeds one matrix.
                graph = g
                warnings.append("--input-schema: \(SklearnColumns.describe(root)) is built with one input per column and is not verified against the native tree evaluator")
            }
            if let cls = root.className, let g = graph {
                // Graph lowerings have no native evaluator yet: their tests compare with
                // scikit-learn's outputs, and conversion runs without verification.
                let width = try Self.inputWidth(root)
                let inputs = try SklearnInputSchema.entries(root: root, width: width, hints: options.hints)
                if inputs != nil, options.inputName != ConversionOptions().inputName {
                    warnings.append("--input-name \(options.inputName) is not used: the graph has one input per column")
                }
                let model = try SklearnModelBuilder.model(root, lowering: g, featureCount: width, inputs: inputs, options: options)
                var summary = "scikit-learn \(cls.split(separator: ".").last ?? ""), \(width) features"
                if let inputs {
                    summary += ", one input each: " + inputs.map { $0.kind == .float ? $0.name : "\($0.name) (\($0.kind.rawValue))" }.joined(separator: ", ")
                }
                return ConversionResult(model: model, verifier: nil, warnings: warnings, summary: summary, sourceLibraryVersion: Self.libraryVersion(root))
            }
            var result = try Self.family(for: root).convert(root, options: options)
            result.sourceLibraryVersion = Self.libraryVersion(root)
            return result
        } catch let e as PythonObjectsError {
            throw SklearnError.invalid(path: root.path, reason: e.description)
        }
    }
}

extension SklearnConverter {
    /// "scikit-learn 1.9.1" from the `_sklearn_version` an estimator pickles with.
    static func libraryVersion(_ node: PyNode) -> String? {
        guard let v = node.optionalAttribute("_sklearn_version"), let s = try? v.string() else { return nil }
        return "scikit-learn " + s
    }

    /// The input width: `n_features_in_` of the estimator, or of a pipeline's first step.
    static func inputWidth(_ node: PyNode) throws -> Int {
        if let n = node.optionalAttribute("n_features_in_") { return try n.int() }
        // Meta-estimators whose n_features_in_ is a property of their fitted estimator_ (SelectFromModel).
        if let est = node.optionalAttribute("estimator_"), let n = est.optionalAttribute("n_features_in_") { return try n.int() }
        if let steps = node.optionalAttribute("steps") { return try inputWidth(try steps.item(0).item(1)) }
        if let list = node.optionalAttribute("transformer_list") { return try inputWidth(try list.item(0).item(1)) }
        if let members = node.optionalAttribute("estimators_"), let first = try? members.item(0) {
            if node.optionalAttribute("estimators_features_") != nil, let n = node.optionalAttribute("_n_features") { return try n.int() }
            return try inputWidth(first)
        }
        throw SklearnError.invalid(path: node.path, reason: "no n_features_in_ (fitted with an old scikit-learn?)")
    }
}

/// A tree or forest as the last step of a pipeline: the tree IR's nodes in the shared graph.
struct SklearnTreeGraph: SklearnGraphLowering {
    var classNames: [String] { SklearnTreeConverter().classNames + SklearnGradientBoosting().classNames + SklearnHistGradientBoosting().classNames }
    func addNodes(_ node: PyNode, to b: GraphBuilder, input: GraphBuilder.Value, width: Int, dtype: DataType) throws -> SklearnOutputs {
        let cls = node.className ?? ""
        let ir = SklearnGradientBoosting().classNames.contains(cls) ? try SklearnGradientBoosting.model(node)
            : SklearnHistGradientBoosting().classNames.contains(cls) ? try SklearnHistGradientBoosting.model(node) : try SklearnTreeConverter.model(node)
        let out = try TreeEnsembleLowering.addNodes(for: ir, to: b, input: input)
        if let label = out.label, let probs = out.probabilities { return .classifier(label: label, probabilities: probs, classes: ir.outputColumnCount) }
        guard let p = out.predictions else { throw SklearnError.invalid(path: node.path, reason: "the tree lowering gave no predictions") }
        return .regressor(p, targets: ir.marginCount)
    }
}

extension ConverterRegistry {
    /// Registers the scikit-learn frontend (pickle, joblib, skops, jsonpickle).
    public func registerSklearn() { register(SklearnConverter()) }
}
