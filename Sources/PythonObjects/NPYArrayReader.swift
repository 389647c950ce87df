import ReaderLimits

/// Reads numpy's `.npy` format (versions 1-3) into an `NDArray`, structured dtypes
/// included: the header is a Python dict literal (`{'descr': ..., 'fortran_order': ...,
/// 'shape': (...), }`), parsed here as data. The header is bounded by `maxStringBytes`
/// and its nesting by `maxDepth`; the array's bytes must be the file's.
public enum NPYArrayReader {
    /// The array in `bytes`; `name` names it in errors.
    /// - Throws: `PythonObjectsError.invalidArray`, `ReaderLimitBreach`.
    public static func read(_ bytes: [UInt8], name: String, limits: ReaderLimits = .default) throws -> NDArray {
        func bad(_ r: String) -> PythonObjectsError { .invalidArray(path: name, reason: r) }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else { throw bad("not a .npy file") }
        let major = bytes[6]
        let lengthSize = major == 1 ? 2 : 4
        guard major >= 1, major <= 3, bytes.count >= 8 + lengthSize else { throw bad(".npy version \(major) is not 1, 2 or 3") }
        var headerLength = 0
        for k in 0..<lengthSize { headerLength |= Int(bytes[8 + k]) << (8 * k) }
        let start = 8 + lengthSize
        try limits.checkString(headerLength, at: "\(name), byte 8", detail: "the .npy header")
        guard headerLength <= bytes.count - start else { throw bad("the header runs past the end of the file") }
        let text = String(decoding: bytes[start..<(start + headerLength)], as: UTF8.self)
        guard case .dict(let header) = try PythonLiteral.parse(text, limits: limits) else { throw bad("the header is not a dict") }
        guard let descr = header["descr"] else { throw bad("the header has no descr") }
        let dtype = try Self.dtype(descr, name: name)
        var fortran = false
        if case .bool(let f)? = header["fortran_order"] { fortran = f }
        guard let shapeValue = header["shape"], let shape = SafeConstructors.ints(shapeValue) else { throw bad("the header has no shape") }
        let data = Array(bytes[(start + headerLength)...])
        if dtype.kind == "O" { throw bad("object arrays in .npy files hold pickles; they are not read") }
        return try SafeConstructors.makeArray(dtype, shape, fortran, data, path: name, offset: start + headerLength)
    }

    /// A dtype from a .npy descr: a type string, or a list of (name, descr[, shape]).
    static func dtype(_ v: PyValue, name: String) throws -> NumpyDType {
        if case .string(let s) = v {
            guard let d = NumpyDType(typeString: s) else { throw PythonObjectsError.invalidArray(path: name, reason: "dtype '\(s)' is not known") }
            return d
        }
        let items: [PyValue]
        switch v {
        case .list(let l): items = l.items
        case .tuple(let t): items = t
        default: throw PythonObjectsError.invalidArray(path: name, reason: "descr is \(v.kindName)")
        }
        var fields: [NumpyDType.Field] = []
        var offset = 0
        for item in items {
            guard case .tuple(let t) = item, t.count >= 2, case .string(let fieldName) = t[0] else {
                throw PythonObjectsError.invalidArray(path: name, reason: "a field of descr is \(item.kindName)")
            }
            let fd = try dtype(t[1], name: name)
            if !fieldName.isEmpty { fields.append(.init(name: fieldName, dtype: fd, offset: offset)) }   // "" is padding
            offset += fd.itemSize
        }
        return NumpyDType(kind: "V", itemSize: offset, byteOrder: .notApplicable, fields: fields)
    }
}

/// A parser for the Python literals numpy and jsonpickle write as text: str, int, float,
/// True/False/None, tuples, lists and dicts. Nothing is evaluated.
public enum PythonLiteral {
    /// The value of a literal; `limits.maxDepth` bounds its nesting.
    /// - Throws: `PythonObjectsError.container` naming the offset, `ReaderLimitBreach`.
    public static func parse(_ text: String, limits: ReaderLimits = .default) throws -> PyValue {
        var p = Parser(s: Array(text.unicodeScalars), limits: limits)
        let v = try p.value()
        p.space()
        guard p.i == p.s.count else { throw p.fail("unexpected text after the literal") }
        return v
    }

    struct Parser {
        let s: [Unicode.Scalar]
        let limits: ReaderLimits
        var i = 0
        var depth = 0

        func fail(_ m: String) -> PythonObjectsError { .container(reason: "Python literal at character \(i): \(m)") }
        mutating func space() { while i < s.count, s[i] == " " || s[i] == "\n" || s[i] == "\t" || s[i] == "\r" { i += 1 } }

        mutating func value() throws -> PyValue {
            space()
            guard i < s.count else { throw fail("ends early") }
            depth += 1
            defer { depth -= 1 }
            try limits.checkDepth(depth, at: "Python literal character \(i)")
            let c = s[i]
            switch c {
            case "'", "\"": return .string(try string())
            case "(", "[":
                let close: Unicode.Scalar = c == "(" ? ")" : "]"
                i += 1
                var items: [PyValue] = []
                var sawComma = false
                while true {
                    space()
                    guard i < s.count else { throw fail("unclosed \(c)") }
                    if s[i] == close { i += 1; break }
                    items.append(try value())
                    space()
                    if i < s.count, s[i] == "," { i += 1; sawComma = true } else if i < s.count, s[i] != close { throw fail("expected ',' or '\(close)'") }
                }
                if c == "(" { return items.count == 1 && !sawComma ? items[0] : .tuple(items) }
                return .list(PyList(items))
            case "{":
                i += 1
                let d = PyDict()
                while true {
                    space()
                    guard i < s.count else { throw fail("unclosed {") }
                    if s[i] == "}" { i += 1; break }
                    let k = try value()
                    space()
                    guard i < s.count, s[i] == ":" else { throw fail("expected ':'") }
                    i += 1
                    d.set(k, try value())
                    space()
                    if i < s.count, s[i] == "," { i += 1 }
                }
                return .dict(d)
            default:
                var k = i
                while k < s.count, !",)]}: \n".unicodeScalars.contains(s[k]) { k += 1 }
                let word = String(String.UnicodeScalarView(s[i..<k]))
                i = k
                switch word {
                case "True": return .bool(true)
                case "False": return .bool(false)
                case "None": return .none
                default:
                    if let v = Int64(word) { return .int(v) }
                    if let d = Double(word) { return .float(d) }
                    throw fail("'\(word)' is not a literal")
                }
            }
        }

        mutating func string() throws -> String {
            let q = s[i]
            i += 1
            var out = String.UnicodeScalarView()
            while i < s.count, s[i] != q {
                if s[i] == "\\", i + 1 < s.count {
                    i += 1
                    switch s[i] {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    default: out.append(s[i])
                    }
                } else { out.append(s[i]) }
                i += 1
            }
            guard i < s.count else { throw fail("unterminated string") }
            i += 1
            return String(out)
        }
    }
}
