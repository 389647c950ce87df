import ONNX

/// A bfloat16 value: the top 16 bits of a float32.
public struct BFloat16: Hashable, Sendable {
    public var bits: UInt16
    public init(bits: UInt16) { self.bits = bits }
    /// Rounds to nearest even, as numpy's ml_dtypes and onnx do; NaN stays NaN.
    public init(_ f: Float) {
        if f.isNaN { bits = 0x7FC0; return }
        let u = f.bitPattern
        let rounded = u &+ 0x7FFF &+ ((u >> 16) & 1)
        bits = UInt16(truncatingIfNeeded: rounded >> 16)
    }
    public var float: Float { Float(bitPattern: UInt32(bits) << 16) }
}

/// The elements of a tensor, in row-major order, in the Swift type that holds its
/// ONNX element type exactly.
///
/// Sub-byte integers (int4, uint4, int2, uint2) are held unpacked, one per element, in
/// `int8`/`uint8`; the float8, float4 and float6 kinds keep their bit codes in `bits8`.
public enum TensorStorage: Sendable, Equatable {
    case float([Float])
    case double([Double])
    case float16([Float16])
    case bfloat16([BFloat16])
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
    case int64([Int64])
    case uint8([UInt8])
    case uint16([UInt16])
    case uint32([UInt32])
    case uint64([UInt64])
    case bool([Bool])
    case string([String])
    /// Real and imaginary parts interleaved.
    case complex64([Float])
    case complex128([Double])
    /// Bit codes of float8 / float4 / float6 elements.
    case bits8([UInt8])

    /// Number of stored scalars (complex values count twice).
    public var scalarCount: Int {
        switch self {
        case .float(let a): return a.count
        case .double(let a): return a.count
        case .float16(let a): return a.count
        case .bfloat16(let a): return a.count
        case .int8(let a): return a.count
        case .int16(let a): return a.count
        case .int32(let a): return a.count
        case .int64(let a): return a.count
        case .uint8(let a): return a.count
        case .uint16(let a): return a.count
        case .uint32(let a): return a.count
        case .uint64(let a): return a.count
        case .bool(let a): return a.count
        case .string(let a): return a.count
        case .complex64(let a): return a.count
        case .complex128(let a): return a.count
        case .bits8(let a): return a.count
        }
    }

    /// Applies a type-preserving rearrangement to the elements: `body` gets the array
    /// (as a generic collection of elements of one type) and returns the new one.
    /// `perElement` is 2 for complex storage, whose scalars come in pairs.
    public func rearranged(_ body: (RearrangeInput) -> [Int]) -> TensorStorage {
        func apply<T>(_ a: [T], _ pair: Bool) -> [T] {
            let idx = body(RearrangeInput(count: pair ? a.count / 2 : a.count))
            if pair {
                var out: [T] = []
                out.reserveCapacity(idx.count * 2)
                for i in idx { out.append(a[2 * i]); out.append(a[2 * i + 1]) }
                return out
            }
            return idx.map { a[$0] }
        }
        switch self {
        case .float(let a): return .float(apply(a, false))
        case .double(let a): return .double(apply(a, false))
        case .float16(let a): return .float16(apply(a, false))
        case .bfloat16(let a): return .bfloat16(apply(a, false))
        case .int8(let a): return .int8(apply(a, false))
        case .int16(let a): return .int16(apply(a, false))
        case .int32(let a): return .int32(apply(a, false))
        case .int64(let a): return .int64(apply(a, false))
        case .uint8(let a): return .uint8(apply(a, false))
        case .uint16(let a): return .uint16(apply(a, false))
        case .uint32(let a): return .uint32(apply(a, false))
        case .uint64(let a): return .uint64(apply(a, false))
        case .bool(let a): return .bool(apply(a, false))
        case .string(let a): return .string(apply(a, false))
        case .complex64(let a): return .complex64(apply(a, true))
        case .complex128(let a): return .complex128(apply(a, true))
        case .bits8(let a): return .bits8(apply(a, false))
        }
    }

    /// What `rearranged` tells its body: how many elements there are.
    public struct RearrangeInput { public let count: Int }

    /// The elements of several storages of the same case, one after the other; nil when
    /// the cases differ.
    public static func concatenated(_ parts: [TensorStorage]) -> TensorStorage? {
        guard let first = parts.first else { return nil }
        func join<T>(_ get: (TensorStorage) -> [T]?) -> [T]? {
            var out: [T] = []
            for p in parts { guard let a = get(p) else { return nil }; out.append(contentsOf: a) }
            return out
        }
        switch first {
        case .float: return join { if case .float(let a) = $0 { return a } else { return nil } }.map { .float($0) }
        case .double: return join { if case .double(let a) = $0 { return a } else { return nil } }.map { .double($0) }
        case .float16: return join { if case .float16(let a) = $0 { return a } else { return nil } }.map { .float16($0) }
        case .bfloat16: return join { if case .bfloat16(let a) = $0 { return a } else { return nil } }.map { .bfloat16($0) }
        case .int8: return join { if case .int8(let a) = $0 { return a } else { return nil } }.map { .int8($0) }
        case .int16: return join { if case .int16(let a) = $0 { return a } else { return nil } }.map { .int16($0) }
        case .int32: return join { if case .int32(let a) = $0 { return a } else { return nil } }.map { .int32($0) }
        case .int64: return join { if case .int64(let a) = $0 { return a } else { return nil } }.map { .int64($0) }
        case .uint8: return join { if case .uint8(let a) = $0 { return a } else { return nil } }.map { .uint8($0) }
        case .uint16: return join { if case .uint16(let a) = $0 { return a } else { return nil } }.map { .uint16($0) }
        case .uint32: return join { if case .uint32(let a) = $0 { return a } else { return nil } }.map { .uint32($0) }
        case .uint64: return join { if case .uint64(let a) = $0 { return a } else { return nil } }.map { .uint64($0) }
        case .bool: return join { if case .bool(let a) = $0 { return a } else { return nil } }.map { .bool($0) }
        case .string: return join { if case .string(let a) = $0 { return a } else { return nil } }.map { .string($0) }
        case .complex64: return join { if case .complex64(let a) = $0 { return a } else { return nil } }.map { .complex64($0) }
        case .complex128: return join { if case .complex128(let a) = $0 { return a } else { return nil } }.map { .complex128($0) }
        case .bits8: return join { if case .bits8(let a) = $0 { return a } else { return nil } }.map { .bits8($0) }
        }
    }

    /// Storage of `count` default elements (zero, false, empty string) for a type.
    public static func zeros(_ type: DataType, count: Int) throws -> TensorStorage {
        switch type {
        case .float: return .float(.init(repeating: 0, count: count))
        case .double: return .double(.init(repeating: 0, count: count))
        case .float16: return .float16(.init(repeating: 0, count: count))
        case .bfloat16: return .bfloat16(.init(repeating: BFloat16(bits: 0), count: count))
        case .int8, .int4, .int2: return .int8(.init(repeating: 0, count: count))
        case .int16: return .int16(.init(repeating: 0, count: count))
        case .int32: return .int32(.init(repeating: 0, count: count))
        case .int64: return .int64(.init(repeating: 0, count: count))
        case .uint8, .uint4, .uint2: return .uint8(.init(repeating: 0, count: count))
        case .uint16: return .uint16(.init(repeating: 0, count: count))
        case .uint32: return .uint32(.init(repeating: 0, count: count))
        case .uint64: return .uint64(.init(repeating: 0, count: count))
        case .bool: return .bool(.init(repeating: false, count: count))
        case .string: return .string(.init(repeating: "", count: count))
        case .complex64: return .complex64(.init(repeating: 0, count: 2 * count))
        case .complex128: return .complex128(.init(repeating: 0, count: 2 * count))
        case .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0, .float4e2m1, .float6e2m3, .float6e3m2:
            return .bits8(.init(repeating: 0, count: count))
        default: throw InterpreterError.unsupportedType(type, context: "tensor storage")
        }
    }
}

/// A tensor value: element type, shape and elements.
public struct TensorValue: Sendable, Equatable, CustomStringConvertible {
    public let dataType: DataType
    public let shape: [Int]
    public let storage: TensorStorage

    /// Makes a tensor; the element count must match the shape.
    public init(_ dataType: DataType, shape: [Int], storage: TensorStorage) throws {
        let n = shape.reduce(1, *)
        let per = (dataType == .complex64 || dataType == .complex128) ? 2 : 1
        guard shape.allSatisfy({ $0 >= 0 }), storage.scalarCount == n * per else {
            throw InterpreterError.shapeMismatch(node: "", message: "\(storage.scalarCount / per) elements do not fill shape \(shape)")
        }
        self.dataType = dataType
        self.shape = shape
        self.storage = storage
    }

    /// Makes a tensor without checking the element count (callers that computed it).
    public init(unchecked dataType: DataType, shape: [Int], storage: TensorStorage) {
        self.dataType = dataType
        self.shape = shape
        self.storage = storage
    }

    public init(floats: [Float], shape: [Int]) { self.init(unchecked: .float, shape: shape, storage: .float(floats)) }
    public init(doubles: [Double], shape: [Int]) { self.init(unchecked: .double, shape: shape, storage: .double(doubles)) }
    public init(int64s: [Int64], shape: [Int]) { self.init(unchecked: .int64, shape: shape, storage: .int64(int64s)) }
    public init(int32s: [Int32], shape: [Int]) { self.init(unchecked: .int32, shape: shape, storage: .int32(int32s)) }
    public init(bools: [Bool], shape: [Int]) { self.init(unchecked: .bool, shape: shape, storage: .bool(bools)) }
    public init(strings: [String], shape: [Int]) { self.init(unchecked: .string, shape: shape, storage: .string(strings)) }

    /// A tensor of zeros (false, "") of a type and shape.
    public static func zeros(_ type: DataType, shape: [Int]) throws -> TensorValue {
        TensorValue(unchecked: type, shape: shape, storage: try .zeros(type, count: shape.reduce(1, *)))
    }

    public var rank: Int { shape.count }
    public var count: Int { shape.reduce(1, *) }

    /// Row-major strides of the shape, in elements.
    public var strides: [Int] { TensorValue.strides(for: shape) }

    public static func strides(for shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= shape[i]
        }
        return s
    }

    /// The same elements under another shape of equal element count.
    public func reshaped(_ newShape: [Int]) throws -> TensorValue {
        guard newShape.reduce(1, *) == count else {
            throw InterpreterError.shapeMismatch(node: "", message: "cannot reshape \(shape) to \(newShape)")
        }
        return TensorValue(unchecked: dataType, shape: newShape, storage: storage)
    }

    /// Elements picked by flat index, as a tensor of `newShape`.
    public func gathered(_ indices: [Int], shape newShape: [Int]) -> TensorValue {
        TensorValue(unchecked: dataType, shape: newShape, storage: storage.rearranged { _ in indices })
    }

    public var description: String { "tensor(\(dataType)) \(shape)" }
}
