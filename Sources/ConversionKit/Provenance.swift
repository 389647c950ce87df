import Foundation
import ONNX

/// What a converted model records about where it came from, in `metadata_props`
/// (keys prefixed `onnx-convert.`), plus producer name and version.
public enum Provenance {
    /// This toolkit's version, written as the models' producer_version.
    public static let toolkitVersion = "0.9.0"

    /// The metadata keys written.
    public enum Key {
        public static let sourceFormat = "onnx-convert.source_format"
        public static let sourceFile = "onnx-convert.source_file"
        public static let sourceLibraryVersion = "onnx-convert.source_library_version"
        public static let options = "onnx-convert.options"
        public static let summary = "onnx-convert.summary"
    }

    /// Sets producer, name, doc string and the provenance entries on `model`.
    static func stamp(_ model: inout Model, input: URL, format: SourceFormat, options: ConversionOptions, result: ConversionResult) {
        model.producerName = "onnx-convert"
        model.producerVersion = toolkitVersion
        if let name = options.modelName { model.graph?.name = name }
        if let doc = options.docString { model.docString = doc }
        var entries: [(String, String)] = [
            (Key.sourceFormat, format.rawValue), (Key.sourceFile, input.lastPathComponent),
            (Key.options, describe(options)), (Key.summary, result.summary),
        ]
        if let v = result.sourceLibraryVersion { entries.append((Key.sourceLibraryVersion, v)) }
        let keys = Set(entries.map(\.0))
        model.metadataProps = model.metadataProps.filter { !keys.contains($0.key ?? "") } + entries.map { StringStringEntry(key: $0.0, value: $0.1) }
    }

    /// The options that shape the output, as command-line flags (deterministic order).
    static func describe(_ o: ConversionOptions) -> String {
        var parts = ["--opset \(o.opset)", "--ml-opset \(o.mlOpset)", "--dtype \(o.floatType == .double ? "float64" : "float32")",
                     "--input-name \(o.inputName)"]
        if o.zipMap { parts.append("--zipmap") }
        let h = o.hints
        if let v = h.objective { parts.append("--objective \(v)") }
        if let v = h.baseScores { parts.append("--base-score \(v.map { "\($0)" }.joined(separator: ","))") }
        if let v = h.numClass { parts.append("--num-class \(v)") }
        if let v = h.numFeatures { parts.append("--num-features \(v)") }
        if let v = h.numParallelTree { parts.append("--num-parallel-tree \(v)") }
        if let v = h.numIterations { parts.append("--num-iterations \(v)") }
        if let v = h.configFile { parts.append("--config \(v.lastPathComponent)") }
        if let v = h.featureNames { parts.append("--feature-names \(v.joined(separator: ","))") }
        if let v = h.featureMapFile { parts.append("--fmap \(v.lastPathComponent)") }
        if let v = h.weightsFile { parts.append("--weights \(v.lastPathComponent)") }
        if let v = h.inputSchema { parts.append("--input-schema \(v.map { "\($0.name):\($0.kind.rawValue)" }.joined(separator: ","))") }
        return parts.joined(separator: " ")
    }
}
