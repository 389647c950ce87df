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
struct LargePayloadStripper {
    struct Payload {
        var offset: Int
        var count: Int
    }

    let input: UnsafeRawBufferPointer
    let threshold: Int
    let nonce: UInt64
    private(set) var payloads: [Payload] = []
    private let tensorHolders: Set<UnsafeRawPointer>
    private let tensorDescriptor: UnsafeRawPointer

    init(input: UnsafeRawBufferPointer, threshold: Int = 1 << 16) {
        self.input = input
        self.threshold = threshold
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
        guard rewrite(from: 0, to: input.count, descriptor: UnsafeRawPointer(onnx_descriptor_model()), into: &out, depth: 0), !payloads.isEmpty else { return nil }
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

    private mutating func rewrite(from start: Int, to end: Int, descriptor raw: UnsafeRawPointer, into out: inout [UInt8], depth: Int) -> Bool {
        guard depth < 64 else { return false }
        let d = raw.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
        let isTensor = raw == tensorDescriptor
        var p = start
        while p < end {
            let fieldStart = p
            guard let (tag, n) = WireFormat.varint(in: input, at: p, end: end) else { return false }
            p += n
            let wire = tag & 7
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
        return p == end
    }
}
