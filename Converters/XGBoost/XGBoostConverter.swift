import ConversionKit
import Foundation
import ONNX
import ReaderLimits
import TreeEnsembles

/// The XGBoost frontend: text dumps, JSON dumps, saved JSON and UBJSON models, lowered
/// through the shared tree IR. What a dump does not record comes from the options'
/// `SourceHints` (`--objective`, `--base-score`, `--num-class`, `--num-features`,
/// `--config`, `--feature-names`, `--fmap`); a hint wins over the file.
public struct XGBoostConverter: Converter {
    public init() {}

    public var formats: [SourceFormat] { [.xgboostTextDump, .xgboostJSONDump, .xgboostJSON, .xgboostUBJSON] }

    /// The booster read from a file and completed with the hints, with the warnings
    /// that completing it raised.
    public func booster(contentsOf url: URL, format: SourceFormat, hints: SourceHints, limits: ReaderLimits = .default) throws -> (XGBoostBooster, [String]) {
        let bytes = try SourceFile.bytes(at: url, limits: limits)
        var warnings: [String] = []
        var names = hints.featureNames
        if names == nil, let fmap = hints.featureMapFile {
            let map = try Self.readFeatureMap(fmap)
            names = map.names
            if !map.integerFeatures.isEmpty, format == .xgboostTextDump || format == .xgboostJSONDump {
                warnings.append("warning: the fmap marks \(map.integerFeatures.joined(separator: ", ")) as int; XGBoost prints those thresholds rounded up to an integer, so the dump is exact only for integer inputs of those features")
            }
        }
        var booster: XGBoostBooster
        switch format {
        case .xgboostTextDump: booster = try XGBoostTextDumpReader(featureNames: names, limits: limits).read(bytes)
        case .xgboostJSONDump: booster = try XGBoostJSONDumpReader(featureNames: names, limits: limits).read(bytes)
        case .xgboostJSON: booster = try XGBoostModelReader.read(bytes, ubjson: false, limits: limits)
        case .xgboostUBJSON: booster = try XGBoostModelReader.read(bytes, ubjson: true, limits: limits)
        default: throw XGBoostError.inconsistent(reason: "\(format.summary.name) is not an XGBoost format")
        }
        let isDump = format == .xgboostTextDump || format == .xgboostJSONDump
        if let configURL = hints.configFile {
            let config: XGBoostBooster
            do { config = try XGBoostModelReader.readConfig(try SourceFile.bytes(at: configURL, limits: limits), limits: limits) } catch let e as XGBoostError {
                throw ConversionError.source(file: configURL.path, message: e.description)
            }
            booster.objective = booster.objective ?? config.objective
            booster.baseScore = booster.baseScore ?? config.baseScore
            booster.numClass = booster.numClass ?? config.numClass
            booster.numFeature = booster.numFeature ?? config.numFeature
            booster.numTarget = booster.numTarget ?? config.numTarget
            booster.numParallelTree = booster.numParallelTree ?? config.numParallelTree
            // A dump has no end marker: one cut at a line boundary loses whole trees.
            if let n = config.numTrees, n != booster.trees.count, format == .xgboostTextDump || format == .xgboostJSONDump {
                throw ConversionError.source(file: url.path, message: "the dump holds \(booster.trees.count) trees but \(configURL.lastPathComponent) says the model has \(n) (gbtree_model_param.num_trees); is the dump cut short?")
            }
            booster.objectiveParameters.merge(config.objectiveParameters) { a, _ in a }
        }
        if let o = hints.objective { booster.objective = o }
        if let s = hints.baseScores { booster.baseScore = s }
        if let k = hints.numClass { booster.numClass = k }
        if let f = hints.numFeatures { booster.numFeature = f }
        if let p = hints.numParallelTree { booster.numParallelTree = p }
        if isDump, booster.numTarget == nil, let objective = booster.objective, XGBoostObjective.known[objective]?.output != .multiclass {
            // Dumps do not record num_target: a multi-output tree's leaf width, or one base
            // score per target, says it.
            let width = booster.trees.lazy.flatMap(\.nodes).compactMap { node -> Int? in
                if case .leaf(let v)? = node { return v.count } else { return nil }
            }.first ?? 1
            if width > 1 { booster.numTarget = width } else if let s = booster.baseScore, s.count > 1 { booster.numTarget = s.count }
        }
        if let names { booster.featureNames = names }
        if let names = booster.featureNames, booster.numFeature == nil { booster.numFeature = names.count }

        if booster.objective == nil {
            throw XGBoostError.objectiveNeeded(hint: "pass --objective NAME (one of \(XGBoostObjective.knownNames.joined(separator: ", "))) or --config FILE (the JSON Booster.save_config() writes)")
        }
        if booster.baseScore == nil {
            warnings.append("warning: no base_score given; assuming 0.5 (in the objective's own space, the default before XGBoost 2.0). XGBoost >= 2.0 estimates it from the training data: pass --base-score S, --config FILE, or convert the saved model (model.json / model.ubj), which carries the true value")
        }
        if isDump, booster.numFeature == nil {
            let highest = booster.trees.flatMap(\.nodes).compactMap { node -> Int? in
                switch node {
                case .numeric(let f, _, _, _, _)?, .categorical(let f, _, _, _, _)?: return f
                default: return nil
                }
            }.max() ?? 0
            booster.numFeature = highest + 1
            warnings.append("warning: the dump does not record the number of features; using \(highest + 1) (the highest feature a split reads, plus one). Pass --num-features N if the model takes more")
        }
        return (booster, warnings)
    }

    public func convert(contentsOf url: URL, format: SourceFormat, options: ConversionOptions) throws -> ConversionResult {
        let (booster, warnings) = try booster(contentsOf: url, format: format, hints: options.hints, limits: options.limits)
        let ir = try XGBoostTreeModelBuilder.build(booster)
        let outputs = ir.marginCount
        let summary = "XGBoost \(booster.objective ?? "?"), \(booster.trees.count) trees, \(ir.featureCount) features, \(outputs) margin\(outputs == 1 ? "" : "s")"
        var result = try TreeConversion.result(ir, options: options, summary: summary, warnings: warnings) { XGBoostError.treeModel($0) }
        result.sourceLibraryVersion = booster.version.map { "xgboost " + $0.map(String.init).joined(separator: ".") }
        return result
    }

    static func read(_ url: URL) throws -> [UInt8] { try SourceFile.bytes(at: url) }

    /// An XGBoost feature map: `index<TAB>name<TAB>type` per line, indices 0, 1, 2, ...
    /// Returns the names, and those of `int` features (whose dump thresholds XGBoost
    /// rounds up to an integer).
    static func readFeatureMap(_ url: URL) throws -> (names: [String], integerFeatures: [String]) {
        let text = String(decoding: try read(url), as: UTF8.self)
        var names: [String] = [], integerFeatures: [String] = []
        for (n, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2, let index = Int(fields[0].trimmingCharacters(in: .whitespaces)) else {
                throw ConversionError.source(file: url.path, message: "line \(n + 1): expected 'index<TAB>name<TAB>type', found '\(line)'")
            }
            guard index == names.count else {
                throw ConversionError.source(file: url.path, message: "line \(n + 1): feature index \(index), expected \(names.count) (indices run 0, 1, 2, ...)")
            }
            names.append(String(fields[1]))
            if fields.count >= 3, fields[2].trimmingCharacters(in: .whitespaces) == "int" { integerFeatures.append(String(fields[1])) }
        }
        return (names, integerFeatures)
    }
}
