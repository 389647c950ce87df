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
    public static func sniff(url: URL) throws -> SourceFormat? { try sniff(path: url.path) }

    /// The format of the file at `path`, or nil when nothing matches. The first bytes
    /// are read with open/read: URL and FileHandle (a stat and several objects per file)
    /// took half of `list-models`' time over a folder.
    public static func sniff(path: String) throws -> SourceFormat? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        var prefix = [UInt8](repeating: 0, count: prefixLength)
        var count = 0
        while count < prefix.count {
            let n = prefix.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            count += n
        }
        prefix.removeSubrange(count...)
        let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        return sniff(prefix: prefix, fileName: name)
    }

    /// The format of content starting with `prefix`; `fileName` breaks ties.
    ///
    /// The tests look at bytes (every needle is ASCII), not at a decoded String: Foundation's
    /// `contains` on a String goes through UTF-16 and made `list-models` spend most of its
    /// time here.
    public static func sniff(prefix b: [UInt8], fileName: String) -> SourceFormat? {
        let name = fileName.lowercased()
        let head = b.prefix(2048)
        func starts(_ s: [UInt8]) -> Bool { b.count >= s.count && b.prefix(s.count).elementsEqual(s) }
        func has(_ needle: String) -> Bool { Self.contains(head, Array(needle.utf8)) }
        if starts([0x93] + Array("NUMPY".utf8)) { return .npy }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            if has("schema.json") || name.hasSuffix(".skops") { return .skops }
            return .torchCheckpoint
        }
        // Before pickles: a safetensors header length can begin with 0x80.
        if b.count >= 10, b[8] == UInt8(ascii: "{"), b[9] == UInt8(ascii: "\"") { return .safetensors }
        if starts([0x80]) || (name.hasSuffix(".pkl") || name.hasSuffix(".pickle")) && !b.isEmpty {
            return name.hasSuffix(".joblib") ? .joblib : .pickle
        }
        if starts([0x78]) || starts([0x1F, 0x8B]) { if name.hasSuffix(".joblib") || name.hasSuffix(".z") || name.hasSuffix(".gz") { return .joblib } }
        if starts(Array("{L".utf8)) || starts(Array("{U".utf8)) || starts(Array("{i".utf8)) || starts(Array("{$".utf8)) || starts(Array("{#".utf8)) {
            if has("learner") { return .xgboostUBJSON }
        }
        let trimmed = head.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        func trimmedStarts(_ s: String) -> Bool { trimmed.starts(with: s.utf8) }
        if trimmedStarts("{") || trimmedStarts("[") {
            if has("\"layerspec/") { return .layerSpec }
            if has("\"learner\"") {
                // save_config() output names its parameter groups and has no trees.
                if has("\"generic_param\"") && !has("\"trees\"") { return .xgboostConfig }
                return .xgboostJSON
            }
            // dump_model() opens with "name": "tree"; tree_info may start past the prefix
            // when feature_infos is long.
            if has("\"tree_info\"") || has("\"tree_structure\"") || opensWithNameTree(head) { return .lightgbmJSON }
            if has("\"py/object\"") || has("\"py/reduce\"") || has("\"py/state\"") { return .jsonpickle }
            if has("\"nodeid\"") && has("\"split\"") { return .xgboostJSONDump }
            return nil
        }
        if name.hasSuffix(".layers.yaml") || name.hasSuffix(".layers.yml") { return .layerSpec }
        if trimmedStarts("tree\n") || has("\nversion=v") && has("num_class=") { return .lightgbmText }
        if trimmedStarts("booster[") || opensWithTextDumpRoot(trimmed) || trimmedStarts("0:leaf=") {
            return .xgboostTextDump
        }
        if name.hasSuffix(".onnx") || looksLikeONNX(b) { return .onnx }
        return nil
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return needle.isEmpty }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// `{`, then `"name"`, `:` and `"tree"` with any whitespace between: how LightGBM's
    /// dump_model() JSON begins.
    static func opensWithNameTree(_ b: ArraySlice<UInt8>) -> Bool {
        var i = b.startIndex
        func space(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0D).contains(c) }
        func skipSpace() { while i < b.endIndex && space(b[i]) { i += 1 } }
        func take(_ s: String) -> Bool {
            guard b[i...].starts(with: s.utf8) else { return false }
            i += s.utf8.count
            return true
        }
        guard take("{") else { return false }
        skipSpace()
        guard take("\"name\"") else { return false }
        skipSpace()
        guard take(":") else { return false }
        skipSpace()
        return take("\"tree\"")
    }

    /// `0:[`, one or more characters other than `]`, then `] yes=`: the root line of an
    /// XGBoost text dump.
    static func opensWithTextDumpRoot(_ b: ArraySlice<UInt8>) -> Bool {
        guard b.starts(with: "0:[".utf8) else { return false }
        var i = b.startIndex + 3
        let condition = i
        while i < b.endIndex && b[i] != UInt8(ascii: "]") { i += 1 }
        return i > condition && b[i...].starts(with: "] yes=".utf8)
    }

    /// ModelProto almost always opens with ir_version (field 1, varint: byte 0x08).
    static func looksLikeONNX(_ b: [UInt8]) -> Bool { b.count > 2 && b[0] == 0x08 && b[1] < 0x80 && b[1] > 0 }
}
