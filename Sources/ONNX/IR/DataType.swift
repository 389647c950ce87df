/// An ONNX element type (`TensorProto.DataType`).
///
/// A struct rather than an enum so that a value this toolkit does not know yet (a newer
/// ONNX release) survives a decode/encode round trip unchanged.
public struct DataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let undefined = DataType(rawValue: 0)
    public static let float = DataType(rawValue: 1)
    public static let uint8 = DataType(rawValue: 2)
    public static let int8 = DataType(rawValue: 3)
    public static let uint16 = DataType(rawValue: 4)
    public static let int16 = DataType(rawValue: 5)
    public static let int32 = DataType(rawValue: 6)
    public static let int64 = DataType(rawValue: 7)
    public static let string = DataType(rawValue: 8)
    public static let bool = DataType(rawValue: 9)
    public static let float16 = DataType(rawValue: 10)
    public static let double = DataType(rawValue: 11)
    public static let uint32 = DataType(rawValue: 12)
    public static let uint64 = DataType(rawValue: 13)
    public static let complex64 = DataType(rawValue: 14)
    public static let complex128 = DataType(rawValue: 15)
    public static let bfloat16 = DataType(rawValue: 16)
    public static let float8e4m3fn = DataType(rawValue: 17)
    public static let float8e4m3fnuz = DataType(rawValue: 18)
    public static let float8e5m2 = DataType(rawValue: 19)
    public static let float8e5m2fnuz = DataType(rawValue: 20)
    public static let uint4 = DataType(rawValue: 21)
    public static let int4 = DataType(rawValue: 22)
    public static let float4e2m1 = DataType(rawValue: 23)
    public static let float8e8m0 = DataType(rawValue: 24)
    public static let uint2 = DataType(rawValue: 25)
    public static let int2 = DataType(rawValue: 26)
    public static let float6e2m3 = DataType(rawValue: 27)
    public static let float6e3m2 = DataType(rawValue: 28)

    /// Every element type the specification defines, in numeric order.
    public static let allKnown: [DataType] = (1...28).map { DataType(rawValue: $0) }

    private static let names: [Int32: String] = [
        0: "undefined", 1: "float32", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16",
        6: "int32", 7: "int64", 8: "string", 9: "bool", 10: "float16", 11: "float64",
        12: "uint32", 13: "uint64", 14: "complex64", 15: "complex128", 16: "bfloat16",
        17: "float8e4m3fn", 18: "float8e4m3fnuz", 19: "float8e5m2", 20: "float8e5m2fnuz",
        21: "uint4", 22: "int4", 23: "float4e2m1", 24: "float8e8m0", 25: "uint2", 26: "int2",
        27: "float6e2m3", 28: "float6e3m2",
    ]

    /// True for the element types the specification defines.
    public var isKnown: Bool { rawValue >= 1 && rawValue <= 28 }

    /// A short lowercase name (`float32`, `int64`, ...), or `type(N)` for unknown values.
    public var description: String { Self.names[rawValue] ?? "type(\(rawValue))" }

    /// Looks a type up by the names `description` gives, plus common aliases.
    public init?(name: String) {
        let aliases: [String: Int32] = ["float": 1, "double": 11, "half": 10, "f32": 1, "f64": 11]
        if let v = aliases[name.lowercased()] { self.init(rawValue: v); return }
        guard let v = Self.names.first(where: { $0.value == name.lowercased() })?.key, v != 0 else { return nil }
        self.init(rawValue: v)
    }

    /// Bits one element occupies in `raw_data`; nil for strings and unknown types.
    public var bitWidth: Int? {
        switch rawValue {
        case 1, 6, 12: return 32
        case 2, 3, 9, 17, 18, 19, 20, 24: return 8
        case 4, 5, 10, 16: return 16
        case 7, 11, 13, 14: return 64
        case 15: return 128
        case 21, 22, 23: return 4
        case 25, 26: return 2
        case 27, 28: return 6
        default: return nil
        }
    }

    /// Bytes `raw_data` must hold for `count` elements. Sub-byte types are packed:
    /// two 4-bit or four 2-bit elements per byte, four 6-bit elements in three bytes,
    /// rounding up. nil for strings, unknown types, or a count too large to hold.
    public func rawByteCount(elements count: Int) -> Int? {
        guard let bits = bitWidth, count >= 0 else { return nil }
        let (total, overflow) = count.multipliedReportingOverflow(by: bits)
        guard !overflow else { return nil }
        return (total + 7) / 8
    }

    /// Entries the typed field holds for `count` elements: complex types take two
    /// values per element; 4-bit types pack two and 2-bit types four elements into one
    /// int32_data entry. nil when the count is too large to hold.
    public func typedValueCount(elements count: Int) -> Int? {
        guard count >= 0 else { return nil }
        switch rawValue {
        case 14, 15: let (r, o) = count.multipliedReportingOverflow(by: 2); return o ? nil : r
        case 21, 22, 23: return (count + 1) / 2
        case 25, 26: return (count + 3) / 4
        default: return count
        }
    }

    /// The typed `TensorProto` field that holds this type's elements when raw_data is
    /// not used.
    public var typedField: TypedField? {
        switch rawValue {
        case 1, 14: return .floatData
        case 2, 3, 4, 5, 6, 9, 10, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28: return .int32Data
        case 7: return .int64Data
        case 8: return .stringData
        case 11, 15: return .doubleData
        case 12, 13: return .uint64Data
        default: return nil
        }
    }

    /// The typed storage fields of `TensorProto`.
    public enum TypedField: String, Sendable {
        case floatData = "float_data", int32Data = "int32_data", stringData = "string_data"
        case int64Data = "int64_data", doubleData = "double_data", uint64Data = "uint64_data"
    }

    /// Element types that are floating point (any width).
    public var isFloatingPoint: Bool {
        [1, 10, 11, 16, 17, 18, 19, 20, 23, 24, 27, 28].contains(rawValue)
    }

    /// Element types that are integers (signed or not), excluding bool.
    public var isInteger: Bool { [2, 3, 4, 5, 6, 7, 12, 13, 21, 22, 25, 26].contains(rawValue) }
}
