import Foundation
import DocumentReaders
import ReaderLimits

/// Reads jsonpickle JSON (`jsonpickle.encode(obj, keys=True)`, with or without the
/// `jsonpickle.ext.numpy` handlers) into the same `PyValue` trees the pickle reader gives.
///
/// Tags: `py/object` (with its attributes, `py/state`, `py/newargs`, `py/newargsex`,
/// `py/initargs`, `py/seq`), `py/reduce` (callable, args, state, listitems, dictitems,
/// under the pickle reader's rules: a callable whose effect is code is refused with
/// `PythonObjectsError.forbiddenCallable`, known data constructors build their value, any
/// other call is a `PyObject` record), `py/tuple`, `py/set`, `py/id`, `py/ref`,
/// `py/type`, `py/function`, `py/iterator`, `py/bytes`, `py/b64`, `py/b85`, and
/// `json://` dict keys. numpy arrays (nested lists, or base64 of zlib-compressed bytes,
/// or views of an earlier array), dtypes (including structured ones, written as Python
/// literals) and scalars become `.ndarray`, `.dtype` and `.numpyScalar`. Nothing is
/// imported or called.
///
/// `py/id` is the 0-based index of an object in the order jsonpickle's pickler met it
/// (lists, dicts, instances, reduce results and numpy objects count; tuples, sets, bytes,
/// types and functions do not), which is document order.
///
/// `limits` bound the JSON nesting (`maxDepth`), and what arrays, views and merged states
/// allocate (the memory budget and the input-relative allowance). Strings are not bounded
/// by `maxStringBytes` here: jsonpickle writes numpy arrays as base64 strings, which are
/// array data.
public struct JSONPickleReader {
    /// Bounds.
    public var limits = ReaderLimits.default

    public init() {}

    /// The object in `bytes`.
    /// - Throws: `PythonObjectsError`, `ReaderLimitBreach`.
    public func read(_ bytes: [UInt8]) throws -> PyValue {
        var parser = JSONPickleText(bytes: bytes, limits: limits)
        let root = try parser.document()
        let run = JSONPickleRun(reader: self, inputBytes: bytes.count)
        // Objects the document built but its result does not reach (after an error, or
        // left out) can hold cycles through py/id: dismantled, not leaked (found by fuzzing).
        let value: PyValue
        do { value = try run.restore(root, depth: 0) } catch {
            PyValue.dismantle(leftovers: run.objects.compactMap { $0 }, keeping: nil)
            throw error
        }
        PyValue.dismantle(leftovers: run.objects.compactMap { $0 }, keeping: value)
        return value
    }
}

// MARK: - JSON with Python's number kinds

/// A JSON value that keeps what Python's json module keeps: ints (any size) apart from
/// floats, and member order.
indirect enum JSONPickleNode {
    case null
    case bool(Bool)
    case int(Int64)
    /// An int literal outside Int64: its decimal text.
    case bigInt(String)
    case float(Double)
    case string(String)
    case array([JSONPickleNode])
    /// Members in document order and the byte offset of the `{`.
    case object([(key: String, value: JSONPickleNode)], offset: Int)

    func member(_ key: String) -> JSONPickleNode? {
        guard case .object(let m, _) = self else { return nil }
        return m.last(where: { $0.key == key })?.value
    }

    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .bigInt, .float: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A small JSON parser (RFC 8259 plus Python's NaN / Infinity / -Infinity).
struct JSONPickleText {
    let b: [UInt8]
    let limits: ReaderLimits
    var i = 0
    var depth = 0

    init(bytes: [UInt8], limits: ReaderLimits) {
        b = bytes
        self.limits = limits
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
    }

    func fail(_ why: String) -> PythonObjectsError { .container(reason: "jsonpickle: invalid JSON at byte \(i): \(why)") }

    mutating func document() throws -> JSONPickleNode {
        let v = try value()
        skipSpace()
        guard i == b.count else { throw fail("trailing content after the document") }
        return v
    }

    mutating func skipSpace() { while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 } }

    mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= b.count, Array(b[i..<(i + w.count)]) == w else { throw fail("expected \(word)") }
        i += w.count
    }

    mutating func value() throws -> JSONPickleNode {
        skipSpace()
        guard i < b.count else { throw fail("unexpected end of input") }
        switch b[i] {
        case UInt8(ascii: "{"):
            let start = i
            depth += 1
            defer { depth -= 1 }
            try limits.checkDepth(depth, at: "byte \(i)")
            i += 1
            var members: [(key: String, value: JSONPickleNode)] = []
            var keys = DistinctKeys()
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(members, offset: start) }
            while true {
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let key = try string()
                guard keys.insert(key) else { throw fail("the member name \"\(key)\" appears twice in one object") }
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                i += 1
                members.append((key, try value()))
                skipSpace()
                guard i < b.count else { throw fail("unexpected end of input in an object") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return .object(members, offset: start) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            depth += 1
            defer { depth -= 1 }
            try limits.checkDepth(depth, at: "byte \(i)")
            i += 1
            var items: [JSONPickleNode] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try value())
                skipSpace()
                guard i < b.count else { throw fail("unexpected end of input in an array") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "N"): try literal("NaN"); return .float(.nan)
        case UInt8(ascii: "I"): try literal("Infinity"); return .float(.infinity)
        default: return try number()
        }
    }

    mutating func number() throws -> JSONPickleNode {
        let start = i
        if i < b.count, b[i] == UInt8(ascii: "-") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "I") { try literal("Infinity"); return .float(-.infinity) }
        }
        let digits = i
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
        guard i > digits else { throw fail("expected a value") }
        var integral = true
        if i < b.count, b[i] == UInt8(ascii: ".") {
            integral = false
            i += 1
            let f = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > f else { throw fail("a number needs digits after '.'") }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            integral = false
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            let e = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > e else { throw fail("a number needs digits in its exponent") }
        }
        let text = String(decoding: b[start..<i], as: UTF8.self)
        if integral { return Int64(text).map { .int($0) } ?? .bigInt(text) }
        guard let d = Double(text) else { throw fail("the number \(text)") }
        return .float(d)
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16) else { throw fail("a bad \\u escape") }
        i += 4
        return v
    }

    mutating func string() throws -> String {
        i += 1   // the opening quote
        var out = String.UnicodeScalarView()
        var run = i
        func flush(_ end: Int) { if end > run { out.append(contentsOf: String(decoding: b[run..<end], as: UTF8.self).unicodeScalars) } }
        while true {
            guard i < b.count else { throw fail("unterminated string") }
            let c = b[i]
            if c == UInt8(ascii: "\"") { flush(i); i += 1; return String(out) }
            if c < 0x20 { throw fail("a control character in a string") }
            guard c == UInt8(ascii: "\\") else { i += 1; continue }
            flush(i)
            i += 1
            guard i < b.count else { throw fail("unterminated string") }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append("\"")
            case UInt8(ascii: "\\"): out.append("\\")
            case UInt8(ascii: "/"): out.append("/")
            case UInt8(ascii: "b"): out.append("\u{8}")
            case UInt8(ascii: "f"): out.append("\u{C}")
            case UInt8(ascii: "n"): out.append("\n")
            case UInt8(ascii: "r"): out.append("\r")
            case UInt8(ascii: "t"): out.append("\t")
            case UInt8(ascii: "u"):
                var v = try hex4()
                if v >= 0xD800, v < 0xDC00, i + 6 <= b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                    let save = i
                    i += 2
                    let low = try hex4()
                    if low >= 0xDC00, low < 0xE000 { v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00) } else { i = save }
                }
                // A lone surrogate (Python allows it in str) has no Unicode scalar.
                out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            default: throw fail("a bad escape \\\(Character(Unicode.Scalar(e)))")
            }
            run = i
        }
    }
}

// MARK: - Restoring

/// One decoding: the objects seen so far (for `py/id`) and their paths (for `py/ref`).
final class JSONPickleRun {
    let reader: JSONPickleReader
    /// Objects in the order they were met; nil while one is being built.
    var objects: [PyValue?] = []
    /// Path of each registered object, for the old `py/ref` tag.
    var named: [String: Int] = [:]
    var names: [String] = []

    /// What arrays, views and merged states allocate, against the input's size.
    var allowance: ReaderAllowance

    init(reader: JSONPickleReader, inputBytes: Int) {
        self.reader = reader
        allowance = ReaderAllowance(limits: reader.limits, inputBytes: inputBytes)
    }

    /// Charges a value made from values the document only referenced (a `py/id` copied
    /// by `list(...)`, a state merged again), like the pickle machine does.
    func account(_ v: PyValue) throws {
        let stride = MemoryLayout<PyValue>.stride
        switch v {
        case .ndarray(let a): try allowance.spend(a.data.count + (a.objects?.count ?? 0) * stride, at: "jsonpickle \(path)", detail: "numpy array data")
        case .list(let l): try allowance.spend(count: l.items.count, of: stride, at: "jsonpickle \(path)")
        case .dict(let d): try allowance.spend(count: d.entries.count, of: 2 * stride, at: "jsonpickle \(path)")
        case .tuple(let t), .set(let t), .frozenset(let t): try allowance.spend(count: t.count, of: stride, at: "jsonpickle \(path)")
        case .bytes(let x), .bytearray(let x): try allowance.spend(x.count, at: "jsonpickle \(path)")
        default: break
        }
    }

    static let reserved: Set<String> = [
        "py/bytes", "py/b64", "py/b85", "py/function", "py/id", "py/initargs", "py/iterator", "py/mod", "py/newargs",
        "py/newargsex", "py/newobj", "py/object", "py/property", "py/reduce", "py/ref", "py/repr", "py/seq", "py/set",
        "py/state", "py/tuple", "py/type", "default_factory",
    ]
    static let jsonKey = "json://"

    var path: String { "/" + names.joined(separator: "/") }

    func fail(_ why: String) -> PythonObjectsError { .container(reason: "jsonpickle \(path): \(why)") }

    /// Registers the next object; returns its index.
    func register(_ v: PyValue?) -> Int {
        objects.append(v)
        named[path] = objects.count - 1
        return objects.count - 1
    }

    func restore(_ node: JSONPickleNode, depth: Int) throws -> PyValue {
        // A JSON level can hold two value levels (an object and its tag's value).
        try reader.limits.checkDepth((depth + 2) / 2, at: "jsonpickle \(path)")
        switch node {
        case .null: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .bigInt(let text): return .bigInt(try Self.twosComplement(decimal: text))
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .array(let items):
            let list = PyList()
            _ = register(.list(list))
            list.items.reserveCapacity(items.count)
            for item in items { list.items.append(try restore(item, depth: depth + 1)) }
            return .list(list)
        case .object(let members, let offset):
            return try restoreObject(node, members, offset: offset, depth: depth)
        }
    }

    func restoreObject(_ node: JSONPickleNode, _ members: [(key: String, value: JSONPickleNode)], offset: Int, depth: Int) throws -> PyValue {
        func has(_ k: String) -> Bool { members.contains { $0.key == k } }
        // The unpickler's tag precedence.
        if let t = node.member("py/tuple") { return .tuple(try elements(t, depth: depth)) }
        if let s = node.member("py/set") { return .set(try elements(s, depth: depth)) }
        if let v = node.member("py/b64") {
            guard case .string(let s) = v, let d = Data(base64Encoded: s, options: .ignoreUnknownCharacters) else { throw fail("py/b64 is not base64") }
            return .bytes([UInt8](d))
        }
        if let v = node.member("py/b85") {
            guard case .string(let s) = v else { throw fail("py/b85 is \(v.kindName)") }
            return .bytes(try Self.base85(s))
        }
        if let v = node.member("py/bytes") {
            // Old jsonpickle: the bytes as a latin-1 string.
            guard case .string(let s) = v else { throw fail("py/bytes is \(v.kindName)") }
            return .bytes(SafeConstructors.bytesOf(.string(s)) ?? Array(s.utf8))
        }
        if let v = node.member("py/id") {
            guard case .int(let k) = v else { throw fail("py/id is \(v.kindName)") }
            guard k >= 0, k < objects.count else { throw fail("py/id \(k) refers to no object read before it (\(objects.count) so far)") }
            guard let target = objects[Int(k)] else { throw fail("py/id \(k) refers to an object that is still being built") }
            return target
        }
        if let v = node.member("py/iterator") {
            let list = PyList()
            _ = register(.list(list))
            list.items = try elements(v, depth: depth)
            return .list(list)
        }
        if let v = node.member("py/object") {
            guard case .string(let name) = v else { throw fail("py/object is \(v.kindName)") }
            return try restoreInstance(name, node, members, offset: offset, depth: depth)
        }
        if let v = node.member("py/type") { return try global(v, tag: "py/type") }
        if let v = node.member("py/reduce") { return try restoreReduce(v, offset: offset, depth: depth) }
        if let v = node.member("py/function") { return try global(v, tag: "py/function") }
        if let v = node.member("py/ref") {
            guard case .string(let p) = v, let k = named[p], let target = objects[k] else { throw fail("py/ref \(v) names no object read before it") }
            return target
        }
        if has("py/repr") || has("py/mod") {
            // py/repr is eval'd by jsonpickle; py/mod imports a module.
            let text: String
            if case .string(let s)? = node.member("py/repr") ?? node.member("py/mod") { text = s } else { text = "?" }
            throw PythonObjectsError.forbiddenCallable(name: has("py/repr") ? "eval of py/repr '\(text.prefix(80))'" : "import of py/mod '\(text.prefix(80))'", offset: offset)
        }
        return .dict(try restoreDict(members, depth: depth))
    }

    func elements(_ node: JSONPickleNode, depth: Int) throws -> [PyValue] {
        guard case .array(let items) = node else { throw fail("expected a list, found \(node.kindName)") }
        return try items.map { try restore($0, depth: depth + 1) }
    }

    func global(_ v: JSONPickleNode, tag: String) throws -> PyValue {
        guard case .string(let full) = v, !full.isEmpty else { throw fail("\(tag) is \(v.kindName)") }
        guard let dot = full.lastIndex(of: ".") else { return .global(module: "builtins", name: full) }
        return .global(module: String(full[..<dot]), name: String(full[full.index(after: dot)...]))
    }

    /// A plain dict; with `keys=True`, string keys first, then the `json://` keys (each an
    /// encoded value read with the same object count), as jsonpickle restores them.
    func restoreDict(_ members: [(key: String, value: JSONPickleNode)], depth: Int) throws -> PyDict {
        let d = PyDict()
        _ = register(.dict(d))
        for (k, v) in members where !k.hasPrefix(Self.jsonKey) {
            names.append(k)
            defer { names.removeLast() }
            d.set(.string(k), try restore(v, depth: depth + 1))
        }
        for (k, v) in members where k.hasPrefix(Self.jsonKey) {
            names.append(k)
            defer { names.removeLast() }
            var text = JSONPickleText(bytes: Array(k.utf8.dropFirst(Self.jsonKey.utf8.count)), limits: reader.limits)
            let key = try restore(try text.document(), depth: depth + 1)
            d.set(key, try restore(v, depth: depth + 1))
        }
        return d
    }

    // MARK: py/object

    func restoreInstance(_ name: String, _ node: JSONPickleNode, _ members: [(key: String, value: JSONPickleNode)], offset: Int, depth: Int) throws -> PyValue {
        if name.hasPrefix("numpy."), node.member("dtype") != nil {
            let k = register(nil)
            let v = try restoreNumpy(name, node, depth: depth)
            objects[k] = v
            return v
        }
        if let dot = name.lastIndex(of: "."), SafeConstructors.isForbidden(module: String(name[..<dot]), name: String(name[name.index(after: dot)...])) {
            throw PythonObjectsError.forbiddenCallable(name: name, offset: offset)
        }
        let o = PyObject(className: name, args: [], viaNew: true)
        let k = register(.object(o))
        let attributes = PyDict()
        var state: PyValue?
        for (key, value) in members {
            switch key {
            case "py/object": continue
            case "py/newargsex":
                guard case .array(let pair) = value, pair.count == 2 else { throw fail("py/newargsex is not [args, kwargs]") }
                o.args = SafeConstructors.items(try restore(pair[0], depth: depth + 1))
                o.kwargs = try restore(pair[1], depth: depth + 1)
            case "py/newargs", "py/initargs":
                o.args = SafeConstructors.items(try restore(value, depth: depth + 1))
            case "py/seq":
                o.listItems.append(contentsOf: try elements(value, depth: depth))
            case "py/state":
                names.append(key)
                defer { names.removeLast() }
                state = try restore(value, depth: depth + 1)
            case _ where Self.reserved.contains(key) && key != "default_factory":
                continue
            default:
                names.append(key)
                defer { names.removeLast() }
                let keyValue: PyValue
                if key.hasPrefix(Self.jsonKey) {
                    var text = JSONPickleText(bytes: Array(key.utf8.dropFirst(Self.jsonKey.utf8.count)), limits: reader.limits)
                    keyValue = try restore(try text.document(), depth: depth + 1)
                } else {
                    keyValue = .string(key)
                }
                attributes.set(keyValue, try restore(value, depth: depth + 1))
            }
        }
        // Dict subclasses keep their items as members; OrderedDict is a dict, as in pickles.
        if name == "collections.OrderedDict" {
            if case .dict(let s)? = state {
                try account(.dict(s))
                for (k, v) in s.entries { attributes.set(k, v) }
            }
            objects[k] = .dict(attributes)
            return .dict(attributes)
        }
        switch (attributes.entries.isEmpty, state) {
        case (true, let s?): o.state = s
        case (false, nil): o.state = .dict(attributes)
        case (false, let s?): o.state = .tuple([.dict(attributes), s])
        case (true, nil): break
        }
        return .object(o)
    }

    // MARK: py/reduce

    func restoreReduce(_ v: JSONPickleNode, offset: Int, depth: Int) throws -> PyValue {
        guard case .array(let parts) = v, !parts.isEmpty, parts.count <= 5 else { throw fail("py/reduce is not [callable, args, state, listitems, dictitems]") }
        let slot = register(nil)
        let callable = try restore(parts[0], depth: depth + 1)
        let args = parts.count > 1 ? try restore(parts[1], depth: depth + 1) : .none
        var a: [PyValue]
        switch args {
        case .none: a = []
        case .tuple(let t): a = t
        case .list(let l): a = l.items
        default: throw fail("py/reduce arguments are \(args.kindName)")
        }
        var value: PyValue
        if case .string("py/newobj") = callable {
            // cls.__new__(cls, *args[1:])
            guard let cls = a.first, case .global(let m, let n) = cls else { throw fail("py/newobj without a class") }
            if SafeConstructors.isForbidden(module: m, name: n) { throw PythonObjectsError.forbiddenCallable(name: "\(m).\(n)", offset: offset) }
            a.removeFirst()
            value = try SafeConstructors.applyNew("\(m).\(n)", a) ?? .object(PyObject(className: "\(m).\(n)", args: a, viaNew: true))
        } else {
            guard case .global(let m, let n) = callable else {
                if case .object(let o) = callable {
                    throw PythonObjectsError.forbiddenCallable(name: "the result of \(o.className)(...)", offset: offset)
                }
                throw fail("py/reduce calls \(callable.kindName), which is not a class or function name")
            }
            let name = "\(m).\(n)"
            if SafeConstructors.isForbidden(module: m, name: n) { throw PythonObjectsError.forbiddenCallable(name: name, offset: offset) }
            value = try SafeConstructors.apply(name, a, offset: offset) ?? .object(PyObject(className: name, args: a, viaNew: false))
        }
        try account(value)
        objects[slot] = value
        let state = parts.count > 2 ? try restore(parts[2], depth: depth + 1) : .none
        let listItems = parts.count > 3 ? try restore(parts[3], depth: depth + 1) : .none
        let dictItems = parts.count > 4 ? try restore(parts[4], depth: depth + 1) : .none

        if Self.truthy(state) {
            switch value {
            case .object(let o) where SafeConstructors.isPlaceholder(o):
                guard let built = try SafeConstructors.build(o, state, offset: offset) else { throw fail("\(o.className) state") }
                try account(built)
                value = built
                objects[slot] = value
            case .object(let o):
                if case .dict(let existing)? = o.state, case .dict(let more) = state {
                    try account(state)
                    for (k, v) in more.entries { existing.set(k, v) }
                } else {
                    o.state = state
                }
            case .dict(let d):
                guard case .dict(let s) = state else { throw fail("state \(state.kindName) for a dict") }
                try account(state)
                for (k, v) in s.entries { d.set(k, v) }
            default:
                throw fail("state for \(value.kindName)")
            }
        }
        if Self.truthy(listItems) {
            let items = SafeConstructors.items(listItems)
            switch value {
            case .list(let l): l.items.append(contentsOf: items)
            case .object(let o): o.listItems.append(contentsOf: items)
            default: throw fail("list items for \(value.kindName)")
            }
        }
        if Self.truthy(dictItems) {
            var pairs: [(PyValue, PyValue)] = []
            for p in SafeConstructors.items(dictItems) {
                let kv = SafeConstructors.items(p)
                guard kv.count == 2 else { throw fail("a dict item is \(p.kindName), not a (key, value) pair") }
                pairs.append((kv[0], kv[1]))
            }
            switch value {
            case .dict(let d): for (k, v) in pairs { d.set(k, v) }
            case .object(let o): o.dictItems.append(contentsOf: pairs)
            default: throw fail("dict items for \(value.kindName)")
            }
        }
        return value
    }

    /// Python's truth value for what a reduce's state, listitems and dictitems can be.
    static func truthy(_ v: PyValue) -> Bool {
        switch v {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .bytes(let b), .bytearray(let b): return !b.isEmpty
        case .tuple(let t), .set(let t), .frozenset(let t): return !t.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .dict(let d): return !d.entries.isEmpty
        default: return true
        }
    }

    // MARK: numpy

    func restoreNumpy(_ className: String, _ node: JSONPickleNode, depth: Int) throws -> PyValue {
        guard case .string(let dtypeText)? = node.member("dtype") else { throw fail("\(className) without a dtype string") }
        names.append("dtype")
        var dtype = try Self.dtype(dtypeText, fail: fail)
        names.removeLast()
        if className == "numpy.ndarray" || node.member("values") != nil || node.member("base") != nil {
            return .ndarray(try restoreArray(node, dtype: &dtype, depth: depth))
        }
        if let valueNode = node.member("value") {
            let value = try restore(valueNode, depth: depth + 1)
            guard dtype.kind != "O" else { return value }
            var raw: [UInt8] = []
            try Self.encode(value, as: dtype, into: &raw, fail: fail)
            return .numpyScalar(dtype, raw)
        }
        return .dtype(dtype)
    }

    func ints(_ node: JSONPickleNode?, _ what: String) throws -> [Int]? {
        guard let node else { return nil }
        guard case .array(let items) = node else { throw fail("\(what) is \(node.kindName)") }
        return try items.map { e in
            guard case .int(let i) = e, let v = Int(exactly: i) else { throw fail("\(what) holds \(e.kindName)") }
            return v
        }
    }

    func restoreArray(_ node: JSONPickleNode, dtype: inout NumpyDType, depth: Int) throws -> NDArray {
        let shape = try ints(node.member("shape"), "shape")
        let fortran = { if case .string("F")? = node.member("order") { return true } else { return false } }()
        if let baseNode = node.member("base") {
            names.append("base")
            let base = try restore(baseNode, depth: depth + 1)
            names.removeLast()
            guard case .ndarray(let b) = base else { throw fail("the base of an array view is \(base.kindName)") }
            // The values of a small view are written for people to read; they still count
            // as objects for py/id.
            if let values = node.member("values"), case .array = values { _ = try restore(values, depth: depth + 1) }
            guard let shape else { throw fail("an array view without its shape") }
            var offset = 0
            if let o = node.member("offset") {
                guard case .int(let v) = o, let x = Int(exactly: v) else { throw fail("offset is \(o.kindName)") }
                offset = x
            }
            let strides = try ints(node.member("strides"), "strides")
            if dtype.itemSize > 1, dtype.fields == nil, dtype.kind != "O" {
                let swapped = { if case .string("S")? = node.member("byteorder") { return true } else { return false } }()
                let baseOrder: NumpyDType.ByteOrder = b.dtype.byteOrder == .big ? .big : .little
                dtype.byteOrder = swapped ? (baseOrder == .big ? .little : .big) : baseOrder
            }
            // A view with zero strides repeats its base: charge what it expands to.
            try allowance.spend(try Self.byteCount(shape, dtype.itemSize, fail: fail), at: "jsonpickle \(path)", detail: "an array view")
            return try Self.view(of: b, dtype: dtype, shape: shape, offset: offset, strides: strides, fail: fail)
        }
        guard let values = node.member("values") else { throw fail("an array without values") }
        if case .string(let text) = values, let shape {
            // Binary: base64 of the (zlib-compressed) bytes in C or F order.
            guard dtype.kind != "O" else { throw fail("an object array stored as raw bytes (pointers), which cannot be read") }
            if dtype.itemSize > 1, dtype.fields == nil, case .string(let order)? = node.member("byteorder") {
                dtype.byteOrder = order == ">" ? .big : (order == "|" ? .notApplicable : .little)
            }
            guard let packed = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { throw fail("array values are not base64") }
            let need = try Self.byteCount(shape, dtype.itemSize, fail: fail)
            try reader.limits.check(.memoryBudget, need, reader.limits.memoryBudget, at: "jsonpickle \(path)", detail: "a numpy array")
            var raw = [UInt8](packed)
            if raw.count >= 2, raw[0] & 0x0F == 8, (Int(raw[0]) << 8 | Int(raw[1])) % 31 == 0 {
                // zlib data by its header; a breach of the limits is an error, anything
                // else leaves the bytes as they are (raw bytes can look like a header).
                do {
                    let inflated = try Inflate.decompress(raw, gzip: false, limits: reader.limits, maxOutput: need)
                    if inflated.count == need { raw = inflated }
                } catch let breach as ReaderLimitBreach { throw breach } catch {}
            }
            try allowance.spend(raw.count, at: "jsonpickle \(path)", detail: "numpy array data")
            return try SafeConstructors.makeArray(dtype, shape, fortran && shape.count > 1, raw, path: "jsonpickle \(path)", offset: 0)
        }
        // Text: nested lists in C order (or one scalar for a 0-d array).
        let restored = try restore(values, depth: depth + 1)
        var leaves: [PyValue] = []
        var found: [Int] = []
        Self.flatten(restored, into: &leaves, shape: &found)
        try allowance.spend(count: leaves.count, of: MemoryLayout<PyValue>.stride + dtype.itemSize, at: "jsonpickle \(path)", detail: "numpy array values")
        let finalShape = shape ?? found
        let count = try Self.byteCount(finalShape, 1, fail: fail)
        guard count == leaves.count else { throw fail("shape \(finalShape) needs \(count) values and the list holds \(leaves.count)") }
        let isFortran = fortran && finalShape.count > 1
        var storage = leaves
        if isFortran {
            let order = NDArray(dtype: dtype, shape: finalShape, fortranOrder: true, data: []).storageOrder()
            for (c, p) in order.enumerated() { storage[p] = leaves[c] }
        }
        if dtype.kind == "O" {
            return NDArray(dtype: dtype, shape: finalShape, fortranOrder: isFortran, data: [], objects: storage)
        }
        // The allowance above charged each value the dtype's item size, which the document
        // only declares (a record dtype declaring an itemsize of 40 TB once trapped here).
        let need = try Self.byteCount(finalShape, dtype.itemSize, fail: fail)
        var raw: [UInt8] = []
        raw.reserveCapacity(need)
        for v in storage { try Self.encode(v, as: dtype, into: &raw, fail: fail) }
        return NDArray(dtype: dtype, shape: finalShape, fortranOrder: isFortran, data: raw)
    }

    /// The leaves of nested lists in C order, and the shape their nesting gives.
    static func flatten(_ v: PyValue, into leaves: inout [PyValue], shape: inout [Int]) {
        guard case .list(let top) = v else { leaves = [v]; shape = []; return }
        var level: [PyValue] = [.list(top)]
        while true {
            var next: [PyValue] = []
            var width: Int?
            var uniform = true
            for e in level {
                guard case .list(let l) = e, width == nil || width == l.items.count else { uniform = false; break }
                width = l.items.count
                next.append(contentsOf: l.items)
            }
            guard uniform, let w = width else { break }
            shape.append(w)
            level = next
            if w == 0 { break }
        }
        leaves = level
    }

    static func byteCount(_ shape: [Int], _ itemSize: Int, fail: (String) -> PythonObjectsError) throws -> Int {
        var n = itemSize
        for s in shape {
            guard s >= 0 else { throw fail("negative dimension in shape \(shape)") }
            let (c, o) = n.multipliedReportingOverflow(by: s)
            guard !o else { throw fail("shape \(shape) overflows") }
            n = c
        }
        return n
    }

    /// A copy of the elements of `base`'s memory that a view (offset, strides) selects, in
    /// C order, or in F order when the view is Fortran- but not C-contiguous.
    static func view(of base: NDArray, dtype: NumpyDType, shape: [Int], offset: Int, strides: [Int]?, fail: (String) -> PythonObjectsError) throws -> NDArray {
        let size = dtype.itemSize
        let n = try byteCount(shape, 1, fail: fail)
        var cStrides = [Int](repeating: size, count: shape.count)
        var s = size
        for a in shape.indices.reversed() {
            cStrides[a] = s
            s = s.multipliedReportingOverflow(by: max(shape[a], 1)).partialValue
        }
        let st = strides ?? cStrides
        guard st.count == shape.count else { throw fail("strides \(st) for shape \(shape)") }
        let isObject = base.objects != nil
        guard isObject == (dtype.kind == "O") else { throw fail("a \(dtype.descr) view of a \(base.dtype.descr) array") }
        let memory = isObject ? (base.objects?.count ?? 0) * 8 : base.data.count
        if n == 0 { return NDArray(dtype: dtype, shape: shape, fortranOrder: false, data: [], objects: isObject ? [] : nil) }
        var lo = offset, hi = offset
        for a in shape.indices where shape[a] > 1 {
            let (ext, o) = st[a].multipliedReportingOverflow(by: shape[a] - 1)
            guard !o else { throw fail("strides \(st) overflow") }
            let (moved, o2) = ext < 0 ? lo.addingReportingOverflow(ext) : hi.addingReportingOverflow(ext)
            guard !o2 else { throw fail("strides \(st) overflow") }
            if ext < 0 { lo = moved } else { hi = moved }
        }
        guard lo >= 0, hi <= memory - size else {
            throw PythonObjectsError.invalidArray(path: "jsonpickle view", reason: "offset \(offset), shape \(shape) and strides \(st) reach outside the base's \(memory) bytes")
        }
        func contiguous(_ axes: [Int]) -> Bool {
            var expect = size
            for a in axes where shape[a] != 1 {
                if st[a] != expect { return false }
                expect *= shape[a]
            }
            return true
        }
        let isC = contiguous(Array(shape.indices.reversed()))
        let isF = contiguous(Array(shape.indices))
        let fortran = isF && !isC && shape.count > 1
        // Walk the elements in the output order: the last axis fastest (C) or the first (F).
        let axes = fortran ? Array(shape.indices) : Array(shape.indices.reversed())
        var index = [Int](repeating: 0, count: shape.count)
        var data: [UInt8] = []
        var objects: [PyValue] = []
        if isObject { objects.reserveCapacity(n) } else { data.reserveCapacity(n * size) }
        for _ in 0..<n {
            var p = offset
            for a in shape.indices { p += index[a] * st[a] }
            if isObject {
                guard p % 8 == 0, let all = base.objects else { throw fail("an object view at byte \(p)") }
                objects.append(all[p / 8])
            } else {
                data.append(contentsOf: base.data[p..<(p + size)])
            }
            for a in axes {
                index[a] += 1
                if index[a] < shape[a] { break }
                index[a] = 0
            }
        }
        return NDArray(dtype: dtype, shape: shape, fortranOrder: fortran, data: data, objects: isObject ? objects : nil)
    }

    // MARK: dtypes and elements

    static let dtypeNames: [String: String] = [
        "bool": "|b1", "bool_": "|b1", "int8": "|i1", "uint8": "|u1", "int16": "<i2", "uint16": "<u2", "int32": "<i4", "uint32": "<u4",
        "int64": "<i8", "uint64": "<u8", "float16": "<f2", "float32": "<f4", "float64": "<f8", "complex64": "<c8",
        "complex128": "<c16", "object": "|O", "int": "<i8", "float": "<f8", "complex": "<c16", "str": "<U0", "bytes": "|S0",
    ]

    /// A numpy dtype from its `str()` (`float64`, `<U5`, `|S3`) or a structured dtype's
    /// Python literal (`{'names': ..., 'formats': ..., 'offsets': ..., 'itemsize': ...}` or
    /// `[('a', '<i8'), ...]`).
    static func dtype(_ text: String, fail: (String) -> PythonObjectsError) throws -> NumpyDType {
        if text.hasPrefix("{") || text.hasPrefix("[") { return try dtype(literal: try PythonLiteral.parse(text), fail: fail) }
        if let code = dtypeNames[text], let d = NumpyDType(typeString: code) { return d }
        if let d = NumpyDType(typeString: text) { return d }
        throw fail("the dtype '\(text.prefix(80))' is not one this reader knows")
    }

    static func dtype(literal: PyValue, fail: (String) -> PythonObjectsError) throws -> NumpyDType {
        func one(_ v: PyValue) throws -> NumpyDType {
            switch v {
            case .string(let s): return try dtype(s, fail: fail)
            case .dict, .list: return try dtype(literal: v, fail: fail)
            default: throw fail("a structured dtype field of \(v.kindName) (subarrays are not supported)")
            }
        }
        var fields: [NumpyDType.Field] = []
        var itemSize = 0
        switch literal {
        case .dict(let d):
            let names = SafeConstructors.items(d["names"] ?? .none)
            let formats = SafeConstructors.items(d["formats"] ?? .none)
            guard names.count == formats.count, !names.isEmpty else { throw fail("a structured dtype needs as many names as formats") }
            let offsets = d["offsets"].flatMap { SafeConstructors.ints($0) }
            var next = 0
            for (k, (nameValue, format)) in zip(names, formats).enumerated() {
                guard case .string(let name) = nameValue else { throw fail("a structured dtype name is \(nameValue.kindName)") }
                let fd = try one(format)
                let off = offsets.map { k < $0.count ? $0[k] : next } ?? next
                fields.append(.init(name: name, dtype: fd, offset: off))
                next = off + fd.itemSize
                itemSize = max(itemSize, next)
            }
            if case .int(let s)? = d["itemsize"] { itemSize = Int(s) }
        case .list(let l):
            for entry in l.items {
                guard case .tuple(let t) = entry, t.count == 2, case .string(let name) = t[0] else { throw fail("a structured dtype entry is \(entry.kindName), not (name, format)") }
                let fd = try one(t[1])
                fields.append(.init(name: name, dtype: fd, offset: itemSize))
                itemSize += fd.itemSize
            }
        default:
            throw fail("a dtype literal of \(literal.kindName)")
        }
        for f in fields where f.offset < 0 || f.offset + f.dtype.itemSize > itemSize { throw fail("field \(f.name) lies outside the record of \(itemSize) bytes") }
        return NumpyDType(kind: "V", itemSize: itemSize, byteOrder: .notApplicable, fields: fields)
    }

    /// Appends the bytes of one element.
    static func encode(_ v: PyValue, as d: NumpyDType, into out: inout [UInt8], fail: (String) -> PythonObjectsError) throws {
        if let fields = d.fields {
            let parts = SafeConstructors.items(v)
            guard parts.count == fields.count else { throw fail("a record of \(parts.count) values for \(fields.count) fields") }
            var record = [UInt8](repeating: 0, count: d.itemSize)
            for (f, p) in zip(fields, parts) {
                var bytes: [UInt8] = []
                try encode(p, as: f.dtype, into: &bytes, fail: fail)
                record.replaceSubrange(f.offset..<(f.offset + bytes.count), with: bytes)
            }
            out.append(contentsOf: record)
            return
        }
        func put(_ bits: UInt64, _ size: Int) {
            var le = (0..<size).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) }
            if d.byteOrder == .big { le.reverse() }
            out.append(contentsOf: le)
        }
        func double(_ v: PyValue) throws -> Double {
            switch v {
            case .float(let x): return x
            case .int(let i): return Double(i)
            case .bool(let b): return b ? 1 : 0
            case .bigInt(let b): return Double(PyValue.decimal(ofTwosComplement: b)) ?? .nan
            default: throw fail("\(v.kindName) in a \(d.descr) array")
            }
        }
        func float(_ x: Double, _ size: Int) throws {
            switch size {
            case 8: put(x.bitPattern, 8)
            case 4: put(UInt64(Float(x).bitPattern), 4)
            case 2: put(UInt64(Float16(Float(x)).bitPattern), 2)
            default: throw fail("a float of \(size) bytes")
            }
        }
        guard d.itemSize <= 16 || "USV".contains(d.kind) else { throw fail("elements of \(d.itemSize) bytes") }
        switch d.kind {
        case "b":
            switch v {
            case .bool(let b): put(b ? 1 : 0, 1)
            case .int(let i): put(i != 0 ? 1 : 0, 1)
            default: throw fail("\(v.kindName) in a bool array")
            }
        case "i", "u":
            guard d.itemSize <= 8 else { throw fail("integers of \(d.itemSize) bytes") }
            switch v {
            case .int(let i): put(UInt64(bitPattern: i), d.itemSize)
            case .bool(let b): put(b ? 1 : 0, d.itemSize)
            case .bigInt(let b):
                var le = Array(b.prefix(d.itemSize))
                while le.count < d.itemSize { le.append(b.last.map { $0 & 0x80 != 0 ? 0xFF : 0 } ?? 0) }
                if d.byteOrder == .big { le.reverse() }
                out.append(contentsOf: le)
            default: throw fail("\(v.kindName) in an integer array")
            }
        case "f": try float(try double(v), d.itemSize)
        case "c":
            if case .complex(let r, let i) = v { try float(r, d.itemSize / 2); try float(i, d.itemSize / 2) } else { try float(try double(v), d.itemSize / 2); try float(0, d.itemSize / 2) }
        case "U":
            guard case .string(let s) = v else { throw fail("\(v.kindName) in a str array") }
            let scalars = Array(s.unicodeScalars)
            guard scalars.count * 4 <= d.itemSize else { throw fail("a str of \(scalars.count) characters in \(d.descr)") }
            for c in scalars { put(UInt64(c.value), 4) }
            out.append(contentsOf: [UInt8](repeating: 0, count: d.itemSize - scalars.count * 4))
        case "S", "V":
            guard let b = SafeConstructors.bytesOf(v) else { throw fail("\(v.kindName) in a \(d.descr) array") }
            guard b.count <= d.itemSize else { throw fail("\(b.count) bytes in \(d.descr)") }
            out.append(contentsOf: b + [UInt8](repeating: 0, count: d.itemSize - b.count))
        default:
            throw fail("elements of dtype \(d.descr) (kind \(d.kind))")
        }
    }

    // MARK: encodings

    /// Two's complement little-endian bytes of a decimal int (pickle's LONG form).
    static func twosComplement(decimal text: String) throws -> [UInt8] {
        var digits = Substring(text)
        let negative = digits.hasPrefix("-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw PythonObjectsError.container(reason: "jsonpickle: the int \(text.prefix(40)) is not a decimal")
        }
        // Converting decimal text is quadratic in its length; Python refuses the same ints.
        guard digits.count <= PickleRun.maxDecimalDigits else {
            throw PythonObjectsError.container(reason: "jsonpickle: an int of \(digits.count) decimal digits; Python itself refuses more than \(PickleRun.maxDecimalDigits)")
        }
        var mag: [UInt8] = []   // little-endian base 256
        for ch in digits.utf8 {
            var carry = Int(ch - 0x30)
            for k in mag.indices { let v = Int(mag[k]) * 10 + carry; mag[k] = UInt8(v & 0xFF); carry = v >> 8 }
            while carry > 0 { mag.append(UInt8(carry & 0xFF)); carry >>= 8 }
        }
        if mag.isEmpty { mag = [0] }
        mag.append(0)   // room for the sign bit
        if negative {
            var carry = 1
            for k in mag.indices { let v = Int(~mag[k]) + carry; mag[k] = UInt8(v & 0xFF); carry = v >> 8 }
        }
        // Shortest form that keeps the sign.
        while mag.count > 1, (mag[mag.count - 1] == 0 && mag[mag.count - 2] & 0x80 == 0) || (mag[mag.count - 1] == 0xFF && mag[mag.count - 2] & 0x80 != 0) {
            mag.removeLast()
        }
        return mag
    }

    static let base85Alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~".utf8)

    /// Python's `base64.b85decode`.
    static func base85(_ s: String) throws -> [UInt8] {
        var table = [Int](repeating: -1, count: 256)
        for (k, c) in base85Alphabet.enumerated() { table[Int(c)] = k }
        var chars = Array(s.utf8)
        let padding = (5 - chars.count % 5) % 5
        chars += [UInt8](repeating: UInt8(ascii: "~"), count: padding)
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 5 * 4)
        var k = 0
        while k < chars.count {
            var acc: UInt64 = 0
            for c in chars[k..<(k + 5)] {
                let v = table[Int(c)]
                guard v >= 0 else { throw PythonObjectsError.container(reason: "jsonpickle: py/b85 holds '\(Character(Unicode.Scalar(c)))', which is not base85") }
                acc = acc * 85 + UInt64(v)
            }
            guard acc <= 0xFFFF_FFFF else { throw PythonObjectsError.container(reason: "jsonpickle: py/b85 group \(k / 5) overflows") }
            out += [UInt8(acc >> 24 & 0xFF), UInt8(acc >> 16 & 0xFF), UInt8(acc >> 8 & 0xFF), UInt8(acc & 0xFF)]
            k += 5
        }
        out.removeLast(padding)
        return out
    }
}
