import CProtobufC
import Foundation
import ONNX
import ONNXProtoC

/// Decodes and encodes ONNX models with libprotobuf-c.
public enum ModelCodec {
    /// protobuf's hard limit for one serialized message.
    public static let protobufLimit = Int(Int32.max)

    /// Decodes a model from its serialized bytes. Tensor data stored externally is left
    /// as a reference (see `Model(contentsOf:)` to load it).
    public static func decode(_ bytes: UnsafeRawBufferPointer, source: String = "<memory>") throws -> Model {
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard let raw = onnx__model_proto__unpack(nil, bytes.count, base) else {
            if let other = sniffOtherFormat(bytes) { throw ONNXSerializationError.notAModel(source: source, reason: other) }
            let problem = WireScanner(bytes: bytes).scan(descriptor: onnx_descriptor_model())
            if let problem {
                throw ONNXSerializationError.malformed(source: source, offset: problem.offset, field: problem.field, problem: problem.message)
            }
            throw ONNXSerializationError.malformed(source: source, offset: 0, field: "ModelProto", problem: "protobuf-c could not unpack the message")
        }
        defer { onnx__model_proto__free_unpacked(raw, nil) }
        let model = CDecoder().model(raw)
        try requireModel(model, bytes: bytes, source: source)
        return model
    }

    /// Decodes a mapped file; large tensors keep pointing into the mapping, and large
    /// attribute and tensor arrays are read from it without protobuf-c's copies.
    /// With `deferAttributeArrays`, those attribute arrays stay in the mapping until read
    /// (`DeferredAttributeArrays`).
    static func decode(mapped file: MappedFile, source: String, deferAttributeArrays: Bool = false) throws -> Model {
        var stripper = LargePayloadStripper(input: file.bytes)
        if let model = try decodeStripped(&stripper, owner: file, releasePages: true, deferAttributeArrays: deferAttributeArrays, source: source) {
            return model
        }
        return try decode(file.bytes, source: source)
    }

    /// Decodes `stripper.input` through the stripper, or returns nil when nothing was
    /// stripped or the stripped decode cannot be trusted (the caller then decodes the
    /// plain way, which also reports any error against the input's own offsets).
    /// `owner` keeps the input alive for as long as a tensor points into it;
    /// `releasePages` is only for a read-only file mapping (see `StrippedArrays`).
    static func decodeStripped(_ stripper: inout LargePayloadStripper, owner: AnyObject, releasePages: Bool,
                               deferAttributeArrays: Bool = false, source: String) throws -> Model? {
        guard let stripped = stripper.strip() else { return nil }
        let input = stripper.input
        let arrays = StrippedArrays(input: input, nonce: stripper.nonce, cuts: stripper.arrays, releasePages: releasePages)
        // The stripper read every cut array once; they are read again one by one below.
        for cut in stripper.arrays { arrays.release(cut) }
        let unpacked = stripped.withUnsafeBufferPointer { onnx__model_proto__unpack(nil, $0.count, $0.baseAddress) }
        guard let raw = unpacked else { return nil }
        defer { onnx__model_proto__free_unpacked(raw, nil) }
        let s = stripper
        var decoder = CDecoder()
        decoder.payloadForMarker = { marker in
            marker.withUnsafeBytes { b -> ByteBuffer? in
                guard let i = s.index(ofMarker: b.baseAddress!, count: b.count), let base = input.baseAddress else { return nil }
                return ByteBuffer(borrowing: base + s.payloads[i].offset, count: s.payloads[i].count, owner: owner)
            }
        }
        decoder.arrays = arrays
        if deferAttributeArrays { decoder.deferredArraysOwner = owner }
        let model = decoder.model(raw)
        guard arrays.complete else { return nil }
        try requireModel(model, bytes: input, source: source)
        return model
    }

    static func requireModel(_ model: Model, bytes: UnsafeRawBufferPointer, source: String) throws {
        if model.irVersion == nil && model.graph == nil && model.opsetImport.isEmpty {
            throw ONNXSerializationError.notAModel(
                source: source,
                reason: bytes.isEmpty ? "the file is empty" : "it has no ir_version, no graph and no opset_import (\(sniff(bytes)))")
        }
    }

    /// Decodes a model from an array of bytes.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>") throws -> Model {
        try bytes.withUnsafeBytes { try decode($0, source: source) }
    }

    /// The size of the model's encoding, in bytes.
    public static func encodedSize(_ model: Model) -> Int {
        let arena = CArena()
        let m = CEncoder(arena: arena).model(model)
        return onnx__model_proto__get_packed_size(m)
    }

    /// Encodes a model into memory. The same model always gives the same bytes.
    public static func encode(_ model: Model, source: String = "<memory>") throws -> [UInt8] {
        let arena = CArena()
        let m = CEncoder(arena: arena).model(model)
        let size = onnx__model_proto__get_packed_size(m)
        guard size <= protobufLimit else { throw ONNXSerializationError.tooLarge(source: source, bytes: size, limit: protobufLimit) }
        return [UInt8](unsafeUninitializedCapacity: size) { buf, initialized in
            initialized = onnx__model_proto__pack(m, buf.baseAddress)
        }
    }

    /// Encodes a model straight into an open file descriptor; returns the bytes written.
    static func encode(_ model: Model, toDescriptor fd: Int32, path: String) throws -> Int {
        let arena = CArena()
        let m = CEncoder(arena: arena).model(model)
        let size = onnx__model_proto__get_packed_size(m)
        guard size <= protobufLimit else { throw ONNXSerializationError.tooLarge(source: path, bytes: size, limit: protobufLimit) }
        let capacity = 1 << 20
        let staging = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { staging.deallocate() }
        var sink = OnnxFileSink()
        onnx_file_sink_init(&sink, fd, staging, capacity)
        let packed = withUnsafeMutablePointer(to: &m.pointee.base) { onnx_pack_to_sink($0, &sink) }
        let err = onnx_file_sink_flush(&sink)
        if err != 0 { throw ONNXSerializationError.io(path: path, message: String(cString: strerror(err))) }
        return packed
    }

    /// A name for content that is clearly another format, or nil.
    static func sniffOtherFormat(_ b: UnsafeRawBufferPointer) -> String? {
        let s = sniff(b)
        return s == "unrecognised content" ? nil : s
    }

    /// A guess at what a non-ONNX file is, for the error message.
    static func sniff(_ b: UnsafeRawBufferPointer) -> String {
        func starts(_ s: [UInt8]) -> Bool { b.count >= s.count && zip(b, s).allSatisfy { $0 == $1 } }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "it looks like a zip archive" }
        if starts([0x80]) { return "it looks like a Python pickle" }
        if starts([0x1F, 0x8B]) { return "it looks like a gzip file" }
        if starts([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]) { return "it looks like a .npy array" }
        if let first = b.first, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return "it looks like JSON" }
        if b.prefix(64).allSatisfy({ ($0 >= 0x20 && $0 < 0x7f) || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) { return "it looks like text" }
        return "unrecognised content"
    }
}
