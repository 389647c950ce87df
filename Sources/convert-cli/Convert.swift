import ArgumentParser
import ConversionKit
import Foundation

/// The default subcommand: converts a model file to ONNX, then verifies the written file
/// against the source model's own evaluation before putting it in place.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a trained model file to ONNX (the default subcommand).",
        discussion: """
            The format is recognised from the file's content, with the extension as a hint.
            After writing, the file is read back and run in the bundled interpreter on rows
            that straddle every split (or --verify-data), and compared with the source
            model's own evaluation; on any disagreement nothing is written and the exit
            status is 1.
            Examples:
              convert-cli model.json -o model.onnx
              convert-cli xgb-dump.txt -o model.onnx --objective binary:logistic --base-score 0.5
              convert-cli xgb-dump.txt -o model.onnx --config config.json
              convert-cli model.ubj -o model.onnx --dtype float64 --ml-opset 3
            """)

    @Argument(help: "The model file to convert.")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the .onnx file.")
    var output: String?

    @Option(name: .customLong("from"), help: "The input format, overriding detection (see `convert-cli formats`).")
    var format: String?

    @Option(help: "The ai.onnx opset to target (default 21).")
    var opset: Int64 = 21

    @Option(name: .customLong("ml-opset"), help: "The ai.onnx.ml opset: 5 gives TreeEnsemble (default), 1-4 TreeEnsembleRegressor for older runtimes.")
    var mlOpset: Int64 = 5

    @Option(help: "The input's element type: float32 (default) or float64.")
    var dtype: String = "float32"

    @Option(name: .customLong("input-name"), help: "The graph input's name (default input).")
    var inputName: String = "input"

    @Flag(help: "Classifiers also output output_probability, a ZipMap of the probabilities (skl2onnx style).")
    var zipmap = false

    @Option(help: "The objective, for dumps (which do not record it), e.g. binary:logistic.")
    var objective: String?

    @Option(name: .customLong("base-score"), help: "base_score as the library stores it: S, or S1,S2,...,SK (one per class or target).")
    var baseScore: String?

    @Option(name: .customLong("num-class"), help: "The number of classes of a multi-class dump.")
    var numClass: Int?

    @Option(name: .customLong("num-features"), help: "The number of input features of a dump.")
    var numFeatures: Int?

    @Option(name: .customLong("num-parallel-tree"), help: "Trees per class and round of a dump (XGBoost random forests: num_parallel_tree).")
    var numParallelTree: Int?

    @Option(name: .customLong("num-iterations"), help: "Convert only the first K boosting iterations (LightGBM).")
    var numIterations: Int?

    @Option(help: "The configuration JSON the library wrote (XGBoost Booster.save_config()): objective, base_score, num_class, ...")
    var config: String?

    @Option(name: .customLong("feature-names"), help: "Feature names in column order, comma separated (for dumps that name features).")
    var featureNames: String?

    @Option(help: "An XGBoost feature map file (index<TAB>name<TAB>type per line).")
    var fmap: String?

    @Option(help: "The weights of a layer spec (.safetensors or a torch.save .pt/.pth/.bin), instead of the spec's own 'weights'.")
    var weights: String?

    @Option(name: .customLong("verify-data"), help: "Rows (.npy [N, F] or .csv) to verify with, instead of synthetic rows.")
    var verifyData: String?

    @Flag(name: .customLong("no-verify"), help: "Skip verification.")
    var noVerify = false

    @Flag(help: "Print only errors.")
    var quiet = false

    @Flag(help: "Print the time each step took (read and convert, write, read back, verify).")
    var timings = false

    func run() throws {
        let url = URL(fileURLWithPath: input)
        var detected: SourceFormat?
        if let format {
            guard let f = SourceFormat(rawValue: format) else {
                throw CLIFailure(message: "error: unknown format '\(format)'; known: \(SourceFormat.allCases.map(\.rawValue).joined(separator: ", "))", code: 2)
            }
            detected = f
        }
        guard let output else {
            throw CLIFailure(message: "error: missing -o OUTPUT.onnx", code: 2)
        }
        var options = ConversionOptions()
        options.opset = opset
        options.mlOpset = mlOpset
        switch dtype {
        case "float32", "float": options.floatType = .float
        case "float64", "double": options.floatType = .double
        default: throw CLIFailure(message: "error: --dtype must be float32 or float64, not '\(dtype)'", code: 2)
        }
        guard (1...5).contains(mlOpset) else { throw CLIFailure(message: "error: --ml-opset must be 1 ... 5, not \(mlOpset)", code: 2) }
        options.inputName = inputName
        options.zipMap = zipmap
        options.hints.objective = objective
        if let baseScore {
            var values: [Float] = []
            for part in baseScore.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")).split(separator: ",") {
                guard let v = Float(part.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                    throw CLIFailure(message: "error: --base-score: '\(part)' is not a number (give S or S1,S2,...)", code: 2)
                }
                values.append(v)
            }
            guard !values.isEmpty else { throw CLIFailure(message: "error: --base-score needs a value", code: 2) }
            options.hints.baseScores = values
        }
        if let numClass, numClass < 1 { throw CLIFailure(message: "error: --num-class must be at least 1", code: 2) }
        if let numFeatures, numFeatures < 1 { throw CLIFailure(message: "error: --num-features must be at least 1", code: 2) }
        options.hints.numClass = numClass
        options.hints.numFeatures = numFeatures
        if let numParallelTree, numParallelTree < 1 { throw CLIFailure(message: "error: --num-parallel-tree must be at least 1", code: 2) }
        options.hints.numParallelTree = numParallelTree
        if let numIterations, numIterations < 1 { throw CLIFailure(message: "error: --num-iterations must be at least 1", code: 2) }
        options.hints.numIterations = numIterations
        options.hints.configFile = config.map { URL(fileURLWithPath: $0) }
        options.hints.featureNames = featureNames.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        options.hints.featureMapFile = fmap.map { URL(fileURLWithPath: $0) }
        options.hints.weightsFile = weights.map { URL(fileURLWithPath: $0) }
        if noVerify && verifyData != nil { throw CLIFailure(message: "error: --no-verify and --verify-data exclude each other", code: 2) }
        let verification: Conversion.Verification = noVerify ? .off : verifyData.map { .rows(URL(fileURLWithPath: $0)) } ?? .synthetic

        let outcome: Conversion.Outcome
        do {
            outcome = try Conversion.run(input: url, output: URL(fileURLWithPath: output), format: detected, options: options,
                                         verification: verification, registry: .shared,
                                         warn: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        } catch let e as ConversionError {
            throw CLIFailure(message: "error: \(e)")
        }
        if !quiet {
            print("\(input) -> \(output): \(outcome.summary), \(outcome.bytesWritten) bytes")
            if let r = outcome.report { print(r.summary) } else if noVerify { print("not verified (--no-verify)") } else {
                print("not verified: this kind of model has no native evaluator yet (its tests compare with the source library's own outputs)")
            }
        }
        if timings {
            for t in outcome.timings { print("  \(t.step.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(format: "%8.1f ms", t.seconds * 1000))") }
        }
    }
}

/// Lists the formats the toolkit recognises.
struct Formats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the model formats, with an example file name each.",
        discussion: "Example:\n  convert-cli formats")

    func run() throws {
        for f in SourceFormat.allCases {
            let status = ConverterRegistry.shared.converter(for: f) != nil ? "converts" : "recognised"
            print("\(f.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(f.summary.example.padding(toLength: 24, withPad: " ", startingAt: 0)) \(status.padding(toLength: 11, withPad: " ", startingAt: 0)) \(f.summary.name)")
        }
    }
}
