import CProtobufC

/// The two wire-format primitives that the error locator (`WireScanner`) and the
/// large-payload rewrite (`LargePayloadStripper`) both walk with.
enum WireFormat {
    /// The varint at `p` and its length in bytes; nil when it runs past `end` or is
    /// longer than the 10 bytes a 64-bit value can take.
    @inline(__always)
    static func varint(in bytes: UnsafeRawBufferPointer, at p: Int, end: Int) -> (value: UInt64, length: Int)? {
        // One and two bytes (tags, small ids) without the loop.
        if p < end {
            let b0 = bytes[p]
            if b0 < 0x80 { return (UInt64(b0), 1) }
            if p + 1 < end {
                let b1 = bytes[p + 1]
                if b1 < 0x80 { return (UInt64(b0 & 0x7f) | UInt64(b1) << 7, 2) }
            }
        }
        return longVarint(in: bytes, at: p, end: end)
    }

    static func longVarint(in bytes: UnsafeRawBufferPointer, at p: Int, end: Int) -> (value: UInt64, length: Int)? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = p
        while i < end && i - p < 10 {
            let b = bytes[i]
            result |= UInt64(b & 0x7f) << shift
            i += 1
            if b & 0x80 == 0 { return (result, i - p) }
            shift += 7
        }
        return nil
    }

    /// The descriptor of field `number` of a message type, if it declares one.
    static func field(of d: UnsafePointer<ProtobufCMessageDescriptor>, number: UInt32) -> UnsafePointer<ProtobufCFieldDescriptor>? {
        guard let fields = d.pointee.fields else { return nil }
        for i in 0..<Int(d.pointee.n_fields) where fields[i].id == number { return fields + i }
        return nil
    }
}
