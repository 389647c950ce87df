/// An attribute's large repeated numbers or strings, left in the encoded file until they
/// are read.
///
/// A tree ensemble of 250,000 nodes keeps a dozen such arrays; decoded up front as
/// `[Int64]` and `[ByteBuffer]` they take about twice the file's size, most of it only to
/// be converted once more by whoever reads them. A decoder asked to defer them
/// (`Model(contentsOf:deferLargeAttributeArrays:)`) stores one of these in
/// `Attribute.deferredArrays` instead of filling `floats`, `ints` and `strings`.
/// `Attribute.value` reads them in full when asked; a reader that wants a compact form
/// visits the elements through `floats(_:)`, `ints(_:)` and `strings(_:)` without an
/// intermediate array. Each read hands the file's pages back afterwards, so the bytes
/// cost memory only while they are read.
///
/// Equality is identity: two attributes are equal only if they defer the same arrays.
public final class DeferredAttributeArrays: Hashable, @unchecked Sendable {
    /// One of the deferred repeated fields.
    public enum Field: Sendable { case floats, ints, strings }

    /// What the decoder provides: which fields it left, and element visitors over the
    /// file's bytes. The visitors must be safe to call from any thread and more than once.
    public struct Source: Sendable {
        public var fields: Set<Field>
        /// The number of elements of a field (for reserving).
        public var count: @Sendable (Field) -> Int
        public var visitFloats: @Sendable ((Float) -> Void) -> Void
        public var visitInts: @Sendable ((Int64) -> Void) -> Void
        public var visitStrings: @Sendable ((UnsafeRawBufferPointer) -> Void) -> Void
        /// Called after each read (for example to release the file's pages).
        public var didRead: @Sendable () -> Void

        public init(fields: Set<Field>, count: @escaping @Sendable (Field) -> Int, visitFloats: @escaping @Sendable ((Float) -> Void) -> Void,
                    visitInts: @escaping @Sendable ((Int64) -> Void) -> Void,
                    visitStrings: @escaping @Sendable ((UnsafeRawBufferPointer) -> Void) -> Void,
                    didRead: @escaping @Sendable () -> Void) {
            self.fields = fields
            self.count = count
            self.visitFloats = visitFloats
            self.visitInts = visitInts
            self.visitStrings = visitStrings
            self.didRead = didRead
        }
    }

    let source: Source

    public init(_ source: Source) { self.source = source }

    /// Whether `field` is among the deferred ones (the attribute's own array is then empty).
    public func contains(_ field: Field) -> Bool { source.fields.contains(field) }

    /// The FLOATS elements, each passed through `transform`; empty when not deferred.
    public func floats<T>(_ transform: (Float) -> T) -> [T] { read(.floats, source.visitFloats, transform) }

    /// The INTS elements, each passed through `transform`; empty when not deferred.
    public func ints<T>(_ transform: (Int64) -> T) -> [T] { read(.ints, source.visitInts, transform) }

    /// The STRINGS elements as the bytes in the file (valid only during the call), each
    /// passed through `transform`; empty when not deferred.
    public func strings<T>(_ transform: (UnsafeRawBufferPointer) -> T) -> [T] { read(.strings, source.visitStrings, transform) }

    private func read<E, T>(_ field: Field, _ visit: ((E) -> Void) -> Void, _ transform: (E) -> T) -> [T] {
        guard contains(field) else { return [] }
        var out: [T] = []
        out.reserveCapacity(source.count(field))
        withoutActuallyEscaping(transform) { t in visit { out.append(t($0)) } }
        source.didRead()
        return out
    }

    public static func == (a: DeferredAttributeArrays, b: DeferredAttributeArrays) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}
