import DocumentReaders
import Foundation
import ReaderLimits
import Yams

/// Reads a YAML layer spec into the same document tree the JSON reader gives, so one
/// parser (`LayerSpecDocument`) serves both. Plain scalars take YAML's core-schema
/// types (int, float, bool, null, otherwise string); quoted ones are strings. Aliases
/// are expanded as copies, each node charged to the input-relative allowance of `limits`,
/// so that a file of nested aliases (which grows exponentially when expanded) is an
/// error, not an exhausted machine. Nesting is bounded by `maxDepth`, checked on the text
/// before Yams builds its (recursive) node tree.
enum YAMLSpecReader {
    static func document(_ bytes: [UInt8], file: String, limits: ReaderLimits = .default) throws -> DocumentValue {
        guard let text = String(bytes: bytes, encoding: .utf8) else { throw LayerSpecError.spec(path: file, reason: "not UTF-8 text") }
        try checkFlowDepth(bytes, limits: limits)
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw LayerSpecError.spec(path: file, reason: "invalid YAML: \(error)") }
        guard let root else { throw LayerSpecError.spec(path: file, reason: "the YAML document is empty") }
        var run = Run(allowance: ReaderAllowance(limits: limits, inputBytes: bytes.count))
        return try run.value(root)
    }

    /// Throws when `[` and `{` nest deeper than `maxDepth` (outside quotes and comments):
    /// the one way a short file nests deeply, since block nesting costs indentation.
    static func checkFlowDepth(_ b: [UInt8], limits: ReaderLimits) throws {
        var depth = 0, line = 1, quote: UInt8? = nil, comment = false
        var previous: UInt8 = 0x0A
        for c in b {
            defer { previous = c }
            if c == 0x0A { line += 1; comment = false }
            if comment { continue }
            if let q = quote {
                if c == q, q == UInt8(ascii: "'") || previous != UInt8(ascii: "\\") { quote = nil }
                continue
            }
            // A quote opens a scalar only where one starts (an apostrophe inside a plain
            // scalar, as in "don't", opens nothing).
            let scalarStart = previous == 0x20 || previous == 0x09 || previous == 0x0A || previous == UInt8(ascii: "[")
                || previous == UInt8(ascii: "{") || previous == UInt8(ascii: ",")
            switch c {
            case UInt8(ascii: "\"") where scalarStart, UInt8(ascii: "'") where scalarStart: quote = c
            case UInt8(ascii: "#") where previous == 0x20 || previous == 0x09 || previous == 0x0A: comment = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                try limits.checkDepth(depth, at: "line \(line)")
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
    }

    struct Run {
        var allowance: ReaderAllowance
        /// The components of the node's place ("$", ".layers", "[2]"), joined only for an
        /// error: building a string per node is most of the cost otherwise.
        var path = ["$"]

        mutating func value(_ n: Node) throws -> DocumentValue {
            try charge()
            try allowance.limits.checkDepth(path.count, at: path.joined())
            return try YAMLSpecReader.value(n, run: &self)
        }

        mutating func charge() throws {
            do { try allowance.spend(MemoryLayout<DocumentValue>.stride, at: "") } catch var breach as ReaderLimitBreach {
                breach.place = path.joined()
                breach.detail = "YAML nodes, aliases expanded"
                throw breach
            }
        }
    }

    static func value(_ n: Node, run: inout Run) throws -> DocumentValue {
        func fail(_ reason: String) -> LayerSpecError { .spec(path: run.path.joined(), reason: reason) }
        switch n {
        case .alias:
            throw fail("an unresolved YAML alias")
        case .mapping(let m):
            var members: [(key: String, value: DocumentValue)] = []
            for (k, v) in m {
                guard case .scalar(let key) = k else { throw fail("mapping keys must be plain strings") }
                run.path.append("." + key.string)
                members.append((key.string, try run.value(v)))
                run.path.removeLast()
            }
            return .object(members)
        case .sequence(let s):
            var items: [DocumentValue] = []
            for (i, v) in s.enumerated() {
                run.path.append("[\(i)]")
                items.append(try run.value(v))
                run.path.removeLast()
            }
            return .array(items)
        case .scalar(let s):
            let text = s.string
            // Quoted and block scalars are strings; plain ones follow the core schema.
            guard s.style == .plain || s.style == .any else { return .string(text) }
            if ["", "~", "null", "Null", "NULL"].contains(text) { return .null }
            if ["true", "True", "TRUE"].contains(text) { return .bool(true) }
            if ["false", "False", "FALSE"].contains(text) { return .bool(false) }
            if isInteger(text) {
                guard let i = Int64(text) else { throw fail("'\(text)' does not fit a 64-bit integer") }
                return .number(DocumentNumber(double: Double(i), float: Float(i), integer: i))
            }
            let special: [String: Double] = [".inf": .infinity, "+.inf": .infinity, "-.inf": -.infinity, ".nan": .nan]
            if let v = special[text.lowercased()] { return .number(DocumentNumber(double: v, float: Float(v), integer: nil)) }
            if isDecimal(text), let d = Double(text), let f = Float(text) {
                return .number(DocumentNumber(double: d, float: f, integer: nil))
            }
            return .string(text)
        }
    }

    /// [-+]?[0-9]+ (without a regular expression: this runs for every scalar).
    static func isInteger(_ t: String) -> Bool {
        var u = Substring(t).utf8[...]
        if let f = u.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { u = u.dropFirst() }
        return !u.isEmpty && u.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    static func isDecimal(_ t: String) -> Bool {
        var u = Array(t.utf8)[...]
        func digits() -> Int { var n = 0; while let c = u.first, c >= 48 && c <= 57 { u = u.dropFirst(); n += 1 }; return n }
        if let f = u.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { u = u.dropFirst() }
        var mantissa = digits()
        if u.first == UInt8(ascii: ".") { u = u.dropFirst(); mantissa += digits() }
        guard mantissa > 0 else { return false }
        if let e = u.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            u = u.dropFirst()
            if let f = u.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { u = u.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return u.isEmpty
    }
}
