import Foundation
import ONNX

/// Loads tensor data that a model keeps in side files (`data_location = EXTERNAL`).
///
/// `location` is resolved against the model's folder and must stay inside it, after
/// symbolic links are followed; `offset` and `length` must lie within the file. The
/// `checksum` key is ignored, as the specification allows.
struct ExternalDataResolver {
    let modelURL: URL

    func loadAll(into model: inout Model) throws {
        let source = modelURL.path
        let folder = modelURL.deletingLastPathComponent()
        let folderReal = realPath(folder.path.isEmpty ? "." : folder.path) ?? folder.path
        var cache: [String: FileBytes] = [:]
        try model.updateTensors { t, path in
            guard t.isExternal else { return }
            let name = t.name ?? path
            let info = t.externalDataInfo
            guard let location = info["location"], !location.isEmpty else {
                throw ONNXSerializationError.externalData(source: source, tensor: name, problem: "no 'location' entry")
            }
            if location.hasPrefix("/") || location.split(separator: "/").contains("..") {
                throw ONNXSerializationError.pathEscapesModelFolder(source: source, tensor: name, location: location)
            }
            let file = folder.appendingPathComponent(location).path
            guard let real = realPath(file) else {
                throw ONNXSerializationError.externalData(source: source, tensor: name, problem: "cannot open '\(location)': \(String(cString: strerror(errno)))")
            }
            guard real.hasPrefix(folderReal.hasSuffix("/") ? folderReal : folderReal + "/") else {
                throw ONNXSerializationError.pathEscapesModelFolder(source: source, tensor: name, location: location)
            }
            let bytes: FileBytes
            if let b = cache[real] { bytes = b } else { bytes = try FileBytes(path: real); cache[real] = bytes }
            func number(_ key: String) throws -> Int? {
                guard let s = info[key] else { return nil }
                guard let v = Int(s), v >= 0 else {
                    throw ONNXSerializationError.externalData(source: source, tensor: name, problem: "'\(key)' is '\(s)', not a byte count")
                }
                return v
            }
            let offset = try number("offset") ?? 0
            let length = try number("length") ?? (bytes.count - min(offset, bytes.count))
            guard offset <= bytes.count, length <= bytes.count - offset else {
                throw ONNXSerializationError.externalData(
                    source: source, tensor: name,
                    problem: "bytes \(offset)..<\(offset + length) are past the end of '\(location)' (\(bytes.count) bytes)")
            }
            t.rawData = bytes.withUnsafeBytes { ByteBuffer(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + length)])) }
            t.externalData = []
            t.dataLocation = nil
        }
    }

    private func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}
