import Foundation
import ONNX

/// numpy's `.npy` format (versions 1-3): the inputs and outputs of `convert-cli run`.
public enum NPYFile {
    /// Parses `.npy` bytes; `source` names the file in errors.
    public static func decode(_ bytes: [UInt8], source: String) throws -> TensorValue {
        try bytes.withUnsafeBytes { try decode(raw: $0, source: source) }
    }

    /// Parses `.npy` bytes in place: the elements are copied once, straight into the
    /// tensor's array (a 12 MB input used to pass through four copies on the way).
    static func decode(raw bytes: UnsafeRawBufferPointer, source: String) throws -> TensorValue {
        func bad(_ m: String) -> InterpreterError { .badData(source: source, message: m) }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw bad("not a .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        var headerLength: Int
        var start: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        } else if major == 2 || major == 3 {
            guard bytes.count >= 12 else { throw bad("truncated header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            start = 12
        } else {
            throw bad(".npy version \(major) is not supported (1-3 are)")
        }
        guard headerLength >= 0, start + headerLength <= bytes.count else { throw bad("header length \(headerLength) runs past the end") }
        let header = String(decoding: bytes[start..<(start + headerLength)], as: UTF8.self)
        let body = UnsafeRawBufferPointer(rebasing: bytes[(start + headerLength)...])
        guard let descr = field(header, "descr"), let shapeText = field(header, "shape") else {
            throw bad("header lacks 'descr' or 'shape': \(header)")
        }
        let fortran = field(header, "fortran_order") == "True"
        let shape = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() ")).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var dims: [Int] = []
        for s in shape {
            guard let d = Int(s), d >= 0 else { throw bad("shape \(shapeText) is not a tuple of sizes") }
            dims.append(d)
        }
        let (n, overflow) = dims.reduce((1, false)) { acc, d in
            let (r, o) = acc.0.multipliedReportingOverflow(by: d)
            return (r, acc.1 || o)
        }
        guard !overflow else { throw bad("shape \(dims) is too large") }
        let d = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
        guard let kind = d.dropFirst().first, let size = Int(d.dropFirst(2)), size >= 1 else { throw bad("dtype '\(d)' is not understood") }
        if d.first == ">" && size > 1 { throw bad("big-endian arrays are not supported") }
        // 'U' counts UTF-32 characters, every other kind bytes.
        let (itemBytes, wide) = kind == "U" ? size.multipliedReportingOverflow(by: 4) : (size, false)
        guard !wide else { throw bad("dtype '\(d)' is too large") }
        let (need, tooBig) = n.multipliedReportingOverflow(by: itemBytes)
        guard !tooBig else { throw bad("shape \(dims) is too large") }
        guard body.count >= need else { throw bad("\(n) elements of \(d) need \(need) bytes; the file has \(body.count)") }
        let raw = Elements(bytes: UnsafeRawBufferPointer(rebasing: body.prefix(need)))
        let storage: TensorStorage
        let type: DataType
        switch (kind, size) {
        case ("f", 4): type = .float; storage = .float(raw.loadArray(as: Float.self))
        case ("f", 8): type = .double; storage = .double(raw.loadArray(as: Double.self))
        case ("f", 2): type = .float16; storage = .float16(raw.loadArray(as: UInt16.self).map { Float16(bitPattern: $0) })
        case ("i", 1): type = .int8; storage = .int8(raw.loadArray(as: Int8.self))
        case ("i", 2): type = .int16; storage = .int16(raw.loadArray(as: Int16.self))
        case ("i", 4): type = .int32; storage = .int32(raw.loadArray(as: Int32.self))
        case ("i", 8): type = .int64; storage = .int64(raw.loadArray(as: Int64.self))
        case ("u", 1): type = .uint8; storage = .uint8(raw.loadArray(as: UInt8.self))
        case ("u", 2): type = .uint16; storage = .uint16(raw.loadArray(as: UInt16.self))
        case ("u", 4): type = .uint32; storage = .uint32(raw.loadArray(as: UInt32.self))
        case ("u", 8): type = .uint64; storage = .uint64(raw.loadArray(as: UInt64.self))
        case ("b", 1): type = .bool; storage = .bool(raw.loadArray(as: UInt8.self).map { $0 != 0 })
        case ("U", _):
            type = .string
            let scalars = raw.loadArray(as: UInt32.self)
            storage = .string((0..<n).map { i in
                String(String.UnicodeScalarView(scalars[(i * size)..<((i + 1) * size)].prefix { $0 != 0 }.compactMap(Unicode.Scalar.init)))
            })
        case ("S", _):
            type = .string
            storage = .string((0..<n).map { i in String(decoding: body[(i * size)..<((i + 1) * size)].prefix { $0 != 0 }, as: UTF8.self) })
        default:
            throw bad("dtype '\(d)' is not supported")
        }
        let t = TensorValue(unchecked: type, shape: dims, storage: storage)
        return fortran && dims.count > 1 ? fromFortran(t) : t
    }

    /// Reads a `.npy` file.
    public static func read(_ url: URL) throws -> TensorValue {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InterpreterError.badData(source: url.path, message: "cannot read the file")
        }
        return try data.withUnsafeBytes { try decode(raw: $0, source: url.path) }
    }

    /// The element bytes of a body, copied out as an array of one type.
    struct Elements {
        let bytes: UnsafeRawBufferPointer
        func loadArray<T>(as type: T.Type) -> [T] {
            let n = bytes.count / MemoryLayout<T>.stride
            return [T](unsafeUninitializedCapacity: n) { dst, initialized in
                if n > 0, let d = dst.baseAddress, let s = bytes.baseAddress {
                    UnsafeMutableRawPointer(d).copyMemory(from: s, byteCount: n * MemoryLayout<T>.stride)
                }
                initialized = n
            }
        }
    }

    /// `.npy` (version 1) bytes of a tensor of a numeric, bool or string type.
    public static func encode(_ t: TensorValue) throws -> [UInt8] {
        var body: [UInt8]
        let descr: String
        func raw<T>(_ a: [T]) -> [UInt8] { a.withUnsafeBytes { Array($0) } }
        switch t.storage {
        case .float(let a): descr = "<f4"; body = raw(a)
        case .double(let a): descr = "<f8"; body = raw(a)
        case .float16(let a): descr = "<f2"; body = raw(a.map(\.bitPattern))
        case .int8(let a): descr = "|i1"; body = raw(a)
        case .int16(let a): descr = "<i2"; body = raw(a)
        case .int32(let a): descr = "<i4"; body = raw(a)
        case .int64(let a): descr = "<i8"; body = raw(a)
        case .uint8(let a): descr = "|u1"; body = raw(a)
        case .uint16(let a): descr = "<u2"; body = raw(a)
        case .uint32(let a): descr = "<u4"; body = raw(a)
        case .uint64(let a): descr = "<u8"; body = raw(a)
        case .bool(let a): descr = "|b1"; body = a.map { $0 ? 1 : 0 }
        case .string(let a):
            let width = max(1, a.map { $0.unicodeScalars.count }.max() ?? 1)
            descr = "<U\(width)"
            var scalars: [UInt32] = []
            for s in a {
                let u = s.unicodeScalars.map(\.value)
                scalars += u + [UInt32](repeating: 0, count: width - u.count)
            }
            body = raw(scalars)
        case .bfloat16, .complex64, .complex128, .bits8:
            throw InterpreterError.unsupportedType(t.dataType, context: "writing .npy")
        }
        let shape = t.shape.count == 1 ? "(\(t.shape[0]),)" : "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        let pad = 64 - (10 + header.utf8.count + 1) % 64
        header += String(repeating: " ", count: pad % 64) + "\n"
        let len = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(len & 0xFF), UInt8(len >> 8)] + Array(header.utf8) + body
    }

    static func field(_ header: String, _ key: String) -> String? {
        guard let r = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
        var rest = header[r.upperBound...].drop { $0 == " " || $0 == ":" }
        if rest.first == "(" {
            guard let end = rest.firstIndex(of: ")") else { return nil }
            return String(rest[...end])
        }
        rest = rest.prefix { $0 != "," && $0 != "}" }
        return rest.trimmingCharacters(in: .whitespaces)
    }

    /// Column-major elements to row-major.
    static func fromFortran(_ t: TensorValue) -> TensorValue {
        let rank = t.rank
        var fStrides = [Int](repeating: 1, count: rank)
        for i in 1..<rank { fStrides[i] = fStrides[i - 1] * t.shape[i - 1] }
        var idx = [Int](repeating: 0, count: rank)
        var map = [Int](repeating: 0, count: t.count)
        for k in 0..<t.count {
            var src = 0
            for d in 0..<rank { src += idx[d] * fStrides[d] }
            map[k] = src
            var d = rank - 1
            while d >= 0 { idx[d] += 1; if idx[d] < t.shape[d] { break }; idx[d] = 0; d -= 1 }
        }
        return t.gathered(map, shape: t.shape)
    }
}

/// Rows of numbers separated by commas: a float32 [rows, columns] tensor (empty
/// fields and `nan` are NaN; a first line that is not numeric is a header).
public enum CSVFile {
    public static func read(_ url: URL) throws -> TensorValue {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InterpreterError.badData(source: url.path, message: "cannot read the file")
        }
        var rows: [[Float]] = []
        for (lineNumber, line) in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            var row: [Float] = []
            for f in fields {
                if f.isEmpty || f.lowercased() == "nan" { row.append(.nan); continue }
                guard let v = Float(f) else {
                    if lineNumber == 0 && rows.isEmpty { row = []; break }
                    throw InterpreterError.badData(source: url.path, message: "line \(lineNumber + 1): '\(f)' is not a number")
                }
                row.append(v)
            }
            if row.isEmpty { continue }
            if let first = rows.first, first.count != row.count {
                throw InterpreterError.badData(source: url.path, message: "line \(lineNumber + 1) has \(row.count) fields; the first row has \(first.count)")
            }
            rows.append(row)
        }
        return TensorValue(floats: rows.flatMap { $0 }, shape: [rows.count, rows.first?.count ?? 0])
    }
}
