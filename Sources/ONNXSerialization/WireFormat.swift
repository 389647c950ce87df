import CProtobufC

/// The two wire-format primitives that the error locator (`WireScanner`) and the
/// large-payload rewrite (`LargePayloadStripper`) both walk with.
enum WireFormat {
    /// The varint at `p` and its length in bytes; nil when it runs past `end` or is
    /// longer than the 10 bytes a 64-bit value can take.
    static func varint(in bytes: UnsafeRawBufferPointer, at p: Int, end: Int) -> (value: UInt64, length: Int)? {
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
