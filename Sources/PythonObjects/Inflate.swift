import ReaderLimits
import SystemZlib

/// zlib and gzip decompression with a bound on how much output a file may produce.
enum Inflate {
    /// The decompressed bytes of a zlib (`gzip: false`) or gzip stream, checked as they
    /// come against the memory budget and the decompression ratio of `limits`, and against
    /// `maxOutput` when a caller knows the exact size to expect.
    /// - Throws: `PythonObjectsError.container` for corrupt data, `ReaderLimitBreach`.
    static func decompress(_ input: [UInt8], gzip: Bool, limits: ReaderLimits, maxOutput: Int = .max) throws -> [UInt8] {
        var stream = z_stream()
        let windowBits: Int32 = gzip ? 15 + 16 : 15
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw PythonObjectsError.container(reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        out.reserveCapacity(min(maxOutput, input.count * 4, limits.memoryBudget))
        let what = "a \(gzip ? "gzip" : "zlib") stream"
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        return try input.withUnsafeBufferPointer { src -> [UInt8] in
            stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
            stream.avail_in = UInt32(src.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { dst -> (Int32, Int) in
                    stream.next_out = dst.baseAddress
                    stream.avail_out = UInt32(dst.count)
                    let s = inflate(&stream, Z_NO_FLUSH)
                    return (s, dst.count - Int(stream.avail_out))
                }
                if out.count + produced > maxOutput {
                    throw PythonObjectsError.container(reason: "\(what) holds more than the \(maxOutput) bytes expected")
                }
                try limits.checkDecompressed(out.count + produced, from: input.count, at: "compressed byte \(stream.total_in)", what: what)
                out.append(contentsOf: chunk[0..<produced])
                if status == Z_STREAM_END { return out }
                guard status == Z_OK else {
                    throw PythonObjectsError.container(reason: "the \(gzip ? "gzip" : "zlib") data is corrupt at compressed byte \(stream.total_in) (zlib status \(status))")
                }
                if stream.avail_in == 0 && produced == 0 {
                    throw PythonObjectsError.container(reason: "the \(gzip ? "gzip" : "zlib") stream is truncated (after \(stream.total_in) compressed bytes)")
                }
            }
        }
    }
}
