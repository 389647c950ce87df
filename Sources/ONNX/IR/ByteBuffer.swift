import Foundation

/// Immutable bytes with a stable address, shared between copies.
///
/// Tensors can hold gigabytes; `ByteBuffer` lets the serializer hand protobuf-c a
/// pointer to them without copying, and take ownership of what protobuf-c decoded
/// without copying either. Equality compares contents.
public struct ByteBuffer: Hashable, Sendable, CustomStringConvertible {
    final class Storage: @unchecked Sendable {
        let base: UnsafeRawPointer?
        let count: Int
        let release: (@Sendable (UnsafeMutableRawPointer) -> Void)?
        let owner: AnyObject?

        init(base: UnsafeRawPointer?, count: Int, release: (@Sendable (UnsafeMutableRawPointer) -> Void)?, owner: AnyObject?) {
            self.base = base
            self.count = count
            self.release = release
            self.owner = owner
        }
        deinit {
            if let base, let release { release(UnsafeMutableRawPointer(mutating: base)) }
        }
    }

    let storage: Storage

    private init(storage: Storage) { self.storage = storage }

    /// Empty bytes.
    public init() { self.init(storage: Storage(base: nil, count: 0, release: nil, owner: nil)) }

    /// Copies `bytes`.
    public init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let n = bytes.count
        guard n > 0 else { self.init(); return }
        let p = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 16)
        let buf = UnsafeMutableRawBufferPointer(start: p, count: n)
        buf.copyBytes(from: bytes)
        self.init(storage: Storage(base: p, count: n, release: { $0.deallocate() }, owner: nil))
    }

    /// Copies the bytes of a string (UTF-8).
    public init(utf8 string: String) { self.init(Array(string.utf8)) }

    /// Copies the memory of an array of trivial values (for example `[Float]`).
    public init<T>(copyingElementsOf array: [T]) {
        let n = array.count * MemoryLayout<T>.stride
        guard n > 0 else { self.init(); return }
        let p = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 16)
        array.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: n) }
        self.init(storage: Storage(base: p, count: n, release: { $0.deallocate() }, owner: nil))
    }

    /// Takes ownership of `count` bytes at `pointer`, releasing them with `free` when the
    /// last copy goes away.
    public init(takingMallocated pointer: UnsafeMutableRawPointer, count: Int) {
        self.init(storage: Storage(base: pointer, count: count, release: { free($0) }, owner: nil))
    }

    /// Refers to bytes that `owner` keeps alive (for example a memory-mapped file).
    public init(borrowing pointer: UnsafeRawPointer, count: Int, owner: AnyObject) {
        self.init(storage: Storage(base: pointer, count: count, release: nil, owner: owner))
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.count == 0 }

    /// `count` bytes from `offset`, sharing this buffer's memory (no copy); the part
    /// keeps the whole alive. `offset..<offset + count` must lie inside the buffer.
    public func slice(offset: Int, count: Int) -> ByteBuffer {
        precondition(offset >= 0 && count >= 0 && offset + count <= storage.count, "slice outside the buffer")
        guard count > 0, let base = storage.base else { return ByteBuffer() }
        return ByteBuffer(storage: Storage(base: base + offset, count: count, release: nil, owner: storage))
    }

    /// Calls `body` with the bytes. The pointer is valid while this buffer is alive.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.base, count: storage.count))
    }

    /// The start address, stable for the buffer's lifetime (nil when empty).
    public var baseAddress: UnsafeRawPointer? { storage.base }

    /// A copy as an array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// A copy as Foundation `Data`.
    public var data: Data { withUnsafeBytes { Data($0) } }

    /// The bytes decoded as UTF-8 (invalid sequences repaired).
    public var string: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    /// Reads the bytes as little-endian values of a trivial type.
    public func loadArray<T>(as type: T.Type) -> [T] {
        let n = count / MemoryLayout<T>.stride
        return withUnsafeBytes { raw in
            Array(unsafeUninitializedCapacity: n) { dst, initialized in
                if n > 0 { UnsafeMutableRawPointer(dst.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: n * MemoryLayout<T>.stride) }
                initialized = n
            }
        }
    }

    public static func == (a: ByteBuffer, b: ByteBuffer) -> Bool {
        if a.storage === b.storage { return true }
        guard a.count == b.count else { return false }
        if a.count == 0 { return true }
        return memcmp(a.storage.base!, b.storage.base!, a.count) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        // The ends are enough to spread initializers that share a header or a tail;
        // equal buffers still compare in full.
        withUnsafeBytes {
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: $0.prefix(64)))
            if $0.count > 64 { hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: $0.suffix(64))) }
        }
    }

    public var description: String { "\(count) bytes" }
}
