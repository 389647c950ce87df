import CProtobufC
import Foundation
import ONNX
import ONNXProtoC

/// Reads the protobuf files that hold single values: TensorProto (`input_0.pb` of a
/// backend test case), SparseTensorProto, SequenceProto, MapProto and OptionalProto.
public enum DataValueCodec {
    /// Decodes `bytes` as the message that `kind` names.
    public static func decode(_ bytes: [UInt8], as kind: DataValue.Kind, source: String = "<memory>") throws -> DataValue {
        try bytes.withUnsafeBufferPointer { b in
            let n = b.count
            let p = b.baseAddress
            func fail() -> ONNXSerializationError {
                .malformed(source: source, offset: 0, field: "\(kind)", problem: "not a valid \(kind) message")
            }
            let d = CDecoder()
            switch kind {
            case .tensor:
                guard let m = onnx__tensor_proto__unpack(nil, n, p) else { throw fail() }
                defer { onnx__tensor_proto__free_unpacked(m, nil) }
                return .tensor(d.tensor(m))
            case .sparseTensor:
                guard let m = onnx__sparse_tensor_proto__unpack(nil, n, p) else { throw fail() }
                defer { onnx__sparse_tensor_proto__free_unpacked(m, nil) }
                return .sparseTensor(d.sparseTensor(m))
            case .sequence:
                guard let m = onnx__sequence_proto__unpack(nil, n, p) else { throw fail() }
                defer { onnx__sequence_proto__free_unpacked(m, nil) }
                return sequence(m, d)
            case .map:
                guard let m = onnx__map_proto__unpack(nil, n, p) else { throw fail() }
                defer { onnx__map_proto__free_unpacked(m, nil) }
                return map(m, d)
            case .optional:
                guard let m = onnx__optional_proto__unpack(nil, n, p) else { throw fail() }
                defer { onnx__optional_proto__free_unpacked(m, nil) }
                return optional(m, d)
            }
        }
    }

    /// Reads a value file.
    public static func read(_ url: URL, as kind: DataValue.Kind) throws -> DataValue {
        let bytes = try FileBytes(path: url.path)
        return try decode(bytes.withUnsafeBytes { Array($0) }, as: kind, source: url.path)
    }

    /// Encodes a tensor as a TensorProto file's bytes.
    public static func encode(_ tensor: ONNX.Tensor) -> [UInt8] {
        let arena = CArena()
        let m = CEncoder(arena: arena).tensor(tensor)
        let size = onnx__tensor_proto__get_packed_size(m)
        return [UInt8](unsafeUninitializedCapacity: size) { buf, n in n = onnx__tensor_proto__pack(m, buf.baseAddress) }
    }

    static func sequence(_ m: UnsafeMutablePointer<Onnx__SequenceProto>, _ d: CDecoder) -> DataValue {
        var items: [DataValue] = []
        items += d.messages(m.pointee.n_tensor_values, m.pointee.tensor_values) { .tensor(d.tensor($0)) }
        items += d.messages(m.pointee.n_sparse_tensor_values, m.pointee.sparse_tensor_values) { .sparseTensor(d.sparseTensor($0)) }
        items += d.messages(m.pointee.n_sequence_values, m.pointee.sequence_values) { sequence($0, d) }
        items += d.messages(m.pointee.n_map_values, m.pointee.map_values) { map($0, d) }
        items += d.messages(m.pointee.n_optional_values, m.pointee.optional_values) { optional($0, d) }
        return .sequence(name: d.string(m.pointee.name), elements: items)
    }

    static func map(_ m: UnsafeMutablePointer<Onnx__MapProto>, _ d: CDecoder) -> DataValue {
        var values: [DataValue] = []
        if let v = m.pointee.values, case .sequence(_, let items) = sequence(v, d) { values = items }
        return .map(
            name: d.string(m.pointee.name), keyType: DataType(rawValue: m.pointee.has_key_type != 0 ? m.pointee.key_type : 0),
            keys: d.array(m.pointee.n_keys, m.pointee.keys), stringKeys: d.takeAll(m.pointee.n_string_keys, m.pointee.string_keys),
            values: values)
    }

    static func optional(_ m: UnsafeMutablePointer<Onnx__OptionalProto>, _ d: CDecoder) -> DataValue {
        let name = d.string(m.pointee.name)
        if let t = m.pointee.tensor_value { return .optional(name: name, value: .tensor(d.tensor(t))) }
        if let t = m.pointee.sparse_tensor_value { return .optional(name: name, value: .sparseTensor(d.sparseTensor(t))) }
        if let s = m.pointee.sequence_value { return .optional(name: name, value: sequence(s, d)) }
        if let s = m.pointee.map_value { return .optional(name: name, value: map(s, d)) }
        if let s = m.pointee.optional_value { return .optional(name: name, value: optional(s, d)) }
        return .optional(name: name, value: nil)
    }
}
