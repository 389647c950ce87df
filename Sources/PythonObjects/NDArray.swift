import Foundation

/// A numpy dtype: the kind, size and byte order of one element, or the fields of a
/// structured record (scikit-learn's tree nodes are such records).
public struct NumpyDType: Sendable, Equatable {
    /// How multi-byte elements are stored.
    public enum ByteOrder: Character, Sendable { case little = "<", big = ">", notApplicable = "|" }
    /// One field of a structured dtype.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var dtype: NumpyDType
        public var offset: Int
    }

    /// numpy's kind character: b (bool), i, u, f, c, S (bytes), U (str), V (void/record), O (object), M, m.
    public var kind: Character
    /// Bytes per element.
    public var itemSize: Int
    public var byteOrder: ByteOrder
    /// The fields of a structured dtype, in order.
    public var fields: [Field]?

    public init(kind: Character, itemSize: Int, byteOrder: ByteOrder, fields: [Field]? = nil) {
        self.kind = kind
        self.itemSize = itemSize
        self.byteOrder = byteOrder
        self.fields = fields
    }

    /// The dtype of a type string such as `f8`, `<i4`, `|b1`, `V56`, `O8`, `U3`.
    public init?(typeString s: String) {
        var chars = Substring(s)
        var order: ByteOrder = .little
        if let f = chars.first, "<>|=".contains(f) {
            order = f == ">" ? .big : (f == "|" ? .notApplicable : .little)
            chars = chars.dropFirst()
        }
        guard let k = chars.first else { return nil }
        let sizeText = chars.dropFirst()
        var size = Int(sizeText) ?? -1
        if sizeText.isEmpty {
            switch k { case "b", "?": size = 1; case "O": size = 8; default: return nil }
        }
        guard size >= 0, "biufcSUVOMm?".contains(k) else { return nil }
        let kind: Character = k == "?" ? "b" : k
        if kind == "U" {
            let (bytes, o) = size.multipliedReportingOverflow(by: 4)
            guard !o else { return nil }
            size = bytes
        }
        if size <= 1 || kind == "S" || kind == "V" || kind == "O" || kind == "b" { order = kind == "U" ? order : .notApplicable }
        self.init(kind: kind, itemSize: size, byteOrder: order)
    }

    /// numpy's description: `<f8`, or `[('a', '<i8'), ...]` for records.
    public var descr: String {
        if let fields { return "[" + fields.map { "('\($0.name)', '\($0.dtype.descr)')" }.joined(separator: ", ") + "]" }
        let size = kind == "U" ? itemSize / 4 : itemSize
        return "\(byteOrder.rawValue)\(kind)\(size)"
    }

    /// Whether elements are plain numbers (bool, int, uint, float).
    public var isNumeric: Bool { fields == nil && "biuf".contains(kind) }
}

/// A numpy array: dtype, shape, memory order and the raw element bytes (or, for object
/// arrays, the elements).
public struct NDArray: @unchecked Sendable {
    public var dtype: NumpyDType
    public var shape: [Int]
    /// Column-major (Fortran) storage.
    public var fortranOrder: Bool
    /// The elements' bytes in storage order (empty for object arrays).
    public var data: [UInt8]
    /// The elements of an object array, in storage order.
    public var objects: [PyValue]?

    public init(dtype: NumpyDType, shape: [Int], fortranOrder: Bool, data: [UInt8], objects: [PyValue]? = nil) {
        self.dtype = dtype
        self.shape = shape
        self.fortranOrder = fortranOrder
        self.data = data
        self.objects = objects
    }

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Storage position of each C-order (row-major) element.
    func storageOrder() -> [Int] {
        let n = count
        guard fortranOrder, shape.count > 1 else { return Array(0..<n) }
        var out = [Int](repeating: 0, count: n)
        // Fortran strides: first axis fastest.
        var fstride = [Int](repeating: 1, count: shape.count)
        for a in 1..<shape.count { fstride[a] = fstride[a - 1] * shape[a - 1] }
        var index = [Int](repeating: 0, count: shape.count)
        for c in 0..<n {
            var p = 0
            for a in 0..<shape.count { p += index[a] * fstride[a] }
            out[c] = p
            var a = shape.count - 1
            while a >= 0 { index[a] += 1; if index[a] < shape[a] { break }; index[a] = 0; a -= 1 }
        }
        return out
    }

    /// Element `i` (storage order) of a numeric array as float64 (NaN for widths numpy
    /// has no plain number of, such as `i16`).
    func element(_ i: Int) -> Double {
        let size = dtype.itemSize
        let base = i * size
        var raw: UInt64 = 0
        if dtype.byteOrder == .big {
            for k in 0..<size { raw = raw << 8 | UInt64(data[base + k]) }
        } else {
            for k in (0..<size).reversed() { raw = raw << 8 | UInt64(data[base + k]) }
        }
        switch (dtype.kind, size) {
        case ("f", 8): return Double(bitPattern: raw)
        case ("f", 4): return Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
        case ("f", 2): return Double(Float16Bits.toFloat(UInt16(truncatingIfNeeded: raw)))
        case ("b", _): return raw != 0 ? 1 : 0
        case ("u", _): return Double(raw)
        case ("i", let s) where s <= 8:
            let shift = UInt64(64 - 8 * s)
            return Double(Int64(bitPattern: raw << shift) >> Int64(shift))
        default: return .nan
        }
    }

    /// The elements in C (row-major) order as float64.
    /// - Throws: `PythonObjectsError.wrongType` for non-numeric dtypes.
    public func doubles(path: String = "array") throws -> [Double] {
        guard dtype.isNumeric else { throw PythonObjectsError.wrongType(path: path, expected: "a numeric array", found: "a \(dtype.descr) array") }
        guard data.count >= count * dtype.itemSize else { throw PythonObjectsError.invalidArray(path: path, reason: "\(data.count) bytes for \(count) elements of \(dtype.itemSize)") }
        return storageOrder().map { element($0) }
    }

    /// The elements in C order as Int64 (integer or bool dtypes; floats that are integers).
    /// - Throws: `PythonObjectsError.wrongType` otherwise.
    public func int64s(path: String = "array") throws -> [Int64] {
        let d = try doubles(path: path)
        var out: [Int64] = []
        out.reserveCapacity(d.count)
        for v in d {
            guard let i = Int64(exactly: v) else { throw PythonObjectsError.wrongType(path: path, expected: "integers", found: "\(v)") }
            out.append(i)
        }
        return out
    }

    /// Field `name` of a structured array, as a 1-d numeric array in C order.
    /// - Throws: when the dtype has no such field.
    public func field(_ name: String, path: String = "array") throws -> NDArray {
        guard let f = dtype.fields?.first(where: { $0.name == name }) else {
            throw PythonObjectsError.wrongType(path: path, expected: "a record array with field '\(name)'", found: "a \(dtype.descr) array")
        }
        let n = count, size = f.dtype.itemSize, stride = dtype.itemSize
        var out = [UInt8](repeating: 0, count: n * size)
        for (c, p) in storageOrder().enumerated() {
            let src = p * stride + f.offset
            guard src + size <= data.count else { throw PythonObjectsError.invalidArray(path: path, reason: "record \(p) runs past the data") }
            for k in 0..<size { out[c * size + k] = data[src + k] }
        }
        return NDArray(dtype: f.dtype, shape: [n], fortranOrder: false, data: out)
    }
}

/// IEEE half precision bits to float.
enum Float16Bits {
    static func toFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31, exp = Int((h >> 10) & 0x1F), frac = UInt32(h & 0x3FF)
        if exp == 0 { return (sign != 0 ? -1 : 1) * Float(frac) * 0x1p-24 }
        if exp == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (frac << 13)) }
        return Float(bitPattern: sign | UInt32(exp - 15 + 127) << 23 | (frac << 13))
    }
}
