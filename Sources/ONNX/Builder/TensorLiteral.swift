/// A Swift number type that can be written as the elements of an ONNX tensor.
///
/// The builder stores such elements in `raw_data`, little-endian, as the ONNX
/// specification requires whatever the host byte order.
public protocol TensorLiteralElement {
    /// The ONNX element type that this Swift type is written as.
    static var onnxDataType: DataType { get }
    /// The elements as little-endian `raw_data` bytes.
    static func littleEndianBytes(of values: [Self]) -> ByteBuffer
}

/// Serializes fixed-width integers: a memory copy on little-endian hosts, a byte swap
/// per element elsewhere.
private func integerBytes<T: FixedWidthInteger>(_ values: [T]) -> ByteBuffer {
    #if _endian(little)
    return ByteBuffer(copyingElementsOf: values)
    #else
    return ByteBuffer(copyingElementsOf: values.map { $0.littleEndian })
    #endif
}

extension Float: TensorLiteralElement {
    /// `float32`.
    public static var onnxDataType: DataType { .float }
    /// IEEE-754 binary32, little-endian.
    public static func littleEndianBytes(of values: [Float]) -> ByteBuffer {
        #if _endian(little)
        return ByteBuffer(copyingElementsOf: values)
        #else
        return integerBytes(values.map(\.bitPattern))
        #endif
    }
}

extension Double: TensorLiteralElement {
    /// `float64`.
    public static var onnxDataType: DataType { .double }
    /// IEEE-754 binary64, little-endian.
    public static func littleEndianBytes(of values: [Double]) -> ByteBuffer {
        #if _endian(little)
        return ByteBuffer(copyingElementsOf: values)
        #else
        return integerBytes(values.map(\.bitPattern))
        #endif
    }
}

extension Int64: TensorLiteralElement {
    /// `int64`.
    public static var onnxDataType: DataType { .int64 }
    /// Two's complement, little-endian.
    public static func littleEndianBytes(of values: [Int64]) -> ByteBuffer { integerBytes(values) }
}

extension Int32: TensorLiteralElement {
    /// `int32`.
    public static var onnxDataType: DataType { .int32 }
    /// Two's complement, little-endian.
    public static func littleEndianBytes(of values: [Int32]) -> ByteBuffer { integerBytes(values) }
}

extension Int16: TensorLiteralElement {
    /// `int16`.
    public static var onnxDataType: DataType { .int16 }
    /// Two's complement, little-endian.
    public static func littleEndianBytes(of values: [Int16]) -> ByteBuffer { integerBytes(values) }
}

extension Int8: TensorLiteralElement {
    /// `int8`.
    public static var onnxDataType: DataType { .int8 }
    /// One byte per element.
    public static func littleEndianBytes(of values: [Int8]) -> ByteBuffer { integerBytes(values) }
}

extension UInt64: TensorLiteralElement {
    /// `uint64`.
    public static var onnxDataType: DataType { .uint64 }
    /// Little-endian.
    public static func littleEndianBytes(of values: [UInt64]) -> ByteBuffer { integerBytes(values) }
}

extension UInt32: TensorLiteralElement {
    /// `uint32`.
    public static var onnxDataType: DataType { .uint32 }
    /// Little-endian.
    public static func littleEndianBytes(of values: [UInt32]) -> ByteBuffer { integerBytes(values) }
}

extension UInt16: TensorLiteralElement {
    /// `uint16`.
    public static var onnxDataType: DataType { .uint16 }
    /// Little-endian.
    public static func littleEndianBytes(of values: [UInt16]) -> ByteBuffer { integerBytes(values) }
}

extension UInt8: TensorLiteralElement {
    /// `uint8`.
    public static var onnxDataType: DataType { .uint8 }
    /// One byte per element.
    public static func littleEndianBytes(of values: [UInt8]) -> ByteBuffer { ByteBuffer(values) }
}

extension Bool: TensorLiteralElement {
    /// `bool`.
    public static var onnxDataType: DataType { .bool }
    /// One byte per element: 1 for true, 0 for false.
    public static func littleEndianBytes(of values: [Bool]) -> ByteBuffer { ByteBuffer(values.map { $0 ? UInt8(1) : 0 }) }
}

extension GraphBuilder {
    /// A tensor holding `values` in `raw_data` (little-endian).
    ///
    /// - Parameters:
    ///   - values: the elements in row-major order.
    ///   - shape: the dims; nil means one dimension of `values.count`; `[]` is a scalar.
    ///   - name: the tensor's name (attribute tensors usually have none).
    /// - Throws: `GraphBuilderError.tensorShapeMismatch` when the dims do not hold
    ///   exactly `values.count` elements.
    public static func makeTensor<T: TensorLiteralElement>(_ values: [T], shape: [Int64]? = nil, name: String? = nil) throws -> Tensor {
        let dims = shape ?? [Int64(values.count)]
        try checkElementCount(values.count, dims: dims, name: name)
        return Tensor(name: name, dataType: T.onnxDataType, dims: dims, rawData: T.littleEndianBytes(of: values))
    }

    /// A string tensor (elements in `string_data`, UTF-8; strings cannot use `raw_data`).
    ///
    /// - Throws: `GraphBuilderError.tensorShapeMismatch` as for numeric tensors.
    public static func makeTensor(strings values: [String], shape: [Int64]? = nil, name: String? = nil) throws -> Tensor {
        let dims = shape ?? [Int64(values.count)]
        try checkElementCount(values.count, dims: dims, name: name)
        var t = Tensor()
        t.name = name
        t.dataType = .string
        t.dims = dims
        t.stringData = values.map { ByteBuffer(utf8: $0) }
        return t
    }

    static func checkElementCount(_ count: Int, dims: [Int64], name: String?) throws {
        var probe = Tensor()
        probe.dims = dims
        guard let n = probe.elementCount, n == count else {
            throw GraphBuilderError.tensorShapeMismatch(name: name, elementCount: count, dims: dims)
        }
    }
}

/// Reads the elements of small constant tensors (shapes, axes, indices) that shape
/// inference needs. Only integer types; nil for anything it cannot read exactly.
enum ConstantReader {
    static func int64s(_ t: Tensor) -> [Int64]? {
        guard !t.isExternal, let n = t.elementCount else { return nil }
        switch t.dataType {
        case .int64?:
            if let raw = t.rawData {
                guard raw.count == n * 8 else { return nil }
                return decode(raw, width: 8, count: n)
            }
            return t.int64Data.count == n ? t.int64Data : nil
        case .int32?:
            if let raw = t.rawData {
                guard raw.count == n * 4 else { return nil }
                return decode(raw, width: 4, count: n)
            }
            return t.int32Data.count == n ? t.int32Data.map(Int64.init) : nil
        default:
            return nil
        }
    }

    /// Little-endian signed integers of `width` bytes.
    private static func decode(_ raw: ByteBuffer, width: Int, count: Int) -> [Int64] {
        raw.withUnsafeBytes { p in
            (0..<count).map { i in
                var u: UInt64 = 0
                for b in 0..<width { u |= UInt64(p[i * width + b]) << (8 * UInt64(b)) }
                if width == 4 { return Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: u))) }
                return Int64(bitPattern: u)
            }
        }
    }
}
