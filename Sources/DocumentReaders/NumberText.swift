#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers written as text in byte buffers (model.txt fields and the like), parsed
/// without making Strings: float64 correctly rounded (an exact fast path, else strtod),
/// integers exactly. Accepts what strtod accepts for decimals, plus `inf`/`nan` words.
public enum NumberText {
    /// The float64 of the bytes in `b[s..<e]`, or nil when they are not a number.
    public static func double(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Double? {
        guard s < e else { return nil }
        if validDecimal(b, s, e) {
            let start = b[s] == UInt8(ascii: "+") ? s + 1 : s
            if let d = fastDouble(b, start, e) { return d }
        }
        var scratch = [CChar]()
        scratch.reserveCapacity(e - s + 1)
        for k in s..<e { scratch.append(CChar(bitPattern: b[k])) }
        scratch.append(0)
        return scratch.withUnsafeBufferPointer { q -> Double? in
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(q.baseAddress!, &end)
            return end == UnsafeMutablePointer(mutating: q.baseAddress! + (e - s)) ? v : nil
        }
    }

    /// The integer in `b[s..<e]` (optional sign, digits), or nil.
    public static func integer(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        var k = s
        var negative = false
        if k < e, b[k] == UInt8(ascii: "-") || b[k] == UInt8(ascii: "+") { negative = b[k] == UInt8(ascii: "-"); k += 1 }
        guard k < e, e - k <= 18 else { return nil }
        var v = 0
        while k < e {
            guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
            v = v * 10 + Int(b[k] - 0x30)
            k += 1
        }
        return negative ? -v : v
    }

    /// Whether the bytes are exactly `-?digits[.digits][e[+-]digits]` (the fast path
    /// stops at the first other byte; this makes sure nothing follows).
    static func validDecimal(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var k = s
        func digits() -> Int { let a = k; while k < e, b[k] >= 0x30, b[k] <= 0x39 { k += 1 }; return k - a }
        if k < e, b[k] == UInt8(ascii: "-") || b[k] == UInt8(ascii: "+") { k += 1 }
        var n = digits()
        if k < e, b[k] == UInt8(ascii: ".") { k += 1; n += digits() }
        guard n > 0 else { return false }
        if k < e, b[k] == UInt8(ascii: "e") || b[k] == UInt8(ascii: "E") {
            k += 1
            if k < e, b[k] == UInt8(ascii: "-") || b[k] == UInt8(ascii: "+") { k += 1 }
            guard digits() > 0 else { return false }
        }
        return k == e
    }

    /// The correctly rounded float64 of the literal in b[start..<end], when the classic
    /// exact fast path applies: at most 19 significant digits whose value M is below
    /// 2^53 and a decimal exponent e with |e| <= 22, so M and 10^|e| are exact doubles and
    /// one multiplication or division rounds once. Nil otherwise (strtod decides).
    static func fastDouble(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var k = start
        var negative = false
        if b[k] == UInt8(ascii: "-") { negative = true; k += 1 }
        var m: UInt64 = 0, digits = 0, exponent = 0
        while k < end, b[k] >= 0x30, b[k] <= 0x39 {
            if m != 0 || b[k] != 0x30 { digits += 1 }
            if digits > 19 { return nil }
            m = m &* 10 &+ UInt64(b[k] - 0x30)
            k += 1
        }
        if k < end, b[k] == UInt8(ascii: ".") {
            k += 1
            while k < end, b[k] >= 0x30, b[k] <= 0x39 {
                if m != 0 || b[k] != 0x30 { digits += 1 }
                if digits > 19 { return nil }
                m = m &* 10 &+ UInt64(b[k] - 0x30)
                exponent -= 1
                k += 1
            }
        }
        if k < end, b[k] == UInt8(ascii: "e") || b[k] == UInt8(ascii: "E") {
            k += 1
            var sign = 1
            if b[k] == UInt8(ascii: "+") { k += 1 } else if b[k] == UInt8(ascii: "-") { sign = -1; k += 1 }
            var e = 0
            while k < end, b[k] >= 0x30, b[k] <= 0x39 {
                e = e * 10 + Int(b[k] - 0x30)
                if e > 400 { return nil }
                k += 1
            }
            exponent += sign * e
        }
        return exactDouble(mantissa: m, exponent: exponent, negative: negative)
    }

    static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { p, _ in p * 10 } }

    /// ±M × 10^exponent when the classic exact fast path applies: M below 2^53 and
    /// |exponent| <= 22 make M and 10^|exponent| exact doubles, so one multiplication or
    /// division rounds once. Nil otherwise (strtod decides). M must come from at most 19
    /// significant digits.
    @inline(__always)
    static func exactDouble(mantissa m: UInt64, exponent: Int, negative: Bool) -> Double? {
        guard m <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        var d = Double(m)
        if exponent < 0 { d /= powersOfTen[-exponent] } else { d *= powersOfTen[exponent] }
        return negative ? -d : d
    }
}
