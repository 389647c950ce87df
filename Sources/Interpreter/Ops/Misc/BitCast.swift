import ONNX

/// BitCast: reinterprets each element's bits as the `to` type of the same bit width
/// (so the shape is unchanged). Strings cannot be bit-cast.
struct BitCast: Operator {
    static let opType = "BitCast"
    static let sinceVersions: [Int64] = [26]
    let to: DataType
    init(_ c: OpContext) throws {
        to = try MiscSupport.dataType(try c.int("to"), "to", c)
        guard to != .string else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "to", message: "cannot bit-cast to string")
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.dataType != .string else { throw InterpreterError.unsupportedType(.string, context: "\(context.nodeName) BitCast input") }
        guard let wIn = x.dataType.bitWidth, let wOut = to.bitWidth, wIn == wOut else {
            throw context.invalid("cannot bit-cast \(x.dataType) (\(x.dataType.bitWidth ?? 0) bits) to \(to) (\(to.bitWidth ?? 0) bits)")
        }
        if x.dataType == to { return [.tensor(x)] }
        let bits = try Self.patterns(x)
        return [.tensor(try Self.tensor(bits, to, shape: x.shape))]
    }

    /// Each element's bit pattern, in the low bits of a UInt64.
    static func patterns(_ x: TensorValue) throws -> [UInt64] {
        switch x.storage {
        case .float(let a): return a.map { UInt64($0.bitPattern) }
        case .double(let a): return a.map { $0.bitPattern }
        case .float16(let a): return a.map { UInt64($0.bitPattern) }
        case .bfloat16(let a): return a.map { UInt64($0.bits) }
        case .int8(let a):
            let mask: UInt8 = x.dataType == .int4 ? 0x0F : x.dataType == .int2 ? 0x03 : 0xFF
            return a.map { UInt64(UInt8(bitPattern: $0) & mask) }
        case .int16(let a): return a.map { UInt64(UInt16(bitPattern: $0)) }
        case .int32(let a): return a.map { UInt64(UInt32(bitPattern: $0)) }
        case .int64(let a): return a.map { UInt64(bitPattern: $0) }
        case .uint8(let a):
            let mask: UInt8 = x.dataType == .uint4 ? 0x0F : x.dataType == .uint2 ? 0x03 : 0xFF
            return a.map { UInt64($0 & mask) }
        case .uint16(let a): return a.map { UInt64($0) }
        case .uint32(let a): return a.map { UInt64($0) }
        case .uint64(let a): return a
        case .bool(let a): return a.map { $0 ? 1 : 0 }
        case .bits8(let a): return a.map { UInt64($0) }
        case .complex64(let a):
            // Real part in the low word, as the little-endian memory layout has it.
            return stride(from: 0, to: a.count, by: 2).map { UInt64(a[$0].bitPattern) | UInt64(a[$0 + 1].bitPattern) << 32 }
        case .string, .complex128:
            throw InterpreterError.unsupportedType(x.dataType, context: "BitCast input")
        }
    }

    /// A tensor of `type` whose elements have the given bit patterns.
    static func tensor(_ p: [UInt64], _ type: DataType, shape: [Int]) throws -> TensorValue {
        let s: TensorStorage
        switch type {
        case .float: s = .float(p.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) })
        case .double: s = .double(p.map { Double(bitPattern: $0) })
        case .float16: s = .float16(p.map { Float16(bitPattern: UInt16(truncatingIfNeeded: $0)) })
        case .bfloat16: s = .bfloat16(p.map { BFloat16(bits: UInt16(truncatingIfNeeded: $0)) })
        case .int8: s = .int8(p.map { Int8(truncatingIfNeeded: $0) })
        case .int4: s = .int8(p.map { Int8(truncatingIfNeeded: (Int64(bitPattern: $0) << 60) >> 60) })
        case .int2: s = .int8(p.map { Int8(truncatingIfNeeded: (Int64(bitPattern: $0) << 62) >> 62) })
        case .int16: s = .int16(p.map { Int16(truncatingIfNeeded: $0) })
        case .int32: s = .int32(p.map { Int32(truncatingIfNeeded: $0) })
        case .int64: s = .int64(p.map { Int64(bitPattern: $0) })
        case .uint8: s = .uint8(p.map { UInt8(truncatingIfNeeded: $0) })
        case .uint4: s = .uint8(p.map { UInt8(truncatingIfNeeded: $0) & 0x0F })
        case .uint2: s = .uint8(p.map { UInt8(truncatingIfNeeded: $0) & 0x03 })
        case .uint16: s = .uint16(p.map { UInt16(truncatingIfNeeded: $0) })
        case .uint32: s = .uint32(p.map { UInt32(truncatingIfNeeded: $0) })
        case .uint64: s = .uint64(p)
        case .bool: s = .bool(p.map { $0 != 0 })
        case .complex64:
            var a: [Float] = []
            a.reserveCapacity(2 * p.count)
            for v in p {
                a.append(Float(bitPattern: UInt32(truncatingIfNeeded: v)))
                a.append(Float(bitPattern: UInt32(truncatingIfNeeded: v >> 32)))
            }
            s = .complex64(a)
        case .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0:
            s = .bits8(p.map { UInt8(truncatingIfNeeded: $0) })
        case .float4e2m1: s = .bits8(p.map { UInt8(truncatingIfNeeded: $0) & 0x0F })
        case .float6e2m3, .float6e3m2: s = .bits8(p.map { UInt8(truncatingIfNeeded: $0) & 0x3F })
        default: throw InterpreterError.unsupportedType(type, context: "BitCast output")
        }
        return TensorValue(unchecked: type, shape: shape, storage: s)
    }
}
