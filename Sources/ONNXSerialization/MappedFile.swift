import Foundation

/// A file mapped read-only into memory. Large tensors decoded from it refer to the
/// mapping instead of being copied (see `LargePayloadStripper`); the mapping goes away
/// when the last of them does.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeRawPointer
    let count: Int

    /// nil when the file is empty or cannot be mapped (the caller then reads it).
    init?(fd: Int32, count: Int) {
        guard count > 0 else { return nil }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { return nil }
        base = UnsafeRawPointer(p)
        self.count = count
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), count) }
}
