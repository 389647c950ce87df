import ReaderLimits

/// Parses UBJSON (Universal Binary JSON, draft 12: big-endian, markers `Z N T F i U I l
/// L d D H C S [ {`, with the optimised `$type` / `#count` container headers) into a
/// `DocumentValue`. XGBoost's `.ubj` model files are UBJSON with typed arrays of float32
/// (`d`), int32 (`l`), int64 (`L`) and uint8 (`U`), which come out packed as `NumberArray`.
/// `ReaderLimits` bound the nesting depth, the elements of one container, the length of
/// a string and the memory the document takes: a typed container of a marker that has
/// no payload (`[$Z#L...`) costs no input bytes per element, so its count is charged
/// against the input-relative allowance before anything is built.
public struct UBJSONReader {
    /// Parses a whole document; trailing bytes are an error.
    /// - Throws: `DocumentError.ubjsonSyntax`, `ReaderLimitBreach`.
    public static func parse(_ bytes: [UInt8], limits: ReaderLimits = .default) throws -> DocumentValue {
        try bytes.withUnsafeBufferPointer { buffer in
            var p = UBJSONParser(b: buffer, limits: limits)
            let v = try p.value()
            while p.i < buffer.count, buffer[p.i] == UInt8(ascii: "N") { p.i += 1 }
            guard p.i == buffer.count else { throw DocumentError.ubjsonSyntax(offset: p.i, message: "\(buffer.count - p.i) bytes after the end of the document") }
            return v
        }
    }
}

struct UBJSONParser {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    var depth = 0
    let limits: ReaderLimits
    /// The memory the parsed values take, against the budget and the input's size.
    var allowance: ReaderAllowance

    init(b: UnsafeBufferPointer<UInt8>, limits: ReaderLimits = .default) {
        self.b = b
        self.limits = limits
        allowance = ReaderAllowance(limits: limits, inputBytes: b.count)
    }

    func fail(_ m: String, at o: Int? = nil) -> DocumentError { .ubjsonSyntax(offset: o ?? i, message: m) }

    mutating func byte() throws -> UInt8 {
        guard i < b.count else { throw fail("unexpected end of input") }
        defer { i += 1 }
        return b[i]
    }

    mutating func bigEndian(_ n: Int) throws -> UInt64 {
        guard i + n <= b.count else { throw fail("unexpected end of input in a \(n)-byte number") }
        var v: UInt64 = 0
        for k in 0..<n { v = v << 8 | UInt64(b[i + k]) }
        i += n
        return v
    }

    func markerName(_ m: UInt8) -> String {
        (m >= 0x21 && m < 0x7F) ? "'\(Character(Unicode.Scalar(m)))'" : "byte \(m)"
    }

    /// An integer of the type `m` (i U I l L), for lengths and counts.
    mutating func integer(marker m: UInt8) throws -> Int64? {
        switch m {
        case UInt8(ascii: "i"): return Int64(Int8(bitPattern: UInt8(try bigEndian(1))))
        case UInt8(ascii: "U"): return Int64(try bigEndian(1))
        case UInt8(ascii: "I"): return Int64(Int16(bitPattern: UInt16(try bigEndian(2))))
        case UInt8(ascii: "l"): return Int64(Int32(bitPattern: UInt32(try bigEndian(4))))
        case UInt8(ascii: "L"): return Int64(bitPattern: try bigEndian(8))
        default: return nil
        }
    }

    mutating func length() throws -> Int {
        let at = i
        let m = try byte()
        guard let n = try integer(marker: m) else { throw fail("expected an integer length, found marker \(markerName(m))", at: at) }
        guard n >= 0, n <= Int64(b.count) else { throw fail("invalid length \(n)", at: at) }
        return Int(n)
    }

    mutating func text() throws -> String {
        let at = i
        let n = try length()
        try limits.checkString(n, at: "byte \(at)")
        guard i + n <= b.count else { throw fail("a string of \(n) bytes runs past the end of input") }
        let s = String(decoding: UnsafeBufferPointer(rebasing: b[i..<(i + n)]), as: UTF8.self)
        i += n
        return s
    }

    mutating func value() throws -> DocumentValue {
        var m = try byte()
        while m == UInt8(ascii: "N") { m = try byte() }
        return try value(marker: m)
    }

    mutating func value(marker m: UInt8) throws -> DocumentValue {
        let at = i - 1
        switch m {
        case UInt8(ascii: "Z"): return .null
        case UInt8(ascii: "T"): return .bool(true)
        case UInt8(ascii: "F"): return .bool(false)
        case UInt8(ascii: "i"), UInt8(ascii: "U"), UInt8(ascii: "I"), UInt8(ascii: "l"), UInt8(ascii: "L"):
            let v = try integer(marker: m)!
            return .number(DocumentNumber(double: Double(v), float: Float(v), integer: v))
        case UInt8(ascii: "d"):
            let f = Float(bitPattern: UInt32(try bigEndian(4)))
            return .number(DocumentNumber(double: Double(f), float: f, integer: Self.integral(Double(f))))
        case UInt8(ascii: "D"):
            let d = Double(bitPattern: try bigEndian(8))
            return .number(DocumentNumber(double: d, float: Float(d), integer: Self.integral(d)))
        case UInt8(ascii: "H"):
            let s = try text()
            guard case .number(let n) = try JSONReader.parse(s, limits: limits) else { throw fail("high-precision number '\(s)' is not a number", at: at) }
            return .number(n)
        case UInt8(ascii: "C"): return .string(String(Character(Unicode.Scalar(try byte()))))
        case UInt8(ascii: "S"): return .string(try text())
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "{"): return try object()
        default: throw fail("unknown marker \(markerName(m))", at: at)
        }
    }

    static func integral(_ d: Double) -> Int64? { d.rounded() == d ? Int64(exactly: d) : nil }

    mutating func enter() throws {
        depth += 1
        try limits.checkDepth(depth, at: "byte \(i - 1)")
    }

    /// Markers whose value has no payload: a typed container of them costs no input
    /// bytes per element.
    static func isEmptyPayload(_ m: UInt8) -> Bool { m == UInt8(ascii: "Z") || m == UInt8(ascii: "T") || m == UInt8(ascii: "F") }

    /// Reads the optional `$type` and `#count` header of a container.
    mutating func header() throws -> (type: UInt8?, count: Int?) {
        var type: UInt8? = nil
        var count: Int? = nil
        if i < b.count, b[i] == UInt8(ascii: "$") {
            i += 1
            type = try byte()
            guard i < b.count, b[i] == UInt8(ascii: "#") else { throw fail("a typed container ($) needs a count (#)") }
        }
        if i < b.count, b[i] == UInt8(ascii: "#") {
            i += 1
            count = try length()
        }
        return (type, count)
    }

    mutating func array() throws -> DocumentValue {
        try enter()
        defer { depth -= 1 }
        let at = i - 1
        let (type, count) = try header()
        if let count { try limits.checkElements(count, at: "byte \(at)", detail: "an array's #count") }
        if let type, let count {
            if let packed = try packedNumbers(type: type, count: count) {
                try allowance.spend(count: count, of: MemoryLayout<Double>.stride, at: "byte \(at)")
                return .numbers(packed)
            }
            let detail = Self.isEmptyPayload(type) ? "a typed array of \(count) \(markerName(type)) values, which take no bytes" : nil
            try allowance.spend(count: count, of: MemoryLayout<DocumentValue>.stride, at: "byte \(at)", detail: detail)
            var out: [DocumentValue] = []
            out.reserveCapacity(Self.isEmptyPayload(type) ? count : min(count, b.count - i))
            for _ in 0..<count { out.append(try value(marker: type)) }
            return .array(out)
        }
        var out: [DocumentValue] = []
        if let count {
            out.reserveCapacity(min(count, b.count - i))
            for _ in 0..<count { out.append(try value()) }
        } else {
            while true {
                guard i < b.count else { throw fail("unexpected end of input in an array") }
                if b[i] == UInt8(ascii: "]") { i += 1; break }
                if out.count >= limits.maxElements { try limits.checkElements(out.count + 1, at: "byte \(i)") }
                out.append(try value())
            }
        }
        try allowance.spend(count: out.count, of: MemoryLayout<DocumentValue>.stride, at: "byte \(at)")
        // Untyped arrays of numbers are packed too, so readers see one shape.
        if !out.isEmpty, out.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
            var d: [Double] = [], f: [Float] = [], ints = true
            for case .number(let n) in out { d.append(n.double); f.append(n.float); if n.integer == nil { ints = false } }
            return .numbers(NumberArray(doubles: d, floats: f, allIntegers: ints))
        }
        if out.isEmpty { return .numbers(NumberArray(doubles: [], allIntegers: true)) }
        return .array(out)
    }

    /// A typed array of a numeric type, read in one pass; nil for other element types.
    mutating func packedNumbers(type: UInt8, count: Int) throws -> NumberArray? {
        let width: Int
        switch type {
        case UInt8(ascii: "i"), UInt8(ascii: "U"): width = 1
        case UInt8(ascii: "I"): width = 2
        case UInt8(ascii: "l"), UInt8(ascii: "d"): width = 4
        case UInt8(ascii: "L"), UInt8(ascii: "D"): width = 8
        default: return nil
        }
        guard count <= (b.count - i) / width else { throw fail("a typed array of \(count) elements runs past the end of input") }
        var d = [Double](repeating: 0, count: count)
        var exceptions: [Int: Float] = [:]
        for k in 0..<count {
            let raw = try bigEndian(width)
            switch type {
            case UInt8(ascii: "i"): d[k] = Double(Int8(bitPattern: UInt8(raw)))
            case UInt8(ascii: "U"): d[k] = Double(raw)
            case UInt8(ascii: "I"): d[k] = Double(Int16(bitPattern: UInt16(raw)))
            case UInt8(ascii: "l"): d[k] = Double(Int32(bitPattern: UInt32(raw)))
            case UInt8(ascii: "L"):
                let v = Int64(bitPattern: raw)
                d[k] = Double(v)
                // Beyond 2^53 float64 rounds first; keep the once-rounded float32.
                if !NumberArray.same(Float(v), Float(d[k])) { exceptions[k] = Float(v) }
            case UInt8(ascii: "d"): d[k] = Double(Float(bitPattern: UInt32(raw)))
            default: d[k] = Double(bitPattern: raw)
            }
        }
        let ints = !(type == UInt8(ascii: "d") || type == UInt8(ascii: "D"))
        return NumberArray(doubles: d, float32Exceptions: exceptions, allIntegers: ints)
    }

    mutating func object() throws -> DocumentValue {
        try enter()
        defer { depth -= 1 }
        let at = i - 1
        let (type, count) = try header()
        if let count { try limits.checkElements(count, at: "byte \(at)", detail: "an object's #count") }
        var members: [(key: String, value: DocumentValue)] = []
        var keys = DistinctKeys()
        func member(_ p: inout UBJSONParser) throws {
            let keyAt = p.i
            let key = try p.text()
            guard keys.insert(key) else { throw p.fail("the member name \"\(key)\" appears twice in one object", at: keyAt) }
            let v = try type.map { try p.value(marker: $0) } ?? p.value()
            members.append((key, v))
        }
        if let count {
            for _ in 0..<count { try member(&self) }
        } else {
            while true {
                guard i < b.count else { throw fail("unexpected end of input in an object") }
                if b[i] == UInt8(ascii: "}") { i += 1; break }
                if b[i] == UInt8(ascii: "N") { i += 1; continue }
                if members.count >= limits.maxElements { try limits.checkElements(members.count + 1, at: "byte \(i)") }
                try member(&self)
            }
        }
        try allowance.spend(count: members.count, of: MemoryLayout<(key: String, value: DocumentValue)>.stride, at: "byte \(at)")
        return .object(members)
    }
}
