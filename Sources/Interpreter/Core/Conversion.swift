import ONNX

/// Reading a tensor's elements as one of the compute types, and building a tensor of
/// any element type from compute values. Ops that do arithmetic use these, so each op
/// is written once per compute type (Float, Double, Int64, Bool) rather than once per
/// ONNX element type.
extension TensorValue {
    /// Elements as Float. Integers and bools convert; complex and strings throw.
    public func floats() throws -> [Float] {
        switch storage {
        case .float(let a): return a
        case .double(let a): return a.map { Float($0) }
        case .float16(let a): return a.map { Float($0) }
        case .bfloat16(let a): return a.map(\.float)
        case .int8(let a): return a.map { Float($0) }
        case .int16(let a): return a.map { Float($0) }
        case .int32(let a): return a.map { Float($0) }
        case .int64(let a): return a.map { Float($0) }
        case .uint8(let a): return a.map { Float($0) }
        case .uint16(let a): return a.map { Float($0) }
        case .uint32(let a): return a.map { Float($0) }
        case .uint64(let a): return a.map { Float($0) }
        case .bool(let a): return a.map { $0 ? 1 : 0 }
        case .bits8(let a):
            if dataType == .float8e8m0 { return a.map(E8M0.decode) }
            guard let f = MiniFloatFormat.format(for: dataType) else { throw InterpreterError.unsupportedType(dataType, context: "reading as float") }
            return a.map(f.decode)
        case .string, .complex64, .complex128:
            throw InterpreterError.unsupportedType(dataType, context: "reading as float")
        }
    }

    /// Elements as Double (exact for every integer up to 2^53 and every float type).
    public func doubles() throws -> [Double] {
        switch storage {
        case .double(let a): return a
        case .int64(let a): return a.map { Double($0) }
        case .uint64(let a): return a.map { Double($0) }
        case .int32(let a): return a.map { Double($0) }
        case .uint32(let a): return a.map { Double($0) }
        default: return try floats().map { Double($0) }
        }
    }

    /// Elements as Int64: floats truncate toward zero (NaN and out-of-range give
    /// Int64.min, as C casts commonly do); uint64 keeps its bit pattern.
    public func int64s() throws -> [Int64] {
        func trunc<F: BinaryFloatingPoint>(_ v: F) -> Int64 {
            guard v.isFinite, v > -9.3e18, v < 9.3e18 else { return Int64.min }
            return Int64(v)
        }
        switch storage {
        case .int64(let a): return a
        case .int8(let a): return a.map { Int64($0) }
        case .int16(let a): return a.map { Int64($0) }
        case .int32(let a): return a.map { Int64($0) }
        case .uint8(let a): return a.map { Int64($0) }
        case .uint16(let a): return a.map { Int64($0) }
        case .uint32(let a): return a.map { Int64($0) }
        case .uint64(let a): return a.map { Int64(bitPattern: $0) }
        case .bool(let a): return a.map { $0 ? 1 : 0 }
        case .double(let a): return a.map(trunc)
        default: return try floats().map(trunc)
        }
    }

    /// Elements as Bool (non-zero is true).
    public func bools() throws -> [Bool] {
        switch storage {
        case .bool(let a): return a
        case .string: throw InterpreterError.unsupportedType(dataType, context: "reading as bool")
        case .double(let a): return a.map { $0 != 0 }
        case .int64(let a): return a.map { $0 != 0 }
        default: return try floats().map { $0 != 0 }
        }
    }

    /// Elements as strings (string tensors only).
    public func strings() throws -> [String] {
        guard case .string(let a) = storage else { throw InterpreterError.unsupportedType(dataType, context: "reading as string") }
        return a
    }

    /// Integer-valued elements as Int (shape inputs, indices, axes).
    public func ints() throws -> [Int] {
        try int64s().map { Int(truncatingIfNeeded: $0) }
    }

    /// Builds a tensor of `type` from Double values: rounding to nearest for narrower
    /// floats, truncation toward zero then wrapping for integers (C semantics), and
    /// `saturate` for the float8 kinds (Cast's default).
    public static func converting(_ v: [Double], to type: DataType, shape: [Int], saturate: Bool = true) throws -> TensorValue {
        func wrap<I: FixedWidthInteger>(_ x: Double) -> I {
            guard x.isFinite else { return I(truncatingIfNeeded: Int64.min) }
            let t = x.rounded(.towardZero)
            if t >= -9.2e18 && t <= 9.2e18 { return I(truncatingIfNeeded: Int64(t)) }
            if I.self == UInt64.self, t >= 0, t < 1.8446744073709552e19 { return I(truncatingIfNeeded: UInt64(t)) }
            return I(truncatingIfNeeded: Int64.min)
        }
        let s: TensorStorage
        switch type {
        case .double: s = .double(v)
        case .int64: s = .int64(v.map(wrap))
        case .uint64: s = .uint64(v.map(wrap))
        case .int32: s = .int32(v.map(wrap))
        case .uint32: s = .uint32(v.map(wrap))
        case .bool: s = .bool(v.map { $0 != 0 })
        default: return try converting(v.map { Float($0) }, to: type, shape: shape, saturate: saturate)
        }
        return TensorValue(unchecked: type, shape: shape, storage: s)
    }

    /// Builds a tensor of `type` from Float values (see `converting(_:[Double]...)`).
    public static func converting(_ v: [Float], to type: DataType, shape: [Int], saturate: Bool = true) throws -> TensorValue {
        func wrap<I: FixedWidthInteger>(_ x: Float) -> I {
            guard x.isFinite else { return I(truncatingIfNeeded: Int64.min) }
            let t = x.rounded(.towardZero)
            if t >= -9.2e18 && t <= 9.2e18 { return I(truncatingIfNeeded: Int64(t)) }
            return I(truncatingIfNeeded: Int64.min)
        }
        // Sub-byte integers truncate toward zero, then wrap (Cast's semantics).
        func sub(_ x: Float, bits: Int, signed: Bool) -> Int64 { Self.wrapSubByte(x.isFinite ? Int64(x.rounded(.towardZero).clamped(-9e18, 9e18)) : 0, bits: bits, signed: signed) }
        let s: TensorStorage
        switch type {
        case .float: s = .float(v)
        case .double: s = .double(v.map { Double($0) })
        case .float16: s = .float16(v.map { Float16($0) })
        case .bfloat16: s = .bfloat16(v.map { BFloat16($0) })
        case .int8: s = .int8(v.map(wrap))
        case .int16: s = .int16(v.map(wrap))
        case .int32: s = .int32(v.map(wrap))
        case .int64: s = .int64(v.map(wrap))
        case .uint8: s = .uint8(v.map(wrap))
        case .uint16: s = .uint16(v.map(wrap))
        case .uint32: s = .uint32(v.map(wrap))
        case .uint64: s = .uint64(v.map(wrap))
        case .bool: s = .bool(v.map { $0 != 0 })
        case .int4: s = .int8(v.map { Int8(sub($0, bits: 4, signed: true)) })
        case .uint4: s = .uint8(v.map { UInt8(sub($0, bits: 4, signed: false)) })
        case .int2: s = .int8(v.map { Int8(sub($0, bits: 2, signed: true)) })
        case .uint2: s = .uint8(v.map { UInt8(sub($0, bits: 2, signed: false)) })
        case .float8e8m0: s = .bits8(v.map { E8M0.encode($0, saturate: saturate) })
        default:
            guard let f = MiniFloatFormat.format(for: type) else { throw InterpreterError.unsupportedType(type, context: "conversion") }
            let encoder = MiniFloatEncoding.Encoder(f, saturate: saturate)
            s = .bits8(v.map { encoder($0) })
        }
        return TensorValue(unchecked: type, shape: shape, storage: s)
    }

    /// Builds a tensor of an integer or bool `type` from Int64 values (wrapping).
    public static func converting(_ v: [Int64], to type: DataType, shape: [Int]) throws -> TensorValue {
        let s: TensorStorage
        switch type {
        case .int64: s = .int64(v)
        case .int32: s = .int32(v.map { Int32(truncatingIfNeeded: $0) })
        case .int16: s = .int16(v.map { Int16(truncatingIfNeeded: $0) })
        case .int8: s = .int8(v.map { Int8(truncatingIfNeeded: $0) })
        case .uint64: s = .uint64(v.map { UInt64(bitPattern: $0) })
        case .uint32: s = .uint32(v.map { UInt32(truncatingIfNeeded: $0) })
        case .uint16: s = .uint16(v.map { UInt16(truncatingIfNeeded: $0) })
        case .uint8: s = .uint8(v.map { UInt8(truncatingIfNeeded: $0) })
        case .bool: s = .bool(v.map { $0 != 0 })
        case .int4: s = .int8(v.map { Int8(Self.wrapSubByte($0, bits: 4, signed: true)) })
        case .uint4: s = .uint8(v.map { UInt8(Self.wrapSubByte($0, bits: 4, signed: false)) })
        case .int2: s = .int8(v.map { Int8(Self.wrapSubByte($0, bits: 2, signed: true)) })
        case .uint2: s = .uint8(v.map { UInt8(Self.wrapSubByte($0, bits: 2, signed: false)) })
        case .double: s = .double(v.map { Double($0) })
        default: return try converting(v.map { Float($0) }, to: type, shape: shape)
        }
        return TensorValue(unchecked: type, shape: shape, storage: s)
    }

    /// The low `bits` bits of `v`, sign-extended when `signed` (9 -> -7 for int4).
    static func wrapSubByte(_ v: Int64, bits: Int, signed: Bool) -> Int64 {
        let mask = Int64((1 << bits) - 1)
        let low = v & mask
        return signed && low >= Int64(1 << (bits - 1)) ? low - Int64(1 << bits) : low
    }

    /// Builds a bool tensor.
    public static func converting(_ v: [Bool], to type: DataType, shape: [Int]) throws -> TensorValue {
        if type == .bool { return TensorValue(unchecked: .bool, shape: shape, storage: .bool(v)) }
        return try converting(v.map { Int64($0 ? 1 : 0) }, to: type, shape: shape)
    }
}

extension Float {
    fileprivate func clamped(_ lo: Float, _ hi: Float) -> Float { Swift.min(Swift.max(self, lo), hi) }
}
