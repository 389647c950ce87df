import Foundation
import ReaderLimits

/// Reading a source model file into memory once (no Data-to-Array copy, which doubles
/// the peak for large JSON models).
public enum SourceFile {
    /// The whole file's bytes; a file larger than `limits.memoryBudget` is refused
    /// before anything is read.
    /// - Throws: `ConversionError.unreadable` naming the file and the reason, `ReaderLimitBreach`.
    public static func bytes(at url: URL, limits: ReaderLimits = .default) throws -> [UInt8] {
        let path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ConversionError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ConversionError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw ConversionError.unreadable(file: path, reason: "not a regular file") }
        let size = Int(st.st_size)
        try limits.checkInputSize(size, file: url.lastPathComponent)
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let n = read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 { if errno == EINTR { continue }; failure = errno; break }
                if n == 0 { break }
                done += n
            }
            initialized = done
        }
        if failure != 0 { throw ConversionError.unreadable(file: path, reason: String(cString: strerror(failure))) }
        // A file that grew while being read: take the rest too.
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 65536) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }
}
