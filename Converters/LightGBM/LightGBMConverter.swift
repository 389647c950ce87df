import ConversionKit
import Foundation
import ONNX
import TreeEnsembles

/// The LightGBM frontend: `model.txt` and `dump_model()` JSON, lowered through the
/// shared tree IR. `SourceHints.numIterations` keeps only the first K iterations.
public struct LightGBMConverter: Converter {
    public init() {}

    public var formats: [SourceFormat] { [.lightgbmText, .lightgbmJSON] }

    /// The booster read from a file.
    public func booster(contentsOf url: URL, format: SourceFormat) throws -> LightGBMBooster {
        let bytes = try SourceFile.bytes(at: url)
        switch format {
        case .lightgbmText: return try LightGBMTextReader.read(bytes)
        case .lightgbmJSON: return try LightGBMJSONReader.read(bytes)
        default: throw LightGBMError.invalidParameter(name: "format", reason: "\(format.summary.name) is not a LightGBM format")
        }
    }

    public func convert(contentsOf url: URL, format: SourceFormat, options: ConversionOptions) throws -> ConversionResult {
        let booster = try booster(contentsOf: url, format: format)
        let ir = try LightGBMTreeModelBuilder.build(booster, iterations: options.hints.numIterations)
        let inputType: TreeEnsembleLowering.InputType
        switch options.floatType {
        case .float: inputType = .float32
        case .double: inputType = .float64
        default: throw LightGBMError.invalidParameter(name: "--dtype", reason: "tree models take float32 or float64 input, not \(options.floatType)")
        }
        // Probe rows and expected predictions start now, on the other core, while the
        // model is lowered, written and read back.
        let verifier = TreeModelVerifier(model: ir, prepareFor: options.syntheticVerification ? inputType : nil)
        let model: Model
        do {
            model = try TreeEnsembleLowering.lower(ir, options: .init(opset: options.opset, mlOpset: options.mlOpset, inputType: inputType,
                                                                        inputName: options.inputName, zipMap: options.zipMap,
                                                                        producerName: "onnx-convert", producerVersion: nil))
        } catch let e as TreeEnsembleError { throw LightGBMError.treeModel(e) }
        let name = booster.objective.split(separator: " ").first.map(String.init) ?? booster.objective
        let summary = "LightGBM \(name), \(ir.trees.count) trees, \(ir.featureCount) features, \(ir.marginCount) margin\(ir.marginCount == 1 ? "" : "s")"
        return ConversionResult(model: model, verifier: verifier, warnings: [], summary: summary)
    }
}

extension ConverterRegistry {
    /// Registers the LightGBM frontend (model.txt, dump_model JSON).
    public func registerLightGBM() { register(LightGBMConverter()) }
}
