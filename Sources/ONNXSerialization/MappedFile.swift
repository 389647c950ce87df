import Foundation
import ONNX

/// A file mapped read-only into memory. Large tensors decoded from it refer to the
/// mapping instead of being copied (see `LargePayloadStripper`); the mapping goes away
/// when the last of them does.
public final class MappedFile: @unchecked Sendable {
    public let base: UnsafeRawPointer
    public let count: Int

    /// Maps the file at `url`; nil when it is empty or cannot be mapped.
    /// - Throws: `ONNXSerializationError.io` when it cannot be opened.
    public static func map(_ url: URL) throws -> MappedFile? {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw ONNXSerializationError.io(path: url.path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ONNXSerializationError.io(path: url.path, message: String(cString: strerror(errno))) }
        return MappedFile(fd: fd, count: Int(st.st_size))
    }

    /// The whole file as bytes that keep the mapping alive.
    public var buffer: ByteBuffer { ByteBuffer(borrowing: base, count: count, owner: self) }

    /// nil when the file is empty or cannot be mapped (the caller then reads it).
    init?(fd: Int32, count: Int) {
        guard count > 0 else { return nil }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { return nil }
        base = UnsafeRawPointer(p)
        self.count = count
    }

    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), count) }
}
