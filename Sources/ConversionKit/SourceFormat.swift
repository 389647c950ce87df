import Foundation

/// The model file formats the toolkit recognises.
public enum SourceFormat: String, CaseIterable, Sendable, CustomStringConvertible {
    case onnx
    case xgboostTextDump = "xgboost-text"
    case xgboostJSONDump = "xgboost-json-dump"
    case xgboostJSON = "xgboost-json"
    case xgboostUBJSON = "xgboost-ubj"
    case xgboostConfig = "xgboost-config"
    case lightgbmText = "lightgbm-text"
    case lightgbmJSON = "lightgbm-json"
    case pickle
    case joblib
    case skops
    case jsonpickle
    case layerSpec = "layerspec"
    case safetensors
    case torchCheckpoint = "torch"
    case npy

    /// A human name and an example file name, for `convert-cli formats`.
    public var description: String { summary.name }

    public var summary: (name: String, example: String) {
        switch self {
        case .onnx: return ("ONNX model", "model.onnx")
        case .xgboostTextDump: return ("XGBoost text dump (Booster.dump_model)", "xgb-dump.txt")
        case .xgboostJSONDump: return ("XGBoost JSON dump (dump_format='json')", "xgb-dump.json")
        case .xgboostJSON: return ("XGBoost saved model, JSON", "model.json")
        case .xgboostUBJSON: return ("XGBoost saved model, UBJSON", "model.ubj")
        case .xgboostConfig: return ("XGBoost Booster.save_config() JSON (used through --config)", "config.json")
        case .lightgbmText: return ("LightGBM model.txt (Booster.save_model)", "model.txt")
        case .lightgbmJSON: return ("LightGBM dump_model() JSON", "lgbm-dump.json")
        case .pickle: return ("Python pickle (scikit-learn)", "model.pkl")
        case .joblib: return ("joblib file (scikit-learn)", "model.joblib")
        case .skops: return ("skops file (scikit-learn)", "model.skops")
        case .jsonpickle: return ("jsonpickle JSON (scikit-learn)", "model.jsonpickle.json")
        case .layerSpec: return ("PyTorch-style layer spec", "net.layers.json")
        case .safetensors: return ("safetensors weights (used through a layer spec)", "model.safetensors")
        case .torchCheckpoint: return ("PyTorch checkpoint (used through a layer spec)", "model.pt")
        case .npy: return ("numpy array (.npy, for inputs)", "x.npy")
        }
    }
}

/// Recognises a file's format from its first bytes, with the extension as a hint.
public enum FormatSniffer {
    /// How many leading bytes `sniff` looks at.
    public static let prefixLength = 4096

    /// The format of the file at `url`, or nil when nothing matches.
    public static func sniff(url: URL) throws -> SourceFormat? {
        guard let h = FileHandle(forReadingAtPath: url.path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        defer { try? h.close() }
        let prefix = [UInt8](h.readData(ofLength: prefixLength))
        return sniff(prefix: prefix, fileName: url.lastPathComponent)
    }

    /// The format of content starting with `prefix`; `fileName` breaks ties.
    public static func sniff(prefix b: [UInt8], fileName: String) -> SourceFormat? {
        let name = fileName.lowercased()
        func starts(_ s: [UInt8]) -> Bool { b.count >= s.count && Array(b.prefix(s.count)) == s }
        let text = String(decoding: b.prefix(2048), as: UTF8.self)
        if starts([0x93] + Array("NUMPY".utf8)) { return .npy }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            if text.contains("schema.json") || name.hasSuffix(".skops") { return .skops }
            return .torchCheckpoint
        }
        // Before pickles: a safetensors header length can begin with 0x80.
        if b.count >= 10, b[8] == UInt8(ascii: "{"), b[9] == UInt8(ascii: "\"") { return .safetensors }
        if starts([0x80]) || (name.hasSuffix(".pkl") || name.hasSuffix(".pickle")) && !b.isEmpty {
            return name.hasSuffix(".joblib") ? .joblib : .pickle
        }
        if starts([0x78]) || starts([0x1F, 0x8B]) { if name.hasSuffix(".joblib") || name.hasSuffix(".z") || name.hasSuffix(".gz") { return .joblib } }
        if starts(Array("{L".utf8)) || starts(Array("{U".utf8)) || starts(Array("{i".utf8)) || starts(Array("{$".utf8)) || starts(Array("{#".utf8)) {
            if text.contains("learner") { return .xgboostUBJSON }
        }
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            if text.contains("\"layerspec/") { return .layerSpec }
            if text.contains("\"learner\"") {
                // save_config() output names its parameter groups and has no trees.
                if text.contains("\"generic_param\"") && !text.contains("\"trees\"") { return .xgboostConfig }
                return .xgboostJSON
            }
            // dump_model() opens with "name": "tree"; tree_info may start past the prefix
            // when feature_infos is long.
            if text.contains("\"tree_info\"") || text.contains("\"tree_structure\"")
                || text.range(of: #"^\{\s*"name"\s*:\s*"tree""#, options: .regularExpression) != nil { return .lightgbmJSON }
            if text.contains("\"py/object\"") || text.contains("\"py/reduce\"") || text.contains("\"py/state\"") { return .jsonpickle }
            if text.contains("\"nodeid\"") && text.contains("\"split\"") { return .xgboostJSONDump }
            return nil
        }
        if name.hasSuffix(".layers.yaml") || name.hasSuffix(".layers.yml") { return .layerSpec }
        if trimmed.hasPrefix("tree\n") || text.contains("\nversion=v") && text.contains("num_class=") { return .lightgbmText }
        if trimmed.hasPrefix("booster[") || trimmed.range(of: #"^0:\[[^\]]+\] yes="#, options: .regularExpression) != nil || trimmed.hasPrefix("0:leaf=") {
            return .xgboostTextDump
        }
        if name.hasSuffix(".onnx") || looksLikeONNX(b) { return .onnx }
        return nil
    }

    /// ModelProto almost always opens with ir_version (field 1, varint: byte 0x08).
    static func looksLikeONNX(_ b: [UInt8]) -> Bool { b.count > 2 && b[0] == 0x08 && b[1] < 0x80 && b[1] > 0 }
}
