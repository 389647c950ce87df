import Foundation
import ONNX
import ReaderLimits

/// Options every frontend accepts.
public struct ConversionOptions: Sendable {
    /// Target version of the default ONNX operator set.
    public var opset: Int64 = 21
    /// Target version of ai.onnx.ml.
    public var mlOpset: Int64 = 5
    /// Element type of the graph's float inputs (`.float` or `.double`).
    public var floatType: DataType = .float
    /// The name of the graph's input.
    public var inputName = "input"
    /// Classifiers also output skl2onnx-style `output_probability` (ZipMap).
    public var zipMap = false
    /// What the user said about the source that the file may not record (dumps).
    public var hints = SourceHints()
    /// Whether the result will be verified on synthetic rows, so a converter may start
    /// preparing them early (`Conversion.run` sets it from its verification mode).
    public var syntheticVerification = true
    /// Warnings fail the conversion (`--strict`).
    public var strict = false
    /// The graph's name in the written model (`--name`); nil keeps the converter's.
    public var modelName: String?
    /// The model's doc_string (`--doc`); nil keeps the converter's.
    public var docString: String?
    /// Where long steps report their counts (trees or layers lowered); `Conversion.run`
    /// sets it from its progress handler.
    public var progress = ConversionProgress.silent
    /// The bounds every reader enforces on the source file (`--max-memory` sets the
    /// memory budget); converters pass them to their readers.
    public var limits = ReaderLimits.default
    public init() {}
}

/// Facts about a model that some source formats do not record (XGBoost dumps carry no
/// objective or base score), given on the command line or through the library API.
/// Each frontend reads the ones that apply to it; a value given here wins over the file.
public struct SourceHints: Sendable, Equatable {
    /// The training objective, e.g. `binary:logistic`.
    public var objective: String?
    /// The base score(s), in the space the source library stores them.
    public var baseScores: [Float]?
    /// The number of classes of a multi-class model.
    public var numClass: Int?
    /// The number of input features.
    public var numFeatures: Int?
    /// Trees per output group and boosting round (XGBoost `num_parallel_tree`, random forests).
    public var numParallelTree: Int?
    /// Convert only the first K boosting iterations (LightGBM `num_iteration`).
    public var numIterations: Int?
    /// A configuration file the library wrote beside the model (XGBoost `save_config()`).
    public var configFile: URL?
    /// Names of the input features, in column order.
    public var featureNames: [String]?
    /// A feature map file (XGBoost fmap: `index<TAB>name<TAB>type` lines).
    public var featureMapFile: URL?
    /// The weights of a layer spec (`--weights`), instead of the spec's own `weights`.
    public var weightsFile: URL?
    /// The model's input columns, by name and element type (`--input-schema`): the graph
    /// then has one [N, 1] input per column, in this order. scikit-learn reads it; nil
    /// keeps the frontend's own convention.
    public var inputSchema: [InputColumn]?
    public init() {}
}

/// One column of a model's input as `--input-schema` declares it: its name (the graph
/// input's name) and its element type.
public struct InputColumn: Sendable, Equatable {
    /// A column's element type.
    public enum Kind: String, Sendable, CaseIterable {
        /// The graph's float type (`ConversionOptions.floatType`).
        case float
        /// int64, cast to the graph's float type inside the graph.
        case int64
        /// UTF-8 strings (categories).
        case string
    }
    /// The column's name.
    public var name: String
    /// The column's element type.
    public var kind: Kind
    /// A column.
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// What a converter produced: the model, how to check it, and what the user should know.
public struct ConversionResult: Sendable {
    /// The ONNX model (not yet written).
    public var model: Model
    /// Compares the written model with an independent evaluation of the source; nil
    /// when the frontend has none.
    public var verifier: ConversionVerifier?
    /// Warnings for the user (assumed defaults and the like), one line each.
    public var warnings: [String]
    /// One line describing what was converted, e.g. "XGBoost binary:logistic, 100 trees".
    public var summary: String

    /// A result.
    /// The version of the library that wrote the source file, when the file records it
    /// (XGBoost's `version`, LightGBM's `version=`, scikit-learn's `_sklearn_version`).
    public var sourceLibraryVersion: String?
    /// Files besides the model that the conversion read and that no hint named (a layer
    /// spec's own weights file): with the hints' files they are the conversion's inputs,
    /// which `make convert` tracks so that a change to one converts the model again.
    public var inputs: [URL]

    /// A result.
    public init(model: Model, verifier: ConversionVerifier?, warnings: [String] = [], summary: String, sourceLibraryVersion: String? = nil,
                inputs: [URL] = []) {
        self.model = model
        self.verifier = verifier
        self.warnings = warnings
        self.summary = summary
        self.sourceLibraryVersion = sourceLibraryVersion
        self.inputs = inputs
    }
}

/// Checks a converted model (as written and read back) against the source's own semantics.
public protocol ConversionVerifier: Sendable {
    /// The width of the rows `verify` takes.
    var featureCount: Int { get }
    /// Runs `onnx` in the interpreter on `rows` (or synthetic rows when nil) and compares.
    func verify(_ onnx: Model, rows: [[Float]]?) throws -> VerificationReport
}

/// A frontend: reads one or more source formats and lowers them to an ONNX model.
public protocol Converter: Sendable {
    /// The formats this converter reads.
    var formats: [SourceFormat] { get }
    /// Reads the file and returns the ONNX model (not yet written anywhere).
    /// - Throws: the frontend's error enum (its `description` is shown to the user).
    func convert(contentsOf url: URL, format: SourceFormat, options: ConversionOptions) throws -> ConversionResult
}

/// The converters available to `convert-cli` and to `Conversion`; frontends register
/// here, and an outside package can register its own.
public final class ConverterRegistry: @unchecked Sendable {
    /// The process-wide registry.
    public static let shared = ConverterRegistry()

    private let lock = NSLock()
    private var byFormat: [SourceFormat: Converter] = [:]

    public init() {}

    /// Makes `converter` the one used for each of its formats.
    public func register(_ converter: Converter) {
        lock.lock()
        defer { lock.unlock() }
        for f in converter.formats { byFormat[f] = converter }
    }

    /// The converter for a format, if one is registered.
    public func converter(for format: SourceFormat) -> Converter? {
        lock.lock()
        defer { lock.unlock() }
        return byFormat[format]
    }

    /// The formats with a converter, for messages ("none yet" when empty).
    public var supportedFormatsList: String {
        lock.lock()
        defer { lock.unlock() }
        let names = SourceFormat.allCases.filter { byFormat[$0] != nil }.map(\.rawValue)
        return names.isEmpty ? "none yet" : names.joined(separator: ", ")
    }
}
