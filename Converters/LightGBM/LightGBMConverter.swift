import ConversionKit
import Foundation
import ONNX
import ReaderLimits
import TreeEnsembles

/// The LightGBM frontend: `model.txt` and `dump_model()` JSON, lowered through the
/// shared tree IR. `SourceHints.numIterations` keeps only the first K iterations.
public struct LightGBMConverter: Converter {
    public init() {}

    public var formats: [SourceFormat] { [.lightgbmText, .lightgbmJSON] }

    /// The booster read from a file, within `limits`.
    public func booster(contentsOf url: URL, format: SourceFormat, limits: ReaderLimits = .default) throws -> LightGBMBooster {
        let bytes = try SourceFile.bytes(at: url, limits: limits)
        switch format {
        case .lightgbmText: return try LightGBMTextReader.read(bytes, limits: limits)
        case .lightgbmJSON: return try LightGBMJSONReader.read(bytes, limits: limits)
        default: throw LightGBMError.invalidParameter(name: "format", reason: "\(format.summary.name) is not a LightGBM format")
        }
    }

    public func convert(contentsOf url: URL, format: SourceFormat, options: ConversionOptions) throws -> ConversionResult {
        let booster = try booster(contentsOf: url, format: format, limits: options.limits)
        let ir = try LightGBMTreeModelBuilder.build(booster, iterations: options.hints.numIterations)
        let name = booster.objective.split(separator: " ").first.map(String.init) ?? booster.objective
        let summary = "LightGBM \(name), \(ir.trees.count) trees, \(ir.featureCount) features, \(ir.marginCount) margin\(ir.marginCount == 1 ? "" : "s")"
        return try TreeConversion.result(ir, options: options, summary: summary) { LightGBMError.treeModel($0) }
    }
}

extension ConverterRegistry {
    /// Registers the LightGBM frontend (model.txt, dump_model JSON).
    public func registerLightGBM() { register(LightGBMConverter()) }
}
