import DocumentReaders
import Foundation
import ONNX
import ReaderLimits

/// safetensors: an 8-byte little-endian header length, a JSON header mapping each name
/// to `{dtype, shape, data_offsets: [begin, end]}` (offsets into the bytes after the
/// header) plus an optional `__metadata__` of strings, then the tensor bytes. The header
/// is bounded by `maxStringBytes` (the format's own reference limit is 100 MB), the
/// tensors together by the memory budget (they become the model's initializers).
enum SafetensorsFile {
    static func read(_ data: ByteBuffer, file: String, limits: ReaderLimits = .default) throws -> [String: WeightTensor] {
        func bad(_ r: String) -> LayerSpecError { .weights(file: file, reason: r) }
        guard data.count >= 8 else { throw bad("too short for a safetensors header (\(data.count) bytes)") }
        let n = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        try limits.checkString(Int(clamping: n), at: "byte 0", detail: "the safetensors header")
        guard n <= UInt64(data.count - 8) else {
            throw bad("header length \(n) does not fit the file (\(data.count) bytes)")
        }
        let headerEnd = 8 + Int(n)
        let header: DocumentNode
        do { header = DocumentNode(try JSONReader.parse(data.withUnsafeBytes { [UInt8]($0[8..<headerEnd]) }, limits: limits), path: "header") } catch let e as DocumentError {
            throw bad("header: \(e)")
        }
        let body = data.count - headerEnd
        var out: [String: WeightTensor] = [:]
        var total = 0
        do {
            for (name, entry) in try header.members() where name != "__metadata__" {
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
                total += offsets[1] - offsets[0]
                try limits.check(.memoryBudget, total, limits.memoryBudget, at: "tensor '\(name)'", detail: "the tensors so far")
                out[name] = WeightTensor(dtype: dtype, shape: shape, bytes: data.slice(offset: headerEnd + offsets[0], count: offsets[1] - offsets[0]))
            }
        } catch let e as DocumentError {
            throw bad("header: \(e)")
        }
        return out
    }
}
