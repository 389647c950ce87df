/// Why a document could not be read, or did not have the shape a reader expected.
public enum DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not valid JSON: byte offset, 1-based line and column, what was wrong.
    case jsonSyntax(offset: Int, line: Int, column: Int, message: String)
    /// The bytes are not valid UBJSON: byte offset and what was wrong.
    case ubjsonSyntax(offset: Int, message: String)
    /// A member the reader needs is absent (path of the object, key).
    case missingMember(path: String, key: String)
    /// A value has another type than expected (path, expected, found).
    case wrongType(path: String, expected: String, found: String)
    /// A value is out of the range the reader accepts (path, what is wrong).
    case invalidValue(path: String, reason: String)

    /// One line a user can act on.
    public var description: String {
        switch self {
        case .jsonSyntax(let o, let l, let c, let m): return "invalid JSON at line \(l), column \(c) (byte \(o)): \(m)"
        case .ubjsonSyntax(let o, let m): return "invalid UBJSON at byte \(o): \(m)"
        case .missingMember(let p, let k): return "\(p) has no member '\(k)'"
        case .wrongType(let p, let e, let f): return "\(p) is \(f), expected \(e)"
        case .invalidValue(let p, let r): return "\(p): \(r)"
        }
    }
}

/// A value together with its path from the document root (`learner.objective.name`,
/// `trees[3].split_indices`), so that every accessor's error names the place.
public struct DocumentNode: Sendable {
    /// The value.
    public let value: DocumentValue
    /// Where it is, e.g. `learner.gradient_booster.model.trees[2]`.
    public let path: String

    /// A node; the root's path is usually `$` or a file name.
    public init(_ value: DocumentValue, path: String) {
        self.value = value
        self.path = path
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The object member `key` (the last one when the key repeats).
    /// - Throws: `DocumentError.wrongType` when this is not an object, `.missingMember`.
    public func member(_ key: String) throws -> DocumentNode {
        guard let m = try optionalMember(key) else { throw DocumentError.missingMember(path: path, key: key) }
        return m
    }

    /// The object member `key`, or nil when absent (or null).
    /// - Throws: `DocumentError.wrongType` when this is not an object.
    public func optionalMember(_ key: String) throws -> DocumentNode? {
        guard case .object(let members) = value else { throw DocumentError.wrongType(path: path, expected: "an object", found: value.kindName) }
        guard let v = members.last(where: { $0.key == key })?.value else { return nil }
        if case .null = v { return nil }
        return DocumentNode(v, path: child(key))
    }

    /// Whether this is an object with member `key`.
    public func has(_ key: String) -> Bool {
        guard case .object(let members) = value else { return false }
        return members.contains { $0.key == key }
    }

    /// The object's members in document order, as nodes (repeated keys appear each
    /// time). Walking these is linear; looking each key up with `member` is quadratic.
    /// - Throws: `DocumentError.wrongType` when this is not an object.
    public func members() throws -> [(key: String, node: DocumentNode)] {
        guard case .object(let members) = value else { throw DocumentError.wrongType(path: path, expected: "an object", found: value.kindName) }
        return members.map { ($0.key, DocumentNode($0.value, path: child($0.key))) }
    }

    /// The object's keys in order.
    public var keys: [String] {
        guard case .object(let members) = value else { return [] }
        return members.map(\.key)
    }

    /// The elements of an array (packed number arrays give number nodes).
    /// - Throws: `DocumentError.wrongType`.
    public func elements() throws -> [DocumentNode] {
        switch value {
        case .array(let a): return a.enumerated().map { DocumentNode($1, path: "\(path)[\($0)]") }
        case .numbers(let n):
            return (0..<n.count).map {
                DocumentNode(.number(DocumentNumber(double: n.doubles[$0], float: n.float(at: $0), integer: n.allIntegers ? Int64(exactly: n.doubles[$0]) : nil)), path: "\(path)[\($0)]")
            }
        default: throw DocumentError.wrongType(path: path, expected: "an array", found: value.kindName)
        }
    }

    /// The string value.
    /// - Throws: `DocumentError.wrongType`.
    public func string() throws -> String {
        guard case .string(let s) = value else { throw DocumentError.wrongType(path: path, expected: "a string", found: value.kindName) }
        return s
    }

    /// The boolean value (JSON true/false, or the numbers 0 and 1).
    /// - Throws: `DocumentError.wrongType`.
    public func bool() throws -> Bool {
        switch value {
        case .bool(let b): return b
        case .number(let n) where n.integer == 0 || n.integer == 1: return n.integer == 1
        default: throw DocumentError.wrongType(path: path, expected: "a boolean", found: value.kindName)
        }
    }

    /// The number value.
    /// - Throws: `DocumentError.wrongType`.
    public func number() throws -> DocumentNumber {
        guard case .number(let n) = value else { throw DocumentError.wrongType(path: path, expected: "a number", found: value.kindName) }
        return n
    }

    /// An integer: an integer number, or a string holding one (XGBoost writes many
    /// parameters as strings, e.g. `"num_class": "3"`).
    /// - Throws: `DocumentError.wrongType`, `.invalidValue` when it is not an integer.
    public func integer() throws -> Int {
        switch value {
        case .number(let n):
            if let i = n.integer, let v = Int(exactly: i) { return v }
            if let v = Int(exactly: n.double) { return v }
            throw DocumentError.invalidValue(path: path, reason: "\(n.double) is not an integer")
        case .string(let s):
            guard let v = Int(s.trimmingSpaces) else { throw DocumentError.invalidValue(path: path, reason: "'\(s)' is not an integer") }
            return v
        default: throw DocumentError.wrongType(path: path, expected: "an integer", found: value.kindName)
        }
    }

    /// A float64: a number, or a string holding one.
    /// - Throws: `DocumentError.wrongType`, `.invalidValue`.
    public func double() throws -> Double {
        switch value {
        case .number(let n): return n.double
        case .string(let s):
            guard let v = Double(s.trimmingSpaces) else { throw DocumentError.invalidValue(path: path, reason: "'\(s)' is not a number") }
            return v
        default: throw DocumentError.wrongType(path: path, expected: "a number", found: value.kindName)
        }
    }

    /// A float32 rounded once from the source: a number, or a string holding one.
    /// - Throws: `DocumentError.wrongType`, `.invalidValue`.
    public func float() throws -> Float {
        switch value {
        case .number(let n): return n.float
        case .string(let s):
            guard let v = Float(s.trimmingSpaces) else { throw DocumentError.invalidValue(path: path, reason: "'\(s)' is not a number") }
            return v
        default: throw DocumentError.wrongType(path: path, expected: "a number", found: value.kindName)
        }
    }

    /// A packed array of numbers (an empty array gives an empty one).
    /// - Throws: `DocumentError.wrongType` when this is not an array of numbers.
    public func numbers() throws -> NumberArray {
        switch value {
        case .numbers(let n): return n
        case .array(let a):
            var d: [Double] = [], f: [Float] = [], ints = true
            d.reserveCapacity(a.count)
            f.reserveCapacity(a.count)
            for (i, e) in a.enumerated() {
                switch e {
                case .number(let n):
                    d.append(n.double); f.append(n.float); if n.integer == nil { ints = false }
                case .bool(let b):
                    d.append(b ? 1 : 0); f.append(b ? 1 : 0)
                default:
                    throw DocumentError.wrongType(path: "\(path)[\(i)]", expected: "a number", found: e.kindName)
                }
            }
            return NumberArray(doubles: d, floats: f, allIntegers: ints)
        default: throw DocumentError.wrongType(path: path, expected: "an array of numbers", found: value.kindName)
        }
    }

    /// An array of integers.
    /// - Throws: `DocumentError.wrongType`, `.invalidValue` for a non-integer element.
    public func integers() throws -> [Int] {
        let n = try numbers()
        var out: [Int] = []
        out.reserveCapacity(n.count)
        for (i, v) in n.doubles.enumerated() {
            guard let x = Int(exactly: v) else { throw DocumentError.invalidValue(path: "\(path)[\(i)]", reason: "\(v) is not an integer") }
            out.append(x)
        }
        return out
    }

    /// An array of strings.
    /// - Throws: `DocumentError.wrongType`.
    public func strings() throws -> [String] {
        if case .numbers(let n) = value, n.count == 0 { return [] }
        return try elements().map { try $0.string() }
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeLast() }
        return s
    }
}
