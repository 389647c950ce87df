import CProtobufC
import Foundation
import ONNX
import ONNXProtoC

/// Lets a large model decode without a second copy of its tensor data.
///
/// protobuf-c copies every bytes field while unpacking. Before unpacking a mapped file,
/// this rewrites the message stream with each large `TensorProto.raw_data` payload
/// replaced by a 16-byte marker (a random per-decode nonce plus the payload's index);
/// after unpacking, the decoder swaps each marker for a `ByteBuffer` that points into
/// the mapping. Only message types that can hold a tensor are rewritten; everything
/// else is copied as it is. On any irregularity the rewrite gives up and the original
/// bytes are unpacked instead, so errors are still reported against the file's offsets.
///
/// Large repeated numbers and strings of `AttributeProto` and `TensorProto` (a tree
/// ensemble's `nodes_*` attributes: hundreds of thousands of elements, usually one
/// field occurrence per element) are cut out too: protobuf-c would scan every
/// occurrence into a 32-byte record, grow a C array per field and malloc every string,
/// several times the file's size, before the Swift IR copies them once more. The
/// message keeps a marker instead, an unknown field (`markerField`) holding the nonce
/// and an index into `arrays`; the decoder then reads the elements straight from the
/// input into the Swift arrays (`StrippedArrays`). Every cut occurrence is checked here
/// against what protobuf-c accepts for its field, so a file protobuf-c would reject is
/// never decoded this way.
struct LargePayloadStripper {
    struct Payload {
        var offset: Int
        var count: Int
    }

    /// The most runs of array fields one message may have for its arrays to be cut.
    static let maximumRuns = 1024

    /// The unknown field that stands for a message's cut arrays: the largest field
    /// number protobuf allows, which no ONNX message declares.
    static let markerField: UInt32 = 0x1FFF_FFFF

    let input: UnsafeRawBufferPointer
    let threshold: Int
    /// Encoded size (tags included) from which one repeated field of one message is cut.
    let arrayThreshold: Int
    let nonce: UInt64
    private(set) var payloads: [Payload] = []
    /// The messages whose arrays were cut, in the order their markers were written.
    private(set) var arrays: [StrippedArrays.Cut] = []
    private let tensorHolders: Set<UnsafeRawPointer>
    private let tensorDescriptor: UnsafeRawPointer
    private let attributeDescriptor: UnsafeRawPointer

    init(input: UnsafeRawBufferPointer, threshold: Int = 1 << 16, arrayThreshold: Int = 1 << 12) {
        self.input = input
        self.threshold = threshold
        self.arrayThreshold = arrayThreshold
        attributeDescriptor = UnsafeRawPointer(onnx_descriptor_attribute())
        var g = SystemRandomNumberGenerator()
        nonce = g.next() | 1
        tensorDescriptor = UnsafeRawPointer(onnx_descriptor_tensor())
        let holders: [UnsafePointer<ProtobufCMessageDescriptor>] = [
            onnx_descriptor_model(), onnx_descriptor_graph(), onnx_descriptor_node(), onnx_descriptor_attribute(),
            onnx_descriptor_sparse_tensor(), onnx_descriptor_function(), onnx_descriptor_training_info(),
        ]
        tensorHolders = Set(holders.map { UnsafeRawPointer($0) })
    }

    /// The rewritten stream, or nil when nothing was large enough to strip or the input
    /// is irregular.
    mutating func strip() -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(min(input.count, 1 << 20))
        guard rewrite(from: 0, to: input.count, descriptor: UnsafeRawPointer(onnx_descriptor_model()), into: &out, depth: 0),
              !payloads.isEmpty || !arrays.isEmpty else { return nil }
        return out
    }

    /// The marker that stands for payload `index`.
    func marker(_ index: Int) -> [UInt8] {
        var m = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: nonce.littleEndian) { m.replaceSubrange(0..<8, with: $0) }
        withUnsafeBytes(of: UInt64(index).littleEndian) { m.replaceSubrange(8..<16, with: $0) }
        return m
    }

    /// The payload index a 16-byte raw_data value stands for, if it is a marker.
    func index(ofMarker p: UnsafeRawPointer, count: Int) -> Int? {
        guard count == 16, p.loadUnaligned(as: UInt64.self) == nonce.littleEndian else { return nil }
        let i = Int(UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        return i < payloads.count ? i : nil
    }

    private func appendVarint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    /// The element encoding of each repeated field that may be cut, by message type,
    /// indexed by field number (all below 32, the width of a cut mask). Tables, not
    /// dictionaries: they are consulted for every field occurrence of every attribute.
    private static let attributeArrayFields = kindTable([7: .fixed32, 8: .varint, 9: .bytes])
    private static let tensorArrayFields = kindTable([4: .fixed32, 5: .varint, 6: .bytes, 7: .varint, 10: .fixed64, 11: .varint])

    private static func kindTable(_ kinds: [Int: StrippedArrays.Kind]) -> [StrippedArrays.Kind?] {
        var t = [StrippedArrays.Kind?](repeating: nil, count: 32)
        for (n, k) in kinds { t[n] = k }
        return t
    }

    private func arrayFields(of raw: UnsafeRawPointer) -> [StrippedArrays.Kind?]? {
        if raw == attributeDescriptor { return Self.attributeArrayFields }
        if raw == tensorDescriptor { return Self.tensorArrayFields }
        return nil
    }

    /// One pass over the message in `start..<end`: the fields whose occurrences together
    /// reach `arrayThreshold` bytes (a mask of `1 << number`), their element counts, and
    /// the runs of consecutive occurrences, so that neither the rewrite nor the decoder
    /// walks them element by element again. Every occurrence of a field that may be cut is
    /// checked against what protobuf-c accepts; nil if one fails or the message is
    /// irregular (the caller then decodes the plain way, which reports the problem).
    private func scan(from start: Int, to end: Int, kinds: [StrippedArrays.Kind?]) -> (mask: UInt32, counts: [Int], runs: [StrippedArrays.Run])? {
        var sizes = [Int](repeating: 0, count: 32)
        var counts = [Int](repeating: 0, count: 32)
        var runs: [StrippedArrays.Run] = []
        var p = start
        while p < end {
            guard let f = StrippedArrays.field(in: input, at: p, end: end) else { return nil }
            if f.number < 32, let kind = kinds[Int(f.number)] {
                guard var n = elements(f, kind: kind) else { return nil }
                var next = f.next
                if kind == .varint && f.wire == 0 && p + 1 == f.valueStart {
                    // More single varints under the same one-byte tag (how a repeated
                    // int64 is written): counted without parsing each as a field.
                    let tagByte = input[p]
                    while next < end && input[next] == tagByte {
                        var q = next + 1
                        let limit = min(end, q + 10)
                        while q < limit && input[q] & 0x80 != 0 { q += 1 }
                        guard q < limit else { break }   // truncated or overlong: the general path decides
                        next = q + 1
                        n += 1
                    }
                }
                sizes[Int(f.number)] += next - p
                counts[Int(f.number)] += n
                if let last = runs.last, last.number == f.number, last.end == p {
                    runs[runs.count - 1].end = next
                } else {
                    // Fields interleaved element by element would make a run each: such
                    // a message is left whole to protobuf-c rather than described at 24
                    // bytes per element.
                    guard runs.count < Self.maximumRuns else { return (0, [], []) }
                    runs.append(StrippedArrays.Run(number: f.number, start: p, end: next))
                }
                p = next
                continue
            }
            p = f.next
        }
        var mask: UInt32 = 0
        for (number, size) in sizes.enumerated() where size >= arrayThreshold { mask |= 1 << UInt32(number) }
        return (mask, counts, runs.filter { mask & (1 << $0.number) != 0 })
    }

    /// How many elements this occurrence of a field of the given kind holds, or nil when
    /// protobuf-c would not accept it: the wire types it reads for a repeated field, and
    /// packed contents that divide exactly.
    private func elements(_ f: StrippedArrays.Field, kind: StrippedArrays.Kind) -> Int? {
        switch (kind, f.wire) {
        case (.varint, 0), (.fixed32, 5), (.fixed64, 1), (.bytes, 2): return 1
        case (.fixed32, 2): return (f.valueEnd - f.valueStart) % 4 == 0 ? (f.valueEnd - f.valueStart) / 4 : nil
        case (.fixed64, 2): return (f.valueEnd - f.valueStart) % 8 == 0 ? (f.valueEnd - f.valueStart) / 8 : nil
        case (.varint, 2):
            var q = f.valueStart
            var n = 0
            while q < f.valueEnd {
                guard let (_, m) = WireFormat.varint(in: input, at: q, end: f.valueEnd) else { return nil }
                q += m
                n += 1
            }
            return n
        default: return nil
        }
    }

    private mutating func rewrite(from start: Int, to end: Int, descriptor raw: UnsafeRawPointer, into out: inout [UInt8], depth: Int) -> Bool {
        guard depth < 64 else { return false }
        let d = raw.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
        let isTensor = raw == tensorDescriptor
        var cut: UInt32 = 0
        var counts: [Int] = []
        var runs: [StrippedArrays.Run] = []
        if let kinds = arrayFields(of: raw) {
            guard let found = scan(from: start, to: end, kinds: kinds) else { return false }
            (cut, counts, runs) = found
        }
        var nextRun = 0
        var p = start
        while p < end {
            let fieldStart = p
            if nextRun < runs.count && runs[nextRun].start == p {
                // A run of cut array elements, checked by scan(): left out.
                p = runs[nextRun].end
                nextRun += 1
                continue
            }
            guard let (tag, n) = WireFormat.varint(in: input, at: p, end: end) else { return false }
            let wire = tag & 7
            p += n
            switch wire {
            case 0:
                guard let (_, m) = WireFormat.varint(in: input, at: p, end: end) else { return false }
                p += m
            case 1: p += 8
            case 5: p += 4
            case 2:
                guard let (len, m) = WireFormat.varint(in: input, at: p, end: end), len <= UInt64(end - p - m) else { return false }
                let bodyStart = p + m
                let bodyEnd = bodyStart + Int(len)
                let number = UInt32(truncatingIfNeeded: tag >> 3)
                if isTensor && number == 9 && Int(len) >= threshold {
                    // raw_data: replace by a marker.
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[fieldStart..<p]))
                    appendVarint(16, &out)
                    out.append(contentsOf: marker(payloads.count))
                    payloads.append(Payload(offset: bodyStart, count: Int(len)))
                    p = bodyEnd
                    continue
                }
                if let f = WireFormat.field(of: d, number: number), f.pointee.type == PROTOBUF_C_TYPE_MESSAGE, let sub = f.pointee.descriptor,
                   sub == tensorDescriptor || tensorHolders.contains(sub) {
                    var child: [UInt8] = []
                    guard rewrite(from: bodyStart, to: bodyEnd, descriptor: sub, into: &child, depth: depth + 1) else { return false }
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[fieldStart..<p]))
                    appendVarint(UInt64(child.count), &out)
                    out.append(contentsOf: child)
                    p = bodyEnd
                    continue
                }
                p = bodyEnd
            default:
                return false
            }
            guard p <= end else { return false }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[fieldStart..<p]))
        }
        guard p == end, nextRun == runs.count else { return false }
        if cut != 0 {
            appendVarint(UInt64(Self.markerField) << 3 | 2, &out)
            appendVarint(16, &out)
            out.append(contentsOf: marker(arrays.count))
            arrays.append(StrippedArrays.Cut(start: start, end: end, fields: cut, counts: counts, runs: runs))
        }
        return true
    }
}
