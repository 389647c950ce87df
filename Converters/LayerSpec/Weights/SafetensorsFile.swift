import DocumentReaders
import Foundation
import ONNX

/// safetensors: an 8-byte little-endian header length, a JSON header mapping each name
/// to `{dtype, shape, data_offsets: [begin, end]}` (offsets into the bytes after the
/// header) plus an optional `__metadata__` of strings, then the tensor bytes.
enum SafetensorsFile {
    /// Largest header accepted (the format's own reference limit is 100 MB).
    static let maximumHeader = 100 << 20

    static func read(_ data: ByteBuffer, file: String) throws -> [String: WeightTensor] {
        func bad(_ r: String) -> LayerSpecError { .weights(file: file, reason: r) }
        guard data.count >= 8 else { throw bad("too short for a safetensors header (\(data.count) bytes)") }
        let n = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard n <= UInt64(maximumHeader), n <= UInt64(data.count - 8) else {
            throw bad("header length \(n) does not fit the file (\(data.count) bytes)")
        }
        let headerEnd = 8 + Int(n)
        let header: DocumentNode
        do { header = DocumentNode(try JSONReader.parse(data.withUnsafeBytes { [UInt8]($0[8..<headerEnd]) }), path: "header") } catch {
            throw bad("header: \(error)")
        }
        let body = data.count - headerEnd
        var out: [String: WeightTensor] = [:]
        do {
            for name in header.keys where name != "__metadata__" {
                let entry = try header.member(name)
                let dt = try entry.member("dtype").string()
                guard let dtype = WeightDType(rawValue: dt) else {
                    throw bad("tensor '\(name)': dtype \(dt) is not supported (supported: \(WeightDType.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                let shape = try entry.member("shape").integers()
                guard shape.allSatisfy({ $0 >= 0 }) else { throw bad("tensor '\(name)': negative dimension in \(shape)") }
                let offsets = try entry.member("data_offsets").integers()
                guard offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= body else {
                    throw bad("tensor '\(name)': data_offsets \(offsets) are outside the \(body) data bytes")
                }
                let (count, overflow) = shape.reduce((1, false)) { acc, d in
                    let (p, o) = acc.0.multipliedReportingOverflow(by: d)
                    return (p, acc.1 || o)
                }
                guard !overflow, count.multipliedReportingOverflow(by: dtype.size) == (offsets[1] - offsets[0], false) else {
                    throw bad("tensor '\(name)': \(offsets[1] - offsets[0]) bytes for shape \(shape) of \(dt)")
                }
                out[name] = WeightTensor(dtype: dtype, shape: shape, bytes: data.slice(offset: headerEnd + offsets[0], count: offsets[1] - offsets[0]))
            }
        } catch let e as DocumentError {
            throw bad("header: \(e)")
        }
        return out
    }
}
