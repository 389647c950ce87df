import ONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes the repeated fields that `LargePayloadStripper` cut out of the bytes given to
/// protobuf-c, straight from the input into the Swift arrays of the IR.
///
/// The values are the ones protobuf-c would have produced: elements in file order over
/// every occurrence of the field (packed or not), varints truncated to the field's width,
/// fixed-size values read little-endian, bytes copied. The stripper has already checked
/// each occurrence, so nothing here can fail on the input; a marker that does not fit
/// (the bookkeeping in `consumed`/`spoiled`) makes the caller decode the plain way.
final class StrippedArrays {
    /// How a field's elements are encoded.
    enum Kind { case varint, fixed32, fixed64, bytes }

    /// One message whose arrays were cut: its body in the input, a mask of the cut field
    /// numbers (`1 << number`), each cut field's element count (by number), and where
    /// its occurrences lie.
    struct Cut {
        var start: Int
        var end: Int
        var fields: UInt32
        var counts: [Int]
        var runs: [Run]
    }

    /// Consecutive occurrences of one field, `start..<end` in the input.
    struct Run {
        var number: UInt32
        var start: Int
        var end: Int
    }

    /// One field occurrence: its number and wire type, where its value lies (for wire
    /// type 2 the payload after the length) and where the next field starts.
    struct Field {
        var number: UInt32
        var wire: UInt64
        var valueStart: Int
        var valueEnd: Int
        var next: Int
    }

    /// The field at `p`, or nil when it is truncated, runs past `end`, or uses a wire
    /// type ONNX does not (groups, 6, 7).
    static func field(in input: UnsafeRawBufferPointer, at p: Int, end: Int) -> Field? {
        guard let (tag, n) = WireFormat.varint(in: input, at: p, end: end) else { return nil }
        let number = UInt32(truncatingIfNeeded: tag >> 3)
        let wire = tag & 7
        let v = p + n
        switch wire {
        case 0:
            guard let (_, m) = WireFormat.varint(in: input, at: v, end: end) else { return nil }
            return Field(number: number, wire: wire, valueStart: v, valueEnd: v + m, next: v + m)
        case 1, 5:
            let size = wire == 1 ? 8 : 4
            guard end - v >= size else { return nil }
            return Field(number: number, wire: wire, valueStart: v, valueEnd: v + size, next: v + size)
        case 2:
            guard let (len, m) = WireFormat.varint(in: input, at: v, end: end), len <= UInt64(end - v - m) else { return nil }
            let s = v + m
            return Field(number: number, wire: wire, valueStart: s, valueEnd: s + Int(len), next: s + Int(len))
        default:
            return nil
        }
    }

    let input: UnsafeRawBufferPointer
    let nonce: UInt64
    let cuts: [Cut]
    /// Markers matched so far; each cut must be matched exactly once.
    private(set) var consumed = 0
    private var used: [Bool]
    /// Set when a marker turned up twice, or two in one message (protobuf-c merges a
    /// repeated singular message field): the caller then decodes the plain way.
    private(set) var spoiled = false
    /// When set, the pages of each cut message are handed back to the kernel once its
    /// arrays are decoded (the input is a read-only file mapping, so they would be read
    /// in again from the file if ever touched).
    let releasePages: Bool

    init(input: UnsafeRawBufferPointer, nonce: UInt64, cuts: [Cut], releasePages: Bool) {
        self.input = input
        self.nonce = nonce
        self.cuts = cuts
        self.releasePages = releasePages
        used = [Bool](repeating: false, count: cuts.count)
    }

    /// True when every cut was matched exactly once.
    var complete: Bool { !spoiled && consumed == cuts.count }

    /// Removes this decode's marker from a message's unknown fields and returns its cut.
    func take(from unknown: inout [UnknownField]) -> Cut? {
        guard !unknown.isEmpty else { return nil }
        var found: Int?
        var i = 0
        while i < unknown.count {
            let u = unknown[i]
            // protobuf-c keeps a length-delimited unknown field with its length prefix:
            // here one byte (16), then the 16 marker bytes.
            if u.number == LargePayloadStripper.markerField, u.wireType == .lengthPrefixed, u.payload.count == 17,
               let index = u.payload.withUnsafeBytes({ b -> Int? in
                   guard b[0] == 16, b.loadUnaligned(fromByteOffset: 1, as: UInt64.self) == nonce.littleEndian else { return nil }
                   let k = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: 9, as: UInt64.self))
                   return k < UInt64(cuts.count) ? Int(k) : nil
               }) {
                if found != nil || used[index] { spoiled = true }
                found = index
                unknown.remove(at: i)
                continue
            }
            i += 1
        }
        guard let found, !spoiled else { return nil }
        used[found] = true
        consumed += 1
        return cuts[found]
    }

    /// Calls `body` with every occurrence of field `number` in the cut message, in order.
    private func forEach(_ cut: Cut, _ number: UInt32, _ body: (Field) -> Void) {
        for run in cut.runs where run.number == number {
            var p = run.start
            while p < run.end, let f = Self.field(in: input, at: p, end: run.end) {
                body(f)
                p = f.next
            }
        }
    }

    /// The number of elements of cut field `number` (the stripper counted them).
    func count(_ cut: Cut, _ number: UInt32) -> Int { Int(number) < cut.counts.count ? cut.counts[Int(number)] : 0 }

    /// Calls `body` with each varint element of field `number`, in order.
    func visitVarints(_ cut: Cut, _ number: UInt32, _ body: (UInt64) -> Void) {
        // Straight over the runs (the stripper checked every occurrence): a tag, then one
        // varint (wire type 0) or a length and packed varints (2).
        for run in cut.runs where run.number == number {
            var p = run.start
            while p < run.end, let (tag, n) = WireFormat.varint(in: input, at: p, end: run.end) {
                p += n
                if tag & 7 == 0 {
                    guard let (v, m) = WireFormat.varint(in: input, at: p, end: run.end) else { return }
                    body(v)
                    p += m
                } else {
                    guard let (len, m) = WireFormat.varint(in: input, at: p, end: run.end) else { return }
                    var q = p + m
                    let end = q + Int(len)
                    while q < end, let (v, k) = WireFormat.varint(in: input, at: q, end: end) {
                        body(v)
                        q += k
                    }
                    p = end
                }
            }
        }
    }

    /// Calls `body` with the little-endian bit pattern of each fixed-size element of
    /// field `number`, in order.
    func visitFixed(_ cut: Cut, _ number: UInt32, size: Int, _ body: (UInt64) -> Void) {
        forEach(cut, number) { f in
            var q = f.valueStart
            while q + size <= f.valueEnd {
                body(size == 4
                    ? UInt64(UInt32(littleEndian: input.loadUnaligned(fromByteOffset: q, as: UInt32.self)))
                    : UInt64(littleEndian: input.loadUnaligned(fromByteOffset: q, as: UInt64.self)))
                q += size
            }
        }
    }

    /// Calls `body` with each element of a repeated bytes field, in the input.
    func visitBytes(_ cut: Cut, _ number: UInt32, _ body: (UnsafeRawBufferPointer) -> Void) {
        forEach(cut, number) { f in body(UnsafeRawBufferPointer(rebasing: input[f.valueStart..<f.valueEnd])) }
    }

    /// The varint elements of field `number`, each converted by `convert`.
    func varints<T>(_ cut: Cut, _ number: UInt32, _ convert: (UInt64) -> T) -> [T]? {
        guard cut.fields & (1 << number) != 0 else { return nil }
        var out: [T] = []
        out.reserveCapacity(count(cut, number))
        visitVarints(cut, number) { out.append(convert($0)) }
        return out
    }

    /// The fixed-size elements of field `number` (`size` 4 or 8 bytes), each converted
    /// from its little-endian bit pattern by `convert`.
    func fixed<T>(_ cut: Cut, _ number: UInt32, size: Int, _ convert: (UInt64) -> T) -> [T]? {
        guard cut.fields & (1 << number) != 0 else { return nil }
        var out: [T] = []
        out.reserveCapacity(count(cut, number))
        visitFixed(cut, number, size: size) { out.append(convert($0)) }
        return out
    }

    /// An attribute's cut arrays (FLOATS 7, INTS 8, STRINGS 9) left in the input, to be
    /// read when used; `owner` keeps the input alive.
    func deferredAttributeArrays(_ cut: Cut, owner: AnyObject) -> DeferredAttributeArrays {
        var fields: Set<DeferredAttributeArrays.Field> = []
        if cut.fields & (1 << 7) != 0 { fields.insert(.floats) }
        if cut.fields & (1 << 8) != 0 { fields.insert(.ints) }
        if cut.fields & (1 << 9) != 0 { fields.insert(.strings) }
        let reader = DeferredReader(arrays: self, owner: owner)
        return DeferredAttributeArrays(.init(
            fields: fields,
            count: { field in
                switch field {
                case .floats: return reader.arrays.count(cut, 7)
                case .ints: return reader.arrays.count(cut, 8)
                case .strings: return reader.arrays.count(cut, 9)
                }
            },
            visitFloats: { body in reader.arrays.visitFixed(cut, 7, size: 4) { body(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) } },
            visitInts: { body in reader.arrays.visitVarints(cut, 8) { body(Int64(bitPattern: $0)) } },
            visitStrings: { body in reader.arrays.visitBytes(cut, 9, body) },
            didRead: { reader.arrays.release(cut) }))
    }

    /// Keeps the input's owner alive with the arrays that read it. Reading only looks at
    /// the immutable input, so it may happen on any thread.
    private final class DeferredReader: @unchecked Sendable {
        let arrays: StrippedArrays
        let owner: AnyObject
        init(arrays: StrippedArrays, owner: AnyObject) { self.arrays = arrays; self.owner = owner }
    }

    /// The elements of a repeated bytes field, copied. As in `CDecoder.takeAll`, equal
    /// short elements share one buffer.
    func byteStrings(_ cut: Cut, _ number: UInt32) -> [ByteBuffer]? {
        guard cut.fields & (1 << number) != 0 else { return nil }
        var out: [ByteBuffer] = []
        out.reserveCapacity(count(cut, number))
        var distinct: [ByteBuffer] = []
        forEach(cut, number) { f in
            let len = f.valueEnd - f.valueStart
            let bytes = UnsafeRawBufferPointer(rebasing: input[f.valueStart..<f.valueEnd])
            if len > 0, len <= 64,
               let same = distinct.first(where: { $0.count == len && memcmp($0.baseAddress!, bytes.baseAddress!, len) == 0 }) {
                out.append(same)
                return
            }
            let b = len > 0 ? ByteBuffer(bytes) : ByteBuffer()
            if len > 0 && len <= 64 && distinct.count < 16 { distinct.append(b) }
            out.append(b)
        }
        return out
    }

    /// Gives the whole pages inside the cut message back to the kernel (see
    /// `releasePages`).
    func release(_ cut: Cut) {
        guard releasePages, let base = input.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0 else { return }
        let address = Int(bitPattern: base)
        let first = (address + cut.start + page - 1) / page * page
        let last = (address + cut.end) / page * page
        guard last > first, let p = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(p, last - first, MADV_DONTNEED)
    }
}
