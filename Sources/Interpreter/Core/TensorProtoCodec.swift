import ONNX

/// Converts between `TensorProto` (`ONNX.Tensor`, as stored in files) and `TensorValue`.
extension TensorValue {
    /// Reads a TensorProto's elements (raw_data or the typed field). External data must
    /// have been loaded first (`Model(contentsOf:)` does).
    public init(proto t: ONNX.Tensor, source: String = "tensor") throws {
        let name = t.name ?? source
        guard let type = t.dataType, type.isKnown else {
            throw InterpreterError.badData(source: name, message: "data_type \(t.dataType?.rawValue ?? 0) is not a known element type")
        }
        if t.isExternal { throw InterpreterError.badData(source: name, message: "its data is external and was not loaded") }
        guard let n = t.elementCount else { throw InterpreterError.badData(source: name, message: "invalid dims \(t.dims)") }
        let shape = t.dims.map { Int($0) }
        let storage: TensorStorage
        if let raw = t.rawData {
            storage = try Self.decodeRaw(raw, type: type, count: n, name: name)
        } else {
            storage = try Self.decodeTyped(t, type: type, count: n, name: name)
        }
        try self.init(type, shape: shape, storage: storage)
    }

    static func decodeRaw(_ raw: ByteBuffer, type: DataType, count n: Int, name: String) throws -> TensorStorage {
        guard let need = type.rawByteCount(elements: n), raw.count == need else {
            throw InterpreterError.badData(source: name, message: "raw_data has \(raw.count) bytes; \(n) \(type) elements need \(type.rawByteCount(elements: n) ?? -1)")
        }
        func load<T>(_: T.Type, _ k: Int = 1) -> [T] { raw.loadArray(as: T.self) }
        switch type {
        case .float: return .float(load(Float.self))
        case .double: return .double(load(Double.self))
        case .float16: return .float16(load(UInt16.self).map { Float16(bitPattern: $0) })
        case .bfloat16: return .bfloat16(load(UInt16.self).map { BFloat16(bits: $0) })
        case .int8: return .int8(load(Int8.self))
        case .int16: return .int16(load(Int16.self))
        case .int32: return .int32(load(Int32.self))
        case .int64: return .int64(load(Int64.self))
        case .uint8: return .uint8(load(UInt8.self))
        case .uint16: return .uint16(load(UInt16.self))
        case .uint32: return .uint32(load(UInt32.self))
        case .uint64: return .uint64(load(UInt64.self))
        case .bool: return .bool(load(UInt8.self).map { $0 != 0 })
        case .complex64: return .complex64(load(Float.self))
        case .complex128: return .complex128(load(Double.self))
        case .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0: return .bits8(load(UInt8.self))
        case .int4, .int2, .uint4, .uint2, .float4e2m1, .float6e2m3, .float6e3m2:
            let bits = type.bitWidth ?? 8
            let codes = unpackBits(raw.bytes, bits: bits, count: n)
            switch type {
            case .int4, .int2: return .int8(codes.map { signExtend($0, bits: bits) })
            case .uint4, .uint2: return .uint8(codes)
            default: return .bits8(codes)
            }
        case .string: throw InterpreterError.badData(source: name, message: "string tensors cannot use raw_data")
        default: throw InterpreterError.unsupportedType(type, context: "raw_data")
        }
    }

    static func decodeTyped(_ t: ONNX.Tensor, type: DataType, count n: Int, name: String) throws -> TensorStorage {
        func check(_ have: Int, _ want: Int, _ field: String) throws {
            guard have == want else {
                throw InterpreterError.badData(source: name, message: "\(field) has \(have) values; \(n) \(type) elements need \(want)")
            }
        }
        let i32 = t.int32Data
        switch type {
        case .float: try check(t.floatData.count, n, "float_data"); return .float(t.floatData)
        case .complex64: try check(t.floatData.count, 2 * n, "float_data"); return .complex64(t.floatData)
        case .double: try check(t.doubleData.count, n, "double_data"); return .double(t.doubleData)
        case .complex128: try check(t.doubleData.count, 2 * n, "double_data"); return .complex128(t.doubleData)
        case .int64: try check(t.int64Data.count, n, "int64_data"); return .int64(t.int64Data)
        case .uint64: try check(t.uint64Data.count, n, "uint64_data"); return .uint64(t.uint64Data)
        case .uint32: try check(t.uint64Data.count, n, "uint64_data"); return .uint32(t.uint64Data.map { UInt32(truncatingIfNeeded: $0) })
        case .string: try check(t.stringData.count, n, "string_data"); return .string(t.stringData.map(\.string))
        case .int4, .uint4, .int2, .uint2, .float4e2m1:
            let bits = type.bitWidth ?? 4
            let perEntry = 8 / bits
            try check(i32.count, (n + perEntry - 1) / perEntry, "int32_data")
            let bytes = i32.map { UInt8(truncatingIfNeeded: $0) }
            let codes = unpackBits(bytes, bits: bits, count: n)
            switch type {
            case .int4, .int2: return .int8(codes.map { signExtend($0, bits: bits) })
            case .uint4, .uint2: return .uint8(codes)
            default: return .bits8(codes)
            }
        default:
            try check(i32.count, n, "int32_data")
            switch type {
            case .int32: return .int32(i32)
            case .int16: return .int16(i32.map { Int16(truncatingIfNeeded: $0) })
            case .int8: return .int8(i32.map { Int8(truncatingIfNeeded: $0) })
            case .uint16: return .uint16(i32.map { UInt16(truncatingIfNeeded: $0) })
            case .uint8: return .uint8(i32.map { UInt8(truncatingIfNeeded: $0) })
            case .bool: return .bool(i32.map { $0 != 0 })
            case .float16: return .float16(i32.map { Float16(bitPattern: UInt16(truncatingIfNeeded: $0)) })
            case .bfloat16: return .bfloat16(i32.map { BFloat16(bits: UInt16(truncatingIfNeeded: $0)) })
            case .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0, .float6e2m3, .float6e3m2:
                return .bits8(i32.map { UInt8(truncatingIfNeeded: $0) })
            default: throw InterpreterError.unsupportedType(type, context: "typed TensorProto fields")
            }
        }
    }

    /// Element codes packed little-endian, `bits` each, low bits first.
    static func unpackBits(_ bytes: [UInt8], bits: Int, count n: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n)
        let mask = (1 << bits) - 1
        for i in 0..<n {
            let bit = i * bits
            var v = Int(bytes[bit / 8]) >> (bit % 8)
            if bit % 8 + bits > 8, bit / 8 + 1 < bytes.count { v |= Int(bytes[bit / 8 + 1]) << (8 - bit % 8) }
            out[i] = UInt8(v & mask)
        }
        return out
    }

    static func packBits(_ codes: [UInt8], bits: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (codes.count * bits + 7) / 8)
        let mask = (1 << bits) - 1
        for (i, c) in codes.enumerated() {
            let bit = i * bits
            let v = Int(c) & mask
            out[bit / 8] |= UInt8((v << (bit % 8)) & 0xFF)
            if bit % 8 + bits > 8 { out[bit / 8 + 1] |= UInt8(v >> (8 - bit % 8)) }
        }
        return out
    }

    static func signExtend(_ c: UInt8, bits: Int) -> Int8 {
        let v = Int(c)
        return Int8(v >= (1 << (bits - 1)) ? v - (1 << bits) : v)
    }

    /// The value as a TensorProto with raw_data (typed fields for strings).
    public func proto(name: String? = nil) -> ONNX.Tensor {
        var t = ONNX.Tensor()
        t.name = name
        t.dataType = dataType
        t.dims = shape.map { Int64($0) }
        func raw<T>(_ a: [T]) -> ByteBuffer { ByteBuffer(copyingElementsOf: a) }
        switch storage {
        case .float(let a): t.rawData = raw(a)
        case .double(let a): t.rawData = raw(a)
        case .float16(let a): t.rawData = raw(a.map(\.bitPattern))
        case .bfloat16(let a): t.rawData = raw(a.map(\.bits))
        case .int8(let a):
            if let bits = dataType.bitWidth, bits < 8 { t.rawData = ByteBuffer(Self.packBits(a.map { UInt8(bitPattern: $0) }, bits: bits)) } else { t.rawData = raw(a) }
        case .uint8(let a):
            if let bits = dataType.bitWidth, bits < 8 { t.rawData = ByteBuffer(Self.packBits(a, bits: bits)) } else { t.rawData = raw(a) }
        case .bits8(let a):
            if let bits = dataType.bitWidth, bits < 8 { t.rawData = ByteBuffer(Self.packBits(a, bits: bits)) } else { t.rawData = raw(a) }
        case .int16(let a): t.rawData = raw(a)
        case .int32(let a): t.rawData = raw(a)
        case .int64(let a): t.rawData = raw(a)
        case .uint16(let a): t.rawData = raw(a)
        case .uint32(let a): t.rawData = raw(a)
        case .uint64(let a): t.rawData = raw(a)
        case .bool(let a): t.rawData = raw(a.map { UInt8($0 ? 1 : 0) })
        case .complex64(let a): t.rawData = raw(a)
        case .complex128(let a): t.rawData = raw(a)
        case .string(let a): t.stringData = a.map { ByteBuffer(utf8: $0) }
        }
        return t
    }
}
