import Foundation
import ReaderLimits

/// Reads a pickle or joblib file (plain or zlib/gzip compressed), or jsonpickle JSON, into a `PyValue`.
public enum PythonObjectFile {
    /// The object in `bytes`; `buffers` are protocol-5 out-of-band buffers.
    /// - Throws: `PythonObjectsError`, `ReaderLimitBreach`.
    public static func read(_ bytes: [UInt8], buffers: [[UInt8]] = [], limits: ReaderLimits = .default) throws -> PyValue {
        if isJSONPickle(bytes) {
            var reader = JSONPickleReader()
            reader.limits = limits
            return try reader.read(bytes)
        }
        var reader = JoblibReader()
        reader.machine.buffers = buffers
        reader.machine.limits = limits
        return try reader.read(bytes)
    }

    /// jsonpickle JSON: a document starting with '{' or '[' that names a "py/" tag.
    static func isJSONPickle(_ b: [UInt8]) -> Bool {
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        guard i < b.count, b[i] == UInt8(ascii: "{") || b[i] == UInt8(ascii: "[") else { return false }
        var k = i
        while k + 2 < b.count {
            if b[k] == UInt8(ascii: "p"), b[k + 1] == UInt8(ascii: "y"), b[k + 2] == UInt8(ascii: "/") { return true }
            k += 1
        }
        return false
    }
}

/// Prints a `PyValue` as an indented tree: class names, array dtypes, shapes and first
/// values, scalars; shared containers once, recursion marked.
public struct PyValueDump {
    /// How deep to print (deeper levels print as "...").
    public var depth: Int
    /// Array values shown.
    public var arrayValues = 6
    /// Lines printed at most (shared containers can describe exponentially many).
    public var maxLines = 20_000

    public init(depth: Int = 8) { self.depth = depth }

    /// The tree as text.
    public func text(_ v: PyValue) -> String {
        var lines: [String] = []
        var active = Set<ObjectIdentifier>()
        walk(v, label: nil, level: 0, into: &lines, active: &active)
        if lines.count > maxLines {
            let more = lines.count - maxLines
            lines.removeLast(more)
            lines.append("... (\(more) more lines; the file shares containers, or use --depth)")
        }
        return lines.joined(separator: "\n")
    }

    func scalar(_ v: PyValue) -> String? {
        switch v {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let b): return PyValue.decimal(ofTwosComplement: b)
        case .float(let d): return d.isNaN ? "nan" : "\(d)"
        case .complex(let r, let i): return "complex(\(r), \(i))"
        case .string(let s): return "'" + (s.count > 60 ? String(s.prefix(60)) + "..." : s) + "'"
        case .bytes(let b): return "bytes of \(b.count)"
        case .bytearray(let b): return "bytearray of \(b.count)"
        case .global(let m, let n): return "<\(m).\(n)>"
        case .dtype(let d): return "dtype \(d.descr)"
        case .numpyScalar(let d, let raw):
            if d.isNumeric, raw.count == d.itemSize, let x = try? NDArray(dtype: d, shape: [], fortranOrder: false, data: raw).doubles().first {
                return "numpy.\(d.descr)(\(x))"
            }
            return "numpy scalar \(d.descr)"
        case .ndarray(let a):
            var s = "ndarray \(a.dtype.descr) \(a.shape)\(a.fortranOrder ? " F" : "")"
            if a.dtype.isNumeric, let d = try? a.doubles() {
                let integral = a.dtype.kind != "f"
                s += ": [" + d.prefix(arrayValues).map { integral ? String(Int64($0)) : "\($0)" }.joined(separator: ", ") + (d.count > arrayValues ? ", ..." : "") + "]"
            } else if let f = a.dtype.fields {
                s += " records (" + f.map(\.name).joined(separator: ", ") + ")"
            }
            return s
        case .slice: return "slice"
        default: return nil
        }
    }

    func walk(_ v: PyValue, label: String?, level: Int, into lines: inout [String], active: inout Set<ObjectIdentifier>) {
        if lines.count > maxLines { return }
        let pad = String(repeating: "  ", count: level)
        let head = label.map { "\($0): " } ?? ""
        if let s = scalar(v) { lines.append(pad + head + s); return }
        guard level < depth else { lines.append(pad + head + v.kindName + " ..."); return }
        func guarded(_ id: ObjectIdentifier, _ body: (inout [String], inout Set<ObjectIdentifier>) -> Void) {
            if active.contains(id) { lines.append(pad + head + v.kindName + " <recursive>"); return }
            active.insert(id)
            body(&lines, &active)
            active.remove(id)
        }
        switch v {
        case .tuple(let t), .set(let t), .frozenset(let t):
            lines.append(pad + head + v.kindName)
            for (k, e) in t.enumerated() { walk(e, label: "[\(k)]", level: level + 1, into: &lines, active: &active) }
        case .list(let l):
            guarded(ObjectIdentifier(l)) { lines, active in
                lines.append(pad + head + v.kindName)
                for (k, e) in l.items.enumerated() { walk(e, label: "[\(k)]", level: level + 1, into: &lines, active: &active) }
            }
        case .dict(let d):
            guarded(ObjectIdentifier(d)) { lines, active in
                lines.append(pad + head + v.kindName)
                for (k, e) in d.entries { walk(e, label: scalar(k) ?? k.kindName, level: level + 1, into: &lines, active: &active) }
            }
        case .object(let o):
            guarded(ObjectIdentifier(o)) { lines, active in
                lines.append(pad + head + o.className + (o.viaNew ? "" : " (called)"))
                if !o.args.isEmpty { walk(.tuple(o.args), label: "args", level: level + 1, into: &lines, active: &active) }
                if let s = o.state { walk(s, label: "state", level: level + 1, into: &lines, active: &active) }
                if !o.listItems.isEmpty { walk(.tuple(o.listItems), label: "items", level: level + 1, into: &lines, active: &active) }
                for (k, e) in o.dictItems { walk(e, label: scalar(k) ?? k.kindName, level: level + 1, into: &lines, active: &active) }
            }
        case .persistent(let p):
            lines.append(pad + head + "persistent id")
            walk(p, label: "id", level: level + 1, into: &lines, active: &active)
        default:
            lines.append(pad + head + v.kindName)
        }
    }
}
