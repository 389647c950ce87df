import DocumentReaders
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The JSON that `--json` prints and `--result-file` writes, typed and written by hand:
/// JSONSerialization on a `[String: Any]` spent about 1.5 ms of a 16 ms conversion on
/// dynamic casts and first-time conformance lookups, paid once per file by `make convert`.
enum ResultJSON: ExpressibleByStringLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral,
                 ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([ResultJSON])
    case object([String: ResultJSON])
    case null

    init(stringLiteral s: String) { self = .string(s) }
    init(integerLiteral i: Int) { self = .int(i) }
    init(booleanLiteral b: Bool) { self = .bool(b) }
    init(arrayLiteral elements: ResultJSON...) { self = .array(elements) }
    init(dictionaryLiteral pairs: (String, ResultJSON)...) { self = .object(Dictionary(pairs, uniquingKeysWith: { a, _ in a })) }

    static func strings(_ a: [String]) -> ResultJSON { .array(a.map { .string($0) }) }

    /// A parsed document (a result file read back by `report`); integer literals stay
    /// integers.
    init(_ value: DocumentValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = n.integer.flatMap { Int(exactly: $0) }.map { .int($0) } ?? .double(n.double)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(ResultJSON.init))
        case .numbers(let a): self = .array(a.doubles.map { .double($0) })
        case .object(let members): self = .object(Dictionary(members.map { ($0.key, ResultJSON($0.value)) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    /// The elements when this is an array of strings.
    var strings: [String]? {
        guard case .array(let a) = self else { return nil }
        let s = a.compactMap(\.string)
        return s.count == a.count ? s : nil
    }

    /// Compact JSON, object keys sorted (as `JSONSerialization`'s `.sortedKeys`); a
    /// number that is not finite is written as null.
    var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    /// The same JSON with each member and element on its own line, indented by two
    /// spaces per level (for report.json, which people read).
    var indentedText: String {
        var out = ""
        write(into: &out, indent: "")
        return out
    }

    func write(into out: inout String, indent: String? = nil) {
        switch self {
        case .string(let s): Self.quote(s, into: &out)
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)) : "null"
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let a):
            out += "["
            let inner = indent.map { $0 + "  " }
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                if let inner { out += "\n" + inner }
                v.write(into: &out, indent: inner)
            }
            if let indent, !a.isEmpty { out += "\n" + indent }
            out += "]"
        case .object(let o):
            out += "{"
            let inner = indent.map { $0 + "  " }
            for (i, key) in o.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                if let inner { out += "\n" + inner }
                Self.quote(key, into: &out)
                out += inner == nil ? ":" : ": "
                o[key]!.write(into: &out, indent: inner)
            }
            if let indent, !o.isEmpty { out += "\n" + indent }
            out += "}"
        }
    }

    /// Writes `text` to a temporary file beside `path` and renames it over `path`, so a
    /// reader sees the old file or the new one, never half of one. Not fsynced, unlike
    /// the model: the result file is a report that `make convert` can write again, and
    /// two fsyncs per file kept `make -j2` waiting on the disk. Returns the problem, or nil.
    static func replaceFile(at path: String, with text: String) -> String? {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) + "/" } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temp = folder + ".\(name).tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let problem = String(cString: strerror(errno))
                close(fd)
                unlink(temp)
                return problem
            }
            written += n
        }
        guard close(fd) == 0, rename(temp, path) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(temp)
            return problem
        }
        return nil
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        // Most strings need no escape: appended whole, not scalar by scalar.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s
            out += "\""
            return
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }
}
