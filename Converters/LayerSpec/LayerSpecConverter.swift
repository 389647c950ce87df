import ConversionKit
import DocumentReaders
import Foundation
import ONNX
import ReaderLimits

/// Converts a layer spec (`*.layers.json` or `*.layers.yaml`) and its weights (safetensors or a torch.save
/// checkpoint) to ONNX. The weights are found at the spec's `weights` (relative to the
/// spec's folder, and refused when it leads outside it) or at `--weights`.
public struct LayerSpecConverter: Converter {
    public init() {}

    public var formats: [SourceFormat] { [.layerSpec] }

    public func convert(contentsOf url: URL, format: SourceFormat, options: ConversionOptions) throws -> ConversionResult {
        let file = url.path
        let bytes: [UInt8]
        do { bytes = try SourceFile.bytes(at: url, limits: options.limits) } catch let e as ConversionError {
            throw LayerSpecError.spec(path: file, reason: "cannot read the file (\(e))")
        }
        let ext = url.pathExtension.lowercased()
        let spec = ext == "yaml" || ext == "yml"
            ? try LayerSpecDocument(DocumentNode(try YAMLSpecReader.document(bytes, file: "$", limits: options.limits), path: "$"))
            : try LayerSpecDocument(json: bytes, file: "$", limits: options.limits)
        let weightsURL: URL?
        if let given = options.hints.weightsFile {
            weightsURL = given
        } else if let w = spec.weights {
            weightsURL = try Self.inside(url.deletingLastPathComponent(), w, spec: "$")
        } else {
            weightsURL = nil
        }
        let weights = try weightsURL.map { try WeightStore.read($0, limits: options.limits) }
        guard options.floatType == .float || options.floatType == .double else {
            throw LayerSpecError.unsupported(path: file, reason: "--dtype must be float32 or float64")
        }
        let (model, warnings) = try LayerSpecLowering.lower(spec, weights: weights, floatType: options.floatType, opset: options.opset,
                                                            file: url.lastPathComponent,
                                                            progress: { options.progress.count("lowering layers", done: $0, total: $1) })
        let layers = spec.layers.count
        return ConversionResult(model: model, verifier: nil, warnings: warnings,
                                summary: "layer spec \(spec.name), \(layers) layer\(layers == 1 ? "" : "s"), weights \(weightsURL?.lastPathComponent ?? "none")",
                                inputs: weightsURL.map { [$0] } ?? [])
    }

    /// `relative` resolved in `folder`, refused when it is absolute or leads outside
    /// the folder (through `..` or a symbolic link).
    static func inside(_ folder: URL, _ relative: String, spec: String) throws -> URL {
        guard !relative.hasPrefix("/") else {
            throw LayerSpecError.spec(path: "\(spec).weights", reason: "'\(relative)' is absolute; the spec's weights must be inside its folder (use --weights for others)")
        }
        let root = folder.standardizedFileURL.resolvingSymlinksInPath().path
        let target = folder.appendingPathComponent(relative).standardizedFileURL.resolvingSymlinksInPath().path
        guard target.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw LayerSpecError.spec(path: "\(spec).weights", reason: "'\(relative)' leads outside the spec's folder (use --weights for files elsewhere)")
        }
        return URL(fileURLWithPath: target)
    }
}

extension ConverterRegistry {
    /// Registers the layer-spec converter.
    public func registerLayerSpec() { register(LayerSpecConverter()) }
}
