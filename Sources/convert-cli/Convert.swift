import ArgumentParser
import ConversionKit
import Foundation
import Interpreter
import ReaderLimits

/// The default subcommand: converts a model file to ONNX, then verifies the written file
/// against the source model's own evaluation before putting it in place.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
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
              convert-cli net.layers.json -o net.onnx --weights model.safetensors
              convert-cli model.pkl -o model.onnx --json --strict --name churn --doc "churn model, 2026-11"
              convert-cli pipeline.pkl -o model.onnx --input-schema "age:float,fare:float,city:string,sex:string"
            --options-file FILE supplies options as JSON, for example the sidecar
            model.txt.convert.json that `make convert` passes for model.txt:
            {"objective": "binary:logistic", "base-score": "0.5", "config": "config.json"};
            keys are the long flags' names, paths are relative to that file, and flags on
            the command line win.
            """)

    @Argument(help: "The model file to convert.")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the .onnx file.")
    var output: String?

    @Option(name: .customLong("from"), help: "The input format, overriding detection (see `convert-cli formats`).")
    var format: String?

    @Option(help: "The ai.onnx opset to target.")
    var opset: Int64 = 21

    @Option(name: .customLong("ml-opset"), help: "The ai.onnx.ml opset: 5 gives TreeEnsemble, 1-4 TreeEnsembleRegressor for older runtimes.")
    var mlOpset: Int64 = 5

    @Option(help: "The input's element type: float32 or float64.")
    var dtype: String = "float32"

    @Option(name: .customLong("input-name"), help: "The graph input's name.")
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

    @Option(name: .customLong("input-schema"), help: "The input columns as name:type,... (types float, int64, string): one graph input per column (scikit-learn).")
    var inputSchema: String?

    @Option(help: "The weights of a layer spec (.safetensors or a torch.save .pt/.pth/.bin), instead of the spec's own 'weights'.")
    var weights: String?

    @Option(name: .customLong("verify-data"), help: "Rows (.npy [N, F] or .csv) to verify with, instead of synthetic rows.")
    var verifyData: String?

    @Flag(name: .customLong("no-verify"), help: "Skip verification.")
    var noVerify = false

    @Flag(help: "Print only errors.")
    var quiet = false

    @Flag(help: "Print one JSON object (input, output, status, format, summary, bytes, ops, opsets, inputs, verification, warnings, timings, seconds, error) instead of text.")
    var json = false

    @Flag(help: "Treat warnings (an assumed base_score, unused weights) as errors: nothing is written.")
    var strict = false

    @Option(help: "The graph's name in the written model.")
    var name: String?

    @Option(help: "The model's doc_string.")
    var doc: String?

    @Option(name: .customLong("options-file"), help: "Options as JSON: long flag names as keys (make convert passes FILE.convert.json).")
    var optionsFile: String?

    @Flag(help: "Print the time each step took (read and convert, write, read back, verify).")
    var timings = false

    @Option(help: "Worker threads for verification's parallel parts (default: one per core).")
    var threads: Int?

    @Option(name: .customLong("result-file"), help: "Also write the --json result object to this file (atomically), on success and on failure.")
    var resultFile: String?

    @Option(name: .customLong("max-memory"), help: ArgumentHelp(
        "The memory budget for reading the model: the file, decompressed data, arrays, tensors and tree nodes must fit (default \(Convert.defaultBudget)).",
        valueName: "size"))
    var maxMemory: String?

    /// The default budget as people write it ("8G").
    static var defaultBudget: String {
        let b = ReaderLimits.default.memoryBudget
        for (suffix, shift) in [("T", 40), ("G", 30), ("M", 20), ("K", 10)] where b >= 1 << shift && b % (1 << shift) == 0 { return "\(b >> shift)\(suffix)" }
        return "\(b)"
    }

    func run() throws {
        var command = self
        do { try command.applyOptionsFile() } catch let f as CLIFailure {
            emit(["input": .string(input), "output": .string(output ?? ""), "status": "error", "error": .string(f.message)])
            throw f
        }
        try command.convert()
    }

    /// Options from the sidecar JSON: each key a long flag's name; values strings,
    /// numbers, booleans (flags) or lists (joined by commas); flags given on the command
    /// line win. Paths (config, fmap, weights, verify-data) are relative to the file.
    mutating func applyOptionsFile() throws {
        guard let path = optionsFile else { return }
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CLIFailure(message: "error: \(path): not a JSON object of options (or unreadable)")
        }
        func text(_ key: String) throws -> String? {
            guard let v = object[key] else { return nil }
            if let s = v as? String { return s }
            if let n = v as? NSNumber { return n.stringValue }
            if let a = v as? [Any] { return a.map { "\($0)" }.joined(separator: ",") }
            throw CLIFailure(message: "error: \(path): '\(key)' must be a string, a number or a list")
        }
        func relative(_ key: String) throws -> String? {
            try text(key).map { $0.hasPrefix("/") ? $0 : url.deletingLastPathComponent().appendingPathComponent($0).path }
        }
        func int(_ key: String) throws -> Int? {
            guard let t = try text(key) else { return nil }
            guard let v = Int(t) else { throw CLIFailure(message: "error: \(path): '\(key)' must be an integer, not '\(t)'") }
            return v
        }
        let known: Set<String> = ["from", "opset", "ml-opset", "dtype", "input-name", "zipmap", "objective", "base-score", "num-class",
                                  "num-features", "num-parallel-tree", "num-iterations", "config", "feature-names", "fmap", "input-schema", "weights",
                                  "verify-data", "no-verify", "strict", "name", "doc", "max-memory"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw CLIFailure(message: "error: \(path): unknown option '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        let given = Set(CommandLine.arguments.filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2).split(separator: "=")[0]) })
        func take(_ key: String) -> Bool { !given.contains(key) }
        if take("from") { format = try text("from") ?? format }
        if take("opset"), let v = try int("opset") { opset = Int64(v) }
        if take("ml-opset"), let v = try int("ml-opset") { mlOpset = Int64(v) }
        if take("dtype") { dtype = try text("dtype") ?? dtype }
        if take("input-name") { inputName = try text("input-name") ?? inputName }
        if take("zipmap"), let v = object["zipmap"] as? Bool { zipmap = v }
        if take("objective") { objective = try text("objective") ?? objective }
        if take("base-score") { baseScore = try text("base-score") ?? baseScore }
        if take("num-class") { numClass = try int("num-class") ?? numClass }
        if take("num-features") { numFeatures = try int("num-features") ?? numFeatures }
        if take("num-parallel-tree") { numParallelTree = try int("num-parallel-tree") ?? numParallelTree }
        if take("num-iterations") { numIterations = try int("num-iterations") ?? numIterations }
        if take("config") { config = try relative("config") ?? config }
        if take("feature-names") { featureNames = try text("feature-names") ?? featureNames }
        if take("fmap") { fmap = try relative("fmap") ?? fmap }
        if take("input-schema") { inputSchema = try text("input-schema") ?? inputSchema }
        if take("weights") { weights = try relative("weights") ?? weights }
        if take("verify-data") { verifyData = try relative("verify-data") ?? verifyData }
        if take("no-verify"), let v = object["no-verify"] as? Bool { noVerify = v }
        if take("strict"), let v = object["strict"] as? Bool { strict = v }
        if take("name") { name = try text("name") ?? name }
        if take("doc") { doc = try text("doc") ?? doc }
        if take("max-memory") { maxMemory = try text("max-memory") ?? maxMemory }
    }

    /// `--input-schema age:float,city:string`: columns in order, each `name:type` (the
    /// type after the last colon, so a name may hold colons; names cannot hold commas).
    static func parseInputSchema(_ text: String) throws -> [InputColumn] {
        let kinds = InputColumn.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        var columns: [InputColumn] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = part.trimmingCharacters(in: .whitespaces)
            guard let colon = entry.lastIndex(of: ":") else {
                throw CLIFailure(message: "error: --input-schema: '\(entry)' is not name:type (types: \(kinds))", code: 2)
            }
            let name = entry[..<colon].trimmingCharacters(in: .whitespaces)
            let type = entry[entry.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw CLIFailure(message: "error: --input-schema: '\(entry)' has no column name", code: 2) }
            guard let kind = InputColumn.Kind(rawValue: type) else {
                throw CLIFailure(message: "error: --input-schema: column '\(name)' has type '\(type)'; types: \(kinds)", code: 2)
            }
            columns.append(InputColumn(name: name, kind: kind))
        }
        return columns
    }

    /// The JSON result: printed with --json, written to --result-file when given.
    func emit(_ object: ResultJSON) {
        guard json || resultFile != nil else { return }
        let text = object.text
        if json { print(text) }
        if let resultFile, let problem = ResultJSON.replaceFile(at: resultFile, with: text + "\n") {
            printError("warning: --result-file \(resultFile): \(problem)")
        }
    }

    func convert() throws {
        if let threads {
            guard threads >= 1 else { throw CLIFailure(message: "error: --threads must be at least 1", code: 2) }
            Parallel.workers = threads
        }
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
        if let maxMemory {
            guard let bytes = ReaderLimits.byteCount(maxMemory) else {
                throw CLIFailure(message: "error: --max-memory must be a size such as 512M, 4G or a number of bytes, not '\(maxMemory)'", code: 2)
            }
            options.limits = options.limits.withMemoryBudget(bytes)
        }
        if let inputSchema { options.hints.inputSchema = try Self.parseInputSchema(inputSchema) }
        options.strict = strict
        options.modelName = name
        options.docString = doc
        if noVerify && verifyData != nil { throw CLIFailure(message: "error: --no-verify and --verify-data exclude each other", code: 2) }
        let verification: Conversion.Verification = noVerify ? .off : verifyData.map { .rows(URL(fileURLWithPath: $0)) } ?? .synthetic

        let outcome: Conversion.Outcome
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> ResultJSON { .double(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9) }
        // Steps on one self-overwriting stderr line, only when stderr is a terminal.
        let showProgress = !quiet && !json && isatty(2) == 1
        let clear = showProgress ? "\r\u{1B}[2K" : ""
        var warnings: [String] = []
        do {
            outcome = try Conversion.run(input: url, output: URL(fileURLWithPath: output), format: detected, options: options,
                                         verification: verification, registry: .shared,
                                         warn: { w in
                                             warnings.append(w)
                                             if !json { FileHandle.standardError.write(Data((clear + w + "\n").utf8)) }
                                         },
                                         progress: { step in if showProgress { FileHandle.standardError.write(Data((clear + step + "...").utf8)) } })
            if showProgress { FileHandle.standardError.write(Data(clear.utf8)) }
        } catch let e as ConversionError {
            if showProgress { FileHandle.standardError.write(Data(clear.utf8)) }
            var object: [String: ResultJSON] = [
                "input": .string(input), "output": .string(output), "status": "error", "error": .string("error: \(e)"),
                "warnings": .strings(warnings), "seconds": elapsed(),
            ]
            // The report's format column for a failed file too, when its content was recognised.
            if json || resultFile != nil, let f = detected ?? (try? FormatSniffer.sniff(path: input)) { object["format"] = .string(f.rawValue) }
            emit(.object(object))
            throw CLIFailure(message: "error: \(e)")
        }
        if json || resultFile != nil {
            var object: [String: ResultJSON] = [
                "input": .string(input), "output": .string(output), "status": "ok", "format": .string(outcome.format.rawValue),
                "summary": .string(outcome.summary), "bytes": .int(outcome.bytesWritten), "warnings": .strings(warnings),
                "seconds": elapsed(),
                "ops": .strings(outcome.ops), "opsets": .strings(outcome.opsets), "inputs": .strings(outcome.inputs),
                "timings": .object(Dictionary(outcome.timings.map { ($0.step, ResultJSON.double($0.seconds)) }, uniquingKeysWith: { a, _ in a })),
            ]
            if let r = outcome.report {
                object["verification"] = [
                    "passed": .bool(r.passed), "rows": .int(r.rowsChecked), "values": .int(r.valuesCompared), "max_abs_error": .double(r.maxAbsError),
                    "values_outside_tolerance": .int(r.valuesOutsideTolerance), "labels": .int(r.labelsCompared),
                    "labels_differing": .int(r.labelsDiffering), "leaf_choices": .int(r.leafChoicesChecked),
                    "leaf_choices_differing": .int(r.leafChoicesDiffering), "summary": .string(r.summary),
                ]
            } else {
                object["verification"] = .null
                object["not_verified"] = .string(noVerify ? "--no-verify" : "no native evaluator for this kind of model")
            }
            emit(.object(object))
            if json { return }
        }
        if !quiet { print(Self.successLine(input: input, output: output, outcome: outcome, noVerify: noVerify)) }
        if timings {
            for t in outcome.timings { print("  \(t.step.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(format: "%8.1f ms", t.seconds * 1000))") }
        }
    }
}

extension Convert {
    /// The one line a successful conversion prints: where it went, what it holds, its size,
    /// opsets and ops, and the verification result.
    static func successLine(input: String, output: String, outcome: Conversion.Outcome, noVerify: Bool) -> String {
        let verification = outcome.report?.summary
            ?? (noVerify ? "not verified (--no-verify)"
                : "not verified: this kind of model has no native evaluator yet (its tests compare with the source library's own outputs)")
        return "\(input) -> \(output): \(outcome.summary); \(outcome.bytesWritten) bytes; opsets \(outcome.opsets.joined(separator: ", "));"
            + " ops \(outcome.ops.joined(separator: ", ")); \(verification)"
    }
}

/// Lists the formats the toolkit recognises.
struct Formats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "List the model formats, with an example file name each.",
        discussion: "Example:\n  convert-cli formats")

    func run() throws {
        for f in SourceFormat.allCases {
            let status = ConverterRegistry.shared.converter(for: f) != nil ? "converts" : "recognised"
            print("\(f.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(f.summary.example.padding(toLength: 24, withPad: " ", startingAt: 0)) \(status.padding(toLength: 11, withPad: " ", startingAt: 0)) \(f.summary.name)")
        }
    }
}
