import Foundation
import ONNX

/// Element-type conversion for Cast and CastLike, following onnx's reference (numpy
/// `astype` with ml_dtypes):
///
/// - floats to integers truncate toward zero, then wrap to the target's width
///   (sub-byte types too: float 9 cast to int4 is -7); NaN and values beyond 64 bits
///   become Int64.min's bits first, as x86 does;
/// - integers to narrower integers wrap; anything to bool is "non-zero" (NaN is true);
/// - to float16/bfloat16/float8/float4/float6: round to nearest even; float8 kinds
///   saturate to the largest finite value when `saturate` (infinities included),
///   float4/float6 always saturate, float8e8m0 follows `round_mode`;
/// - strings parse as numbers ("INF", "+INF", "-INF", "NaN" in any case); numbers
///   print as numpy's `str` does (shortest round-trip digits, positional between
///   1e-4 and 1e16, `True`/`False` for bools).
enum ElementCast {
    static func cast(_ t: TensorValue, to target: DataType, saturate: Bool,
                     rounding: MiniFloatEncoding.E8M0Rounding, _ context: RunContext) throws -> TensorValue {
        guard target.isKnown, target != .complex64, target != .complex128 else {
            throw InterpreterError.unsupportedType(target, context: "\(context.nodeName): Cast target")
        }
        if t.dataType == target { return t }
        let shape = t.shape
        switch t.storage {
        case .string(let s): return try fromStrings(s, to: target, shape: shape, saturate: saturate, rounding: rounding, context)
        case .complex64, .complex128: throw InterpreterError.unsupportedType(t.dataType, context: "\(context.nodeName): Cast source")
        default: break
        }
        if target == .string { return TensorValue(strings: try strings(t), shape: shape) }
        if target == .bool {
            if case .double(let a) = t.storage { return TensorValue(bools: a.map { $0 != 0 }, shape: shape) }
            if Arithmetic.family(t.dataType) == .integer { return TensorValue(bools: try t.int64s().map { $0 != 0 }, shape: shape) }
            return TensorValue(bools: try t.bools(), shape: shape)
        }
        let sourceIsInteger = Arithmetic.family(t.dataType) == .integer || t.dataType == .bool
        if sourceIsInteger && (Arithmetic.family(target) == .integer) {
            return try Arithmetic.integerTensor(try t.int64s(), target, shape)
        }
        if target == .double { return TensorValue(doubles: try t.doubles(), shape: shape) }
        switch t.storage {
        case .double, .uint64:
            return try fromDoubles(try t.doubles(), to: target, shape: shape, saturate: saturate, rounding: rounding)
        default:
            return try fromFloats(try t.floats(), to: target, shape: shape, saturate: saturate, rounding: rounding)
        }
    }

    /// The bits of `x` truncated toward zero as a 64-bit integer (unsigned values up to
    /// 2^64 keep their bits; NaN, infinities and beyond give Int64.min).
    @inline(__always) static func truncatedBits(_ x: Double) -> Int64 {
        guard x.isFinite else { return Int64.min }
        let t = x.rounded(.towardZero)
        if t >= -9_223_372_036_854_775_808.0 && t < 9_223_372_036_854_775_808.0 { return Int64(t) }
        if t >= 0 && t < 18_446_744_073_709_551_616.0 { return Int64(bitPattern: UInt64(t)) }
        return Int64.min
    }

    static func fromFloats(_ v: [Float], to target: DataType, shape: [Int], saturate: Bool,
                           rounding: MiniFloatEncoding.E8M0Rounding) throws -> TensorValue {
        switch target {
        case .float: return TensorValue(floats: v, shape: shape)
        case .double: return TensorValue(doubles: v.map { Double($0) }, shape: shape)
        case .float16: return TensorValue(unchecked: target, shape: shape, storage: .float16(v.map { Float16($0) }))
        case .bfloat16: return TensorValue(unchecked: target, shape: shape, storage: .bfloat16(v.map { BFloat16($0) }))
        case .bool: return TensorValue(bools: v.map { $0 != 0 }, shape: shape)
        case .float8e8m0:
            return TensorValue(unchecked: target, shape: shape, storage: .bits8(v.map { MiniFloatEncoding.encodeE8M0($0, saturate: saturate, mode: rounding) }))
        default:
            if let f = MiniFloatFormat.format(for: target) {
                let encode = MiniFloatEncoding.Encoder(f, saturate: saturate)
                return TensorValue(unchecked: target, shape: shape, storage: .bits8(v.map { encode($0) }))
            }
            guard Arithmetic.family(target) == .integer else { throw InterpreterError.unsupportedType(target, context: "Cast target") }
            return try Arithmetic.integerTensor(v.map { truncatedBits(Double($0)) }, target, shape)
        }
    }

    static func fromDoubles(_ v: [Double], to target: DataType, shape: [Int], saturate: Bool,
                            rounding: MiniFloatEncoding.E8M0Rounding) throws -> TensorValue {
        switch target {
        case .double: return TensorValue(doubles: v, shape: shape)
        case .float: return TensorValue(floats: v.map { Float($0) }, shape: shape)
        case .float16: return TensorValue(unchecked: target, shape: shape, storage: .float16(v.map { Float16($0) }))
        case .bool: return TensorValue(bools: v.map { $0 != 0 }, shape: shape)
        default:
            if Arithmetic.family(target) == .integer {
                return try Arithmetic.integerTensor(v.map(truncatedBits), target, shape)
            }
            return try fromFloats(v.map { Float($0) }, to: target, shape: shape, saturate: saturate, rounding: rounding)
        }
    }

    // MARK: strings

    /// A number from a string as Cast reads it; nil when it is not one.
    static func parseDouble(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces)
        switch t.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        guard !t.isEmpty, !t.lowercased().hasPrefix("0x"), !t.lowercased().hasPrefix("-0x") else { return nil }
        return Double(t)
    }

    static func fromStrings(_ s: [String], to target: DataType, shape: [Int], saturate: Bool,
                            rounding: MiniFloatEncoding.E8M0Rounding, _ context: RunContext) throws -> TensorValue {
        func bad(_ v: String) -> InterpreterError { context.invalid("cannot cast the string \"\(v)\" to \(target)") }
        switch target {
        case .string:
            return TensorValue(strings: s, shape: shape)
        case .bool:
            return TensorValue(bools: try s.map { v in
                if let d = parseDouble(v) { return d != 0 }
                switch v.trimmingCharacters(in: .whitespaces).lowercased() {
                case "true": return true
                case "false": return false
                default: throw bad(v)
                }
            }, shape: shape)
        case .float:
            return TensorValue(floats: try s.map { v in
                let t = v.trimmingCharacters(in: .whitespaces)
                if let d = parseDouble(t), !d.isFinite { return Float(d) }
                guard parseDouble(t) != nil, let f = Float(t) else { throw bad(v) }
                return f
            }, shape: shape)
        default:
            if Arithmetic.family(target) == .integer {
                let bits: [Int64] = try s.map { v in
                    let t = v.trimmingCharacters(in: .whitespaces)
                    if let i = Int64(t) { return i }
                    if let u = UInt64(t) { return Int64(bitPattern: u) }
                    guard let d = parseDouble(t) else { throw bad(v) }
                    return truncatedBits(d)
                }
                return try Arithmetic.integerTensor(bits, target, shape)
            }
            let d: [Double] = try s.map { v in
                guard let d = parseDouble(v) else { throw bad(v) }
                return d
            }
            return try fromDoubles(d, to: target, shape: shape, saturate: saturate, rounding: rounding)
        }
    }

    /// Elements printed as numpy's `astype(str)` prints them.
    static func strings(_ t: TensorValue) throws -> [String] {
        switch t.storage {
        case .string(let a): return a
        case .bool(let a): return a.map { $0 ? "True" : "False" }
        case .float(let a): return a.map { numpyStyle($0.description) }
        case .double(let a): return a.map { numpyStyle($0.description) }
        case .float16(let a): return a.map { numpyStyle(shortest($0)) }
        case .uint64(let a): return a.map { String($0) }
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32: return try t.int64s().map { String($0) }
        case .bfloat16, .bits8:
            // ml_dtypes prints its types through C++ streams: `%g`, six significant digits.
            return try t.floats().map { $0.isNaN ? "nan" : String(format: "%g", Double($0)) }
        case .complex64, .complex128: throw InterpreterError.unsupportedType(t.dataType, context: "Cast to string")
        }
    }

    /// The shortest digits that read back as the same float16 (Swift's own description
    /// spells integers below 2^24 in full: 65504 rather than numpy's 65500).
    static func shortest(_ v: Float16) -> String {
        guard v.isFinite, v != 0 else { return v.description }
        for p in 0..<5 {
            let s = String(format: "%.\(p)e", Double(v))
            if let d = Double(s), Float16(d) == v { return s }
        }
        return v.description
    }

    /// Rewrites Swift's shortest round-trip description of a float ("1.2345679e+08",
    /// "1e-05", "100.0") in numpy's layout: positional when the decimal exponent is in
    /// [-4, 16), otherwise scientific with at least two exponent digits.
    static func numpyStyle(_ description: String) -> String {
        var s = Substring(description)
        if s == "inf" || s == "-inf" || s == "nan" || s == "-nan" { return s == "-nan" ? "nan" : String(s) }
        if s.hasPrefix("+") { s = s.dropFirst() }
        let negative = s.hasPrefix("-")
        if negative { s = s.dropFirst() }
        var exp10 = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exp10 = Int(s[s.index(after: e)...]) ?? 0
            s = s[..<e]
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = parts.first.map(String.init) ?? ""
        let fracPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = Array(intPart + fracPart)
        var point = intPart.count + exp10
        while let f = digits.first, f == "0" { digits.removeFirst(); point -= 1 }
        while let l = digits.last, l == "0" { digits.removeLast() }
        let sign = negative ? "-" : ""
        if digits.isEmpty { return sign + "0.0" }
        let e = point - 1
        if e < -4 || e >= 16 {
            var out = sign + String(digits[0])
            if digits.count > 1 { out += "." + String(digits[1...]) }
            let mag = abs(e)
            return out + "e" + (e < 0 ? "-" : "+") + (mag < 10 ? "0" : "") + String(mag)
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + String(digits) }
        if point >= digits.count { return sign + String(digits) + String(repeating: "0", count: point - digits.count) + ".0" }
        return sign + String(digits[..<point]) + "." + String(digits[point...])
    }
}
