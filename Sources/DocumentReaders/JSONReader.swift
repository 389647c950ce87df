import ReaderLimits
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses JSON (RFC 8259) into a `DocumentValue`.
///
/// Beyond the RFC it accepts the literals `NaN`, `Infinity` and `-Infinity` (Python's
/// `json.dumps` writes them) and a leading UTF-8 byte order mark. Numbers are rounded once
/// to each of float64 and float32 from their literal. Errors give the byte offset, line
/// and column. `ReaderLimits` bound the nesting depth, the elements of one array or
/// object, the length of a string and the memory the document takes.
public struct JSONReader {
    /// Parses a whole document; trailing content other than whitespace is an error.
    /// - Throws: `DocumentError.jsonSyntax`, `ReaderLimitBreach`.
    public static func parse(_ bytes: [UInt8], limits: ReaderLimits = .default) throws -> DocumentValue {
        try bytes.withUnsafeBufferPointer { buffer in
            var p = JSONParser(buffer, limits: limits)
            return try p.document()
        }
    }

    /// Parses a whole document held in a string.
    /// - Throws: `DocumentError.jsonSyntax`, `ReaderLimitBreach`.
    public static func parse(_ text: String, limits: ReaderLimits = .default) throws -> DocumentValue { try parse(Array(text.utf8), limits: limits) }
}

struct JSONParser {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    var depth = 0
    var scratch: [CChar] = []
    let limits: ReaderLimits
    /// The memory the parsed values take, against the budget and the input's size.
    var allowance: ReaderAllowance

    init(_ b: UnsafeBufferPointer<UInt8>, limits: ReaderLimits = .default) {
        self.b = b
        self.limits = limits
        allowance = ReaderAllowance(limits: limits, inputBytes: b.count)
    }

    /// Where the parser is, for a limit's message.
    func place(_ offset: Int? = nil) -> String {
        guard case .jsonSyntax(let o, let line, let column, _) = fail("", at: offset) else { return "byte \(offset ?? i)" }
        return "line \(line), column \(column) (byte \(o))"
    }

    func fail(_ message: String, at offset: Int? = nil) -> DocumentError {
        let o = min(offset ?? i, b.count)
        var line = 1, column = 1
        for k in 0..<o { if b[k] == 0x0A { line += 1; column = 1 } else { column += 1 } }
        return .jsonSyntax(offset: o, line: line, column: column, message: message)
    }

    mutating func document() throws -> DocumentValue {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        skipSpace()
        guard i < b.count else { throw fail("the document is empty") }
        let v = try value()
        skipSpace()
        guard i == b.count else { throw fail("unexpected \(describe(b[i])) after the end of the document") }
        return v
    }

    mutating func skipSpace() {
        var k = i
        let end = b.count
        while k < end {
            let c = b[k]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { k += 1 } else { break }
        }
        i = k
    }

    func describe(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        let hex = Array("0123456789ABCDEF")
        return "byte 0x\(hex[Int(c >> 4)])\(hex[Int(c & 15)])"
    }

    mutating func value() throws -> DocumentValue {
        guard i < b.count else { throw fail("unexpected end of input, expected a value") }
        switch b[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "N"): try literal("NaN"); return .number(DocumentNumber(double: .nan, float: .nan, integer: nil))
        case UInt8(ascii: "I"): try literal("Infinity"); return .number(DocumentNumber(double: .infinity, float: .infinity, integer: nil))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected \(describe(b[i])), expected a value")
        }
    }

    mutating func literal(_ word: StaticString) throws {
        let start = i
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw fail("unexpected end of input in a literal", at: start) }
        let w = word.utf8Start
        for k in 0..<n where b[i + k] != w[k] { throw fail("invalid literal, expected \(word)", at: start) }
        i += n
    }

    mutating func enter() throws {
        depth += 1
        try limits.checkDepth(depth, at: place())
    }

    /// Charges a finished collection's storage to the allowance.
    mutating func charge(_ count: Int, of size: Int) throws {
        do { try allowance.spend(count: count, of: size, at: "") } catch var breach as ReaderLimitBreach {
            breach.place = place()
            throw breach
        }
    }

    /// Counts a collection's elements against `maxElements` as they arrive, and charges
    /// their storage once it is complete. Mutating although it changes nothing: a plain
    /// method called from the mutating parse copied the whole parser (240 bytes, the
    /// limits included) for every array element.
    mutating func checkCount(_ n: Int) throws {
        if n >= limits.maxElements { try limits.checkElements(n + 1, at: place()) }
    }

    mutating func object() throws -> DocumentValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        var members: [(key: String, value: DocumentValue)] = []
        var keys = DistinctKeys()
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail(i < b.count ? "expected a member name (a string), found \(describe(b[i]))" : "unexpected end of input in an object") }
            let keyAt = i
            let key = try string()
            guard keys.insert(key) else { throw fail("the member name \"\(key)\" appears twice in one object", at: keyAt) }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after the member name \"\(key)\"") }
            i += 1
            skipSpace()
            try checkCount(members.count)
            members.append((key, try value()))
            skipSpace()
            guard i < b.count else { throw fail("unexpected end of input in an object") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") {
                i += 1
                try charge(members.count, of: MemoryLayout<(key: String, value: DocumentValue)>.stride)
                return .object(members)
            }
            throw fail("expected ',' or '}' in an object, found \(describe(b[i]))")
        }
    }

    mutating func array() throws -> DocumentValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .numbers(NumberArray(doubles: [], allIntegers: true)) }
        // Arrays of numbers (the bulk of model files) are packed as they are read; the
        // first element of another kind switches to a general array.
        var doubles: [Double] = [], exceptions: [Int: Float] = [:], ints = true
        if i < b.count, b[i] == UInt8(ascii: "-") || (b[i] >= 0x30 && b[i] <= 0x39) {
            // A packed array: its commas up to the first ']' or '[' or '{' give its size, so
            // that it is allocated once (growing by doubling copies it about twice). The
            // count only sizes the storage; the elements are read below as always.
            var k = i, commas = 0
            let end = b.count
            while k < end {
                let c = b[k]
                if c == UInt8(ascii: ",") { commas += 1 } else if c == UInt8(ascii: "]") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { break }
                k += 1
            }
            try checkCount(commas)
            doubles.reserveCapacity(commas + 1)
        }
        var general: [DocumentValue]? = nil
        while true {
            skipSpace()
            // Numbers in a packed array skip the DocumentValue wrapper.
            if general == nil, i < b.count, b[i] == UInt8(ascii: "-") || (b[i] >= 0x30 && b[i] <= 0x39) {
                try checkCount(doubles.count)
                let n = try number()
                if !NumberArray.same(Float(n.double), n.float) { exceptions[doubles.count] = n.float }
                doubles.append(n.double)
                if n.integer == nil { ints = false }
                skipSpace()
                guard i < b.count else { throw fail("unexpected end of input in an array") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") {
                    i += 1
                    try charge(doubles.count, of: MemoryLayout<Double>.stride)
                    return .numbers(NumberArray(doubles: doubles, float32Exceptions: exceptions, allIntegers: ints))
                }
                throw fail("expected ',' or ']' in an array, found \(describe(b[i]))")
            }
            try checkCount(general?.count ?? doubles.count)
            let v = try value()
            if general == nil, case .number(let n) = v {
                if !NumberArray.same(Float(n.double), n.float) { exceptions[doubles.count] = n.float }
                doubles.append(n.double)
                if n.integer == nil { ints = false }
            } else {
                if general == nil {
                    // Mixed array: the packed numbers so far become general elements.
                    general = doubles.indices.map { k in
                        let d = doubles[k]
                        return .number(DocumentNumber(double: d, float: exceptions[k] ?? Float(d), integer: d.rounded() == d ? Int64(exactly: d) : nil))
                    }
                }
                general!.append(v)
            }
            skipSpace()
            guard i < b.count else { throw fail("unexpected end of input in an array") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") {
                i += 1
                if let g = general {
                    try charge(g.count, of: MemoryLayout<DocumentValue>.stride)
                    return .array(g)
                }
                try charge(doubles.count, of: MemoryLayout<Double>.stride)
                return .numbers(NumberArray(doubles: doubles, float32Exceptions: exceptions, allIntegers: ints))
            }
            throw fail("expected ',' or ']' in an array, found \(describe(b[i]))")
        }
    }

    mutating func number() throws -> DocumentNumber {
        let start = i
        var negative = false
        if b[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "I") {
                try literal("Infinity")
                return DocumentNumber(double: -.infinity, float: -.infinity, integer: nil)
            }
        }
        // One pass validates the literal and gathers what the exact fast path needs: the
        // significant digits as an integer M (while there are at most 19) and the decimal
        // exponent that scales it. Locals, not the parser's fields, keep the loop in registers.
        var m: UInt64 = 0, significant = 0, exponent = 0
        var k = i
        let end = b.count
        let digitsStart = k
        while k < end {
            let d = b[k] &- 0x30
            guard d <= 9 else { break }
            if m != 0 || d != 0 { significant += 1 }
            if significant <= 19 { m = m &* 10 &+ UInt64(d) } else { exponent += 1 }
            k += 1
        }
        guard k > digitsStart else { throw fail("a number needs digits after '-'", at: start) }
        if b[digitsStart] == 0x30, k - digitsStart > 1 { throw fail("a number may not have leading zeros", at: start) }
        var integral = true
        if k < end, b[k] == UInt8(ascii: ".") {
            integral = false
            k += 1
            let f = k
            while k < end {
                let d = b[k] &- 0x30
                guard d <= 9 else { break }
                if m != 0 || d != 0 { significant += 1 }
                if significant <= 19 { m = m &* 10 &+ UInt64(d); exponent -= 1 }
                k += 1
            }
            guard k > f else { i = k; throw fail("a number needs digits after '.'", at: start) }
        }
        if k < end, b[k] == UInt8(ascii: "e") || b[k] == UInt8(ascii: "E") {
            integral = false
            k += 1
            var sign = 1
            if k < end, b[k] == UInt8(ascii: "+") { k += 1 } else if k < end, b[k] == UInt8(ascii: "-") { sign = -1; k += 1 }
            let e = k
            var written = 0
            while k < end {
                let d = b[k] &- 0x30
                guard d <= 9 else { break }
                if written <= 400 { written = written * 10 + Int(d) }
                k += 1
            }
            guard k > e else { i = k; throw fail("a number needs digits in its exponent", at: start) }
            exponent += sign * written
        }
        i = k
        if integral, i - digitsStart <= 18 {
            let v = negative ? -Int64(m) : Int64(m)
            if negative && v == 0 { return DocumentNumber(double: -0.0, float: -0.0, integer: 0) }
            return DocumentNumber(double: Double(v), float: Float(v), integer: v)
        }
        if significant <= 19, let d = NumberText.exactDouble(mantissa: m, exponent: exponent, negative: negative) {
            return DocumentNumber(double: d, float: JSONParser.float32(ofCorrectlyRounded: d) ?? slowFloat(start: start), integer: integral ? Int64(exactly: d) : nil)
        }
        scratch.removeAll(keepingCapacity: true)
        for k in start..<i { scratch.append(CChar(bitPattern: b[k])) }
        scratch.append(0)
        let (d, f) = scratch.withUnsafeBufferPointer { p in (strtod(p.baseAddress!, nil), strtof(p.baseAddress!, nil)) }
        return DocumentNumber(double: d, float: f, integer: integral ? Int64(exactly: d) : nil)
    }

    /// Float(d) for a correctly rounded float64 d of some decimal v: equal to v rounded to
    /// float32 unless d sits exactly on a float32 midpoint (then v may lie on either side,
    /// and nil asks for the literal to be parsed as float32 directly). No midpoint lies
    /// strictly between v and d, since it would be a double nearer to v than d.
    static func float32(ofCorrectlyRounded d: Double) -> Float? {
        // In float32's normal binades (below the largest) a midpoint is a double whose 29
        // mantissa bits below float32's precision are exactly 1000...0.
        let biased = (d.bitPattern >> 52) & 0x7FF
        if biased >= 1023 - 126, biased < 1023 + 127 {
            return d.bitPattern & 0x1FFF_FFFF == 0x1000_0000 ? nil : Float(d)
        }
        let f = Float(d)
        if Double(f) == d || !d.isFinite { return f }
        let other = Double(f) < d ? f.nextUp : f.nextDown
        if f.isInfinite || other.isInfinite { return nil }
        return (Double(f) + Double(other)) / 2 == d ? nil : f
    }

    mutating func slowFloat(start: Int) -> Float {
        scratch.removeAll(keepingCapacity: true)
        for k in start..<i { scratch.append(CChar(bitPattern: b[k])) }
        scratch.append(0)
        return scratch.withUnsafeBufferPointer { strtof($0.baseAddress!, nil) }
    }

    mutating func string() throws -> String {
        let start = i
        i += 1
        // Fast path: no escapes.
        var k = i
        while k < b.count, b[k] != UInt8(ascii: "\""), b[k] != UInt8(ascii: "\\"), b[k] >= 0x20 { k += 1 }
        if k - i > limits.maxStringBytes { try limits.checkString(k - i, at: place(start)) }
        if k < b.count, b[k] == UInt8(ascii: "\"") {
            let s = String(decoding: UnsafeBufferPointer(rebasing: b[i..<k]), as: UTF8.self)
            i = k + 1
            return s
        }
        var out: [UInt8] = Array(b[i..<k])
        i = k
        while true {
            guard i < b.count else { throw fail("unterminated string", at: start) }
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c < 0x20 { throw fail("a control character (\(describe(c))) inside a string must be escaped") }
            if out.count > limits.maxStringBytes { try limits.checkString(out.count, at: place(start)) }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < b.count else { throw fail("unterminated escape", at: start) }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800, scalar < 0xDC00 {
                    guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else { throw fail("a high surrogate must be followed by a low surrogate") }
                    i += 2
                    let low = try hex4()
                    guard low >= 0xDC00, low < 0xE000 else { throw fail("invalid low surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00, scalar < 0xE000 {
                    throw fail("a lone low surrogate")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid code point") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: i - 2)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count else { throw fail("unterminated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("invalid hex digit in a \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
