import Foundation
import ONNX
import TreeEnsembles

/// The common tail of every tree frontend: lower the shared tree IR with the options,
/// and verify it against the native evaluator (its probe rows prepared on another core
/// while the model is written, when synthetic verification will run).
public enum TreeConversion {
    /// The conversion result for `ir`.
    ///
    /// - Parameters:
    ///   - summary: one line about the source, e.g. "XGBoost binary:logistic, 100 trees".
    ///   - wrapError: turns lowering errors into the frontend's error enum.
    /// - Throws: `wrapError`'s error for IR problems and unsupported options.
    public static func result(_ ir: TreeEnsembleModel, options: ConversionOptions, summary: String, warnings: [String] = [],
                              wrapError: (TreeEnsembleError) -> Error) throws -> ConversionResult {
        let inputType: TreeEnsembleLowering.InputType
        switch options.floatType {
        case .float: inputType = .float32
        case .double: inputType = .float64
        default:
            throw wrapError(.unsupportedLowering(option: "dtype", reason: "tree models take float32 or float64 input, not \(options.floatType)"))
        }
        let verifier = TreeModelVerifier(model: ir, prepareFor: options.syntheticVerification ? inputType : nil)
        let model: Model
        do {
            model = try TreeEnsembleLowering.lower(ir, options: .init(opset: options.opset, mlOpset: options.mlOpset, inputType: inputType,
                                                                        inputName: options.inputName, zipMap: options.zipMap,
                                                                        producerName: "onnx-convert", producerVersion: nil),
                                                 progress: { options.progress.count("lowering trees", done: $0, total: $1) })
        } catch let e as TreeEnsembleError { throw wrapError(e) }
        return ConversionResult(model: model, verifier: verifier, warnings: warnings, summary: summary)
    }
}
