import CProtobufC
import ONNX
import ONNXProtoC
import ReaderLimits

/// Finds where and why a byte stream is not a valid encoding of a message.
///
/// protobuf-c only says that unpacking failed. This walks the same bytes with the
/// descriptors protoc-c generated (so it knows every field's name and type) and reports
/// the first problem with its byte offset and the path of the field it is in, e.g.
/// `ModelProto.graph.node[3].attribute[0].t.raw_data`.
struct WireScanner {
    struct Problem {
        var offset: Int
        var field: String
        var message: String
    }

    let bytes: UnsafeRawBufferPointer
    /// Deepest nesting walked before giving up (the readers' shared `maxDepth`; a hostile
    /// file cannot make the scanner recurse without bound).
    var maxDepth = ReaderLimits.default.maxDepth

    func scan(descriptor: UnsafePointer<ProtobufCMessageDescriptor>) -> Problem? {
        scan(from: 0, to: bytes.count, descriptor: descriptor, path: String(cString: descriptor.pointee.short_name), depth: 0)
    }

    /// The wire type a field's declared type uses when not packed.
    private func expectedWireType(_ t: ProtobufCType) -> UInt64 {
        switch t {
        case PROTOBUF_C_TYPE_INT32, PROTOBUF_C_TYPE_SINT32, PROTOBUF_C_TYPE_UINT32, PROTOBUF_C_TYPE_INT64,
             PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_UINT64, PROTOBUF_C_TYPE_BOOL, PROTOBUF_C_TYPE_ENUM: return 0
        case PROTOBUF_C_TYPE_FIXED64, PROTOBUF_C_TYPE_SFIXED64, PROTOBUF_C_TYPE_DOUBLE: return 1
        case PROTOBUF_C_TYPE_FIXED32, PROTOBUF_C_TYPE_SFIXED32, PROTOBUF_C_TYPE_FLOAT: return 5
        default: return 2
        }
    }

    private static let wireTypeNames = ["varint", "fixed64", "length-delimited", "start-group", "end-group", "fixed32", "wire type 6", "wire type 7"]

    private func scan(from start: Int, to end: Int, descriptor d: UnsafePointer<ProtobufCMessageDescriptor>, path: String, depth: Int) -> Problem? {
        if depth > maxDepth {
            return Problem(offset: start, field: path, message: "messages nested deeper than \(maxDepth) levels")
        }
        var counts: [UInt32: Int] = [:]
        var p = start
        while p < end {
            let tagOffset = p
            guard let (tag, n) = WireFormat.varint(in: bytes, at: p, end: end) else {
                return Problem(offset: tagOffset, field: path, message: "truncated field tag")
            }
            p += n
            let number = UInt32(truncatingIfNeeded: tag >> 3)
            let wire = tag & 7
            if number == 0 || tag >> 3 > 0x1FFF_FFFF {
                return Problem(offset: tagOffset, field: path, message: "invalid field number \(tag >> 3)")
            }
            let f = WireFormat.field(of: d, number: number)
            var fieldPath = path + "." + (f.map { String(cString: $0.pointee.name) } ?? "field#\(number)")
            if let f, f.pointee.label == PROTOBUF_C_LABEL_REPEATED {
                let i = counts[number, default: 0]
                counts[number] = i + 1
                fieldPath += "[\(i)]"
            }
            if let f {
                let expected = expectedWireType(f.pointee.type)
                let packedOK = f.pointee.label == PROTOBUF_C_LABEL_REPEATED && expected != 2 && wire == 2
                if wire != expected && !packedOK {
                    return Problem(offset: tagOffset, field: fieldPath,
                                   message: "wrong wire type: found \(Self.wireTypeNames[Int(wire)]), the field is \(Self.wireTypeNames[Int(expected)])")
                }
            }
            switch wire {
            case 0:
                guard let (_, n) = WireFormat.varint(in: bytes, at: p, end: end) else {
                    return Problem(offset: p, field: fieldPath, message: "truncated varint")
                }
                p += n
            case 1, 5:
                let size = wire == 1 ? 8 : 4
                guard end - p >= size else {
                    return Problem(offset: p, field: fieldPath, message: "truncated \(size)-byte value (\(end - p) bytes left)")
                }
                p += size
            case 2:
                let lengthOffset = p
                guard let (len, ln) = WireFormat.varint(in: bytes, at: p, end: end) else {
                    return Problem(offset: p, field: fieldPath, message: "truncated length")
                }
                p += ln
                guard len <= UInt64(end - p) else {
                    return Problem(offset: lengthOffset, field: fieldPath,
                                   message: "length \(len) runs past the end of the enclosing message (\(end - p) bytes left)")
                }
                let bodyEnd = p + Int(len)
                if let f, f.pointee.type == PROTOBUF_C_TYPE_MESSAGE, let sub = f.pointee.descriptor {
                    let sd = sub.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
                    if let problem = scan(from: p, to: bodyEnd, descriptor: sd, path: fieldPath, depth: depth + 1) {
                        return problem
                    }
                } else if let f, f.pointee.label == PROTOBUF_C_LABEL_REPEATED, expectedWireType(f.pointee.type) != 2 {
                    if let problem = scanPacked(from: p, to: bodyEnd, wire: expectedWireType(f.pointee.type), path: fieldPath) {
                        return problem
                    }
                }
                p = bodyEnd
            case 3, 4:
                return Problem(offset: tagOffset, field: fieldPath, message: "group wire types are not used by ONNX and are not supported")
            default:
                return Problem(offset: tagOffset, field: fieldPath, message: "invalid wire type \(wire)")
            }
        }
        return nil
    }

    private func scanPacked(from start: Int, to end: Int, wire: UInt64, path: String) -> Problem? {
        switch wire {
        case 0:
            var p = start
            while p < end {
                guard let (_, n) = WireFormat.varint(in: bytes, at: p, end: end) else {
                    return Problem(offset: p, field: path, message: "truncated varint in packed values")
                }
                p += n
            }
            return nil
        case 1, 5:
            let size = wire == 1 ? 8 : 4
            if (end - start) % size != 0 {
                return Problem(offset: start, field: path, message: "packed \(size)-byte values: length \(end - start) is not a multiple of \(size)")
            }
            return nil
        default:
            return nil
        }
    }
}
