import DocumentReaders
import Foundation
import Yams

/// Reads a YAML layer spec into the same document tree the JSON reader gives, so one
/// parser (`LayerSpecDocument`) serves both. Plain scalars take YAML's core-schema
/// types (int, float, bool, null, otherwise string); quoted ones are strings. Aliases
/// are expanded as copies, within a budget of nodes, so that a file of nested aliases
/// (which grows exponentially when expanded) is an error, not an exhausted machine.
enum YAMLSpecReader {
    /// Most nodes a spec may have (a spec of thousands of layers has tens of thousands).
    static let maximumNodes = 200_000

    static func document(_ bytes: [UInt8], file: String) throws -> DocumentValue {
        guard let text = String(bytes: bytes, encoding: .utf8) else { throw LayerSpecError.spec(path: file, reason: "not UTF-8 text") }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw LayerSpecError.spec(path: file, reason: "invalid YAML: \(error)") }
        guard let root else { throw LayerSpecError.spec(path: file, reason: "the YAML document is empty") }
        var budget = maximumNodes
        var path = ["$"]
        return try value(root, path: &path, budget: &budget)
    }

    /// `path` holds the components of the node's place ("$", ".layers", "[2]"), joined
    /// only for an error: building a string per node is most of the cost otherwise.
    static func value(_ n: Node, path: inout [String], budget: inout Int) throws -> DocumentValue {
        budget -= 1
        guard budget >= 0 else { throw LayerSpecError.spec(path: path.joined(), reason: "more than \(maximumNodes) YAML nodes") }
        switch n {
        case .alias:
            throw LayerSpecError.spec(path: path.joined(), reason: "an unresolved YAML alias")
        case .mapping(let m):
            var members: [(key: String, value: DocumentValue)] = []
            for (k, v) in m {
                guard case .scalar(let key) = k else { throw LayerSpecError.spec(path: path.joined(), reason: "mapping keys must be plain strings") }
                path.append("." + key.string)
                members.append((key.string, try value(v, path: &path, budget: &budget)))
                path.removeLast()
            }
            return .object(members)
        case .sequence(let s):
            var items: [DocumentValue] = []
            for (i, v) in s.enumerated() {
                path.append("[\(i)]")
                items.append(try value(v, path: &path, budget: &budget))
                path.removeLast()
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
                guard let i = Int64(text) else { throw LayerSpecError.spec(path: path.joined(), reason: "'\(text)' does not fit a 64-bit integer") }
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
