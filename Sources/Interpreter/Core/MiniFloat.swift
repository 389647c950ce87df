import ONNX

/// The small float formats ONNX stores as bit codes (float8, float4, float6, e8m0):
/// decoding by formula, encoding by nearest representable value with ties to even.
public struct MiniFloatFormat: Sendable {
    public let exponentBits: Int
    public let mantissaBits: Int
    public let bias: Int
    /// e4m3fnuz/e5m2fnuz: the negative-zero code is the only NaN; no -0.
    public let fnuz: Bool
    /// e5m2: IEEE-style infinities and NaNs in the top exponent.
    public let ieee: Bool
    /// e4m3fn: only S.1111.111 is NaN.
    public let fnNaN: Bool
    /// float4/float6: no NaN or infinity at all.
    public let noSpecials: Bool
    public let totalBits: Int

    public static func format(for t: DataType) -> MiniFloatFormat? {
        switch t {
        case .float8e4m3fn: return .init(exponentBits: 4, mantissaBits: 3, bias: 7, fnuz: false, ieee: false, fnNaN: true, noSpecials: false, totalBits: 8)
        case .float8e4m3fnuz: return .init(exponentBits: 4, mantissaBits: 3, bias: 8, fnuz: true, ieee: false, fnNaN: false, noSpecials: false, totalBits: 8)
        case .float8e5m2: return .init(exponentBits: 5, mantissaBits: 2, bias: 15, fnuz: false, ieee: true, fnNaN: false, noSpecials: false, totalBits: 8)
        case .float8e5m2fnuz: return .init(exponentBits: 5, mantissaBits: 2, bias: 16, fnuz: true, ieee: false, fnNaN: false, noSpecials: false, totalBits: 8)
        case .float4e2m1: return .init(exponentBits: 2, mantissaBits: 1, bias: 1, fnuz: false, ieee: false, fnNaN: false, noSpecials: true, totalBits: 4)
        case .float6e2m3: return .init(exponentBits: 2, mantissaBits: 3, bias: 1, fnuz: false, ieee: false, fnNaN: false, noSpecials: true, totalBits: 6)
        case .float6e3m2: return .init(exponentBits: 3, mantissaBits: 2, bias: 3, fnuz: false, ieee: false, fnNaN: false, noSpecials: true, totalBits: 6)
        default: return nil
        }
    }

    var signBit: UInt8 { UInt8(1 << (totalBits - 1)) }

    /// The value a code stands for.
    public func decode(_ code: UInt8) -> Float {
        let c = code & UInt8((1 << totalBits) - 1)
        let negative = c & signBit != 0
        let mag = c & (signBit - 1)
        let e = Int(mag >> mantissaBits)
        let m = Int(mag & UInt8((1 << mantissaBits) - 1))
        let maxE = (1 << exponentBits) - 1
        if fnuz && c == signBit { return .nan }
        if ieee && e == maxE { return m == 0 ? (negative ? -.infinity : .infinity) : .nan }
        if fnNaN && e == maxE && m == (1 << mantissaBits) - 1 { return .nan }
        let v: Float
        if e == 0 {
            v = Float(m) * Float(sign: .plus, exponent: 1 - bias - mantissaBits, significand: 1)
        } else {
            v = (1 + Float(m) / Float(1 << mantissaBits)) * Float(sign: .plus, exponent: e - bias, significand: 1)
        }
        return negative ? -v : v
    }

    /// Finite non-negative values and their codes, ascending.
    private var positives: [(Float, UInt8)] {
        var out: [(Float, UInt8)] = []
        for c in 0..<Int(signBit) {
            let v = decode(UInt8(c))
            if v.isFinite && !(fnuz && c == Int(signBit)) { out.append((v, UInt8(c))) }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    public var nanCode: UInt8 {
        if fnuz { return signBit }
        if ieee { return UInt8((1 << totalBits) - 1) & ~signBit }  // S=0, exp all ones, mantissa all ones
        if fnNaN { return UInt8((1 << totalBits) - 1) & ~signBit }
        return 0
    }

    /// The code for `x`: nearest value, ties to the even code; beyond the largest
    /// finite value, `saturate` gives the largest, otherwise infinity (e5m2) or NaN.
    public func encode(_ x: Float, saturate: Bool = true) -> UInt8 {
        let table = positives
        if x.isNaN { return noSpecials ? 0 : nanCode }
        let negative = x.sign == .minus
        let a = abs(x)
        let maxFinite = table.last!.0
        var code: UInt8
        if a > maxFinite {
            // Past the largest value: round to it if within half a step and saturating rules allow.
            if saturate || noSpecials {
                code = table.last!.1
            } else if ieee {
                let prev = table[table.count - 2].0
                code = (a.isInfinite || a >= maxFinite + (maxFinite - prev) / 2) ? UInt8(((1 << exponentBits) - 1) << mantissaBits) : table.last!.1
            } else {
                let prev = table[table.count - 2].0
                if a.isInfinite || a >= maxFinite + (maxFinite - prev) / 2 { return nanCode }
                code = table.last!.1
            }
        } else {
            var lo = 0, hi = table.count - 1
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if table[mid].0 <= a { lo = mid } else { hi = mid }
            }
            let (vl, cl) = table[lo], (vh, ch) = table[hi]
            if a <= vl { code = cl } else if a >= vh { code = ch } else {
                let dl = a - vl, dh = vh - a
                code = dl < dh ? cl : (dh < dl ? ch : (cl & 1 == 0 ? cl : ch))
            }
        }
        if negative && !(fnuz && code == 0) { code |= signBit }
        return code
    }
}

/// float8e8m0: an exponent only (2^(e-127)); 0xFF is NaN.
public enum E8M0 {
    public static func decode(_ c: UInt8) -> Float {
        c == 0xFF ? .nan : Float(sign: .plus, exponent: Int(c) - 127, significand: 1)
    }
    /// Rounds up the exponent of |x| (the "saturate, round up" convention of the MX spec
    /// as onnx uses it by default).
    public static func encode(_ x: Float, saturate: Bool = true) -> UInt8 {
        if x.isNaN { return 0xFF }
        if x.isInfinite { return saturate ? 0xFE : 0xFF }
        let a = abs(x)
        if a == 0 || a < Float(sign: .plus, exponent: -127, significand: 1) { return 0 }
        var e = Int(a.exponent) + 127
        if a.significand > 1 { e += 1 }
        return UInt8(min(max(e, 0), 0xFE))
    }
}
