import ONNX

/// Float to small-float codes the way onnx's reference produces them (numpy with
/// ml_dtypes): round to nearest, ties to even, with the NaN codes ml_dtypes uses.
/// The codes are computed arithmetically from the format's parameters and match the
/// backend test data bit for bit (NaN codes, signed overflow, float4's NaN).
enum MiniFloatEncoding {
    /// The largest finite magnitude of a format.
    static func maxFinite(_ f: MiniFloatFormat) -> Double {
        let m = f.mantissaBits, top = (1 << f.exponentBits) - 1
        let mantissaSteps = Double(1 << m)
        if f.ieee { return (2 - 1 / mantissaSteps) * pow2(top - 1 - f.bias) }
        if f.fnNaN { return (2 - 2 / mantissaSteps) * pow2(top - f.bias) }
        return (2 - 1 / mantissaSteps) * pow2(top - f.bias)
    }

    static func pow2(_ e: Int) -> Double { Double(sign: .plus, exponent: e, significand: 1) }

    /// The code of the largest finite magnitude.
    static func maxCode(_ f: MiniFloatFormat) -> UInt8 {
        let m = f.mantissaBits, top = (1 << f.exponentBits) - 1
        if f.ieee { return UInt8(((top - 1) << m) | ((1 << m) - 1)) }
        if f.fnNaN { return UInt8((top << m) | ((1 << m) - 2)) }
        return UInt8((top << m) | ((1 << m) - 1))
    }

    /// The code for NaN with the given sign bit (`noSpecials` formats have no NaN; the
    /// backend data shows float4e2m1 NaN as the negative-zero code).
    static func nanCode(_ f: MiniFloatFormat, sign: UInt8) -> UInt8 {
        if f.fnuz { return f.signBit }
        if f.noSpecials { return f.signBit }
        let top = (1 << f.exponentBits) - 1
        if f.ieee { return sign | UInt8((top << f.mantissaBits) | (1 << (f.mantissaBits - 1))) }
        return sign | UInt8((top << f.mantissaBits) | ((1 << f.mantissaBits) - 1))
    }

    /// The code a value beyond the largest finite one gets without saturation.
    static func overflowCode(_ f: MiniFloatFormat, sign: UInt8) -> UInt8 {
        if f.noSpecials { return sign | maxCode(f) }
        if f.ieee { return sign | UInt8(((1 << f.exponentBits) - 1) << f.mantissaBits) }
        return nanCode(f, sign: sign)
    }

    /// A format's constants, computed once for a whole tensor.
    struct Encoder {
        let format: MiniFloatFormat
        let saturate: Bool
        let maxValue: Double
        let maxCode: UInt8

        init(_ f: MiniFloatFormat, saturate: Bool) {
            format = f
            self.saturate = saturate || f.noSpecials
            maxValue = MiniFloatEncoding.maxFinite(f)
            maxCode = MiniFloatEncoding.maxCode(f)
        }

        func callAsFunction(_ x: Float) -> UInt8 {
            let f = format
            let sign: UInt8 = x.sign == .minus ? f.signBit : 0
            if x.isNaN { return nanCode(f, sign: sign) }
            if x.isInfinite { return saturate ? sign | maxCode : overflowCode(f, sign: sign) }
            let a = Double(x.magnitude)
            let m = f.mantissaBits
            let emin = 1 - f.bias
            var code: UInt8
            if a == 0 {
                code = 0
            } else {
                let e = max(Int(a.exponent), emin)
                let quantum = pow2(e - m)
                let q = (a / quantum).rounded(.toNearestOrEven)
                if q * quantum > maxValue { return saturate ? sign | maxCode : overflowCode(f, sign: sign) }
                // q = 2^(m+1) (rounded up into the next binade) carries into the exponent field by the addition.
                if q < Double(1 << m) {
                    code = UInt8(q)  // subnormal (e == emin)
                } else {
                    code = UInt8(((e + f.bias) << m) + (Int(q) - (1 << m)))
                }
            }
            if code == 0 && f.fnuz { return 0 }
            return code | sign
        }
    }

    static func encode(_ x: Float, _ f: MiniFloatFormat, saturate: Bool) -> UInt8 {
        Encoder(f, saturate: saturate)(x)
    }

    /// float8e8m0 rounding modes (Cast's `round_mode`).
    enum E8M0Rounding: Sendable { case up, down, nearest }

    /// float8e8m0 from the float32 bits, as onnx's `to_float8e8m0` does: the exponent
    /// field, rounded per `mode`; NaN and infinities give 0xFF; with `saturate`,
    /// rounding never goes past 0xFE.
    static func encodeE8M0(_ x: Float, saturate: Bool, mode: E8M0Rounding) -> UInt8 {
        let bits = x.bitPattern
        var exponent = UInt16((bits >> 23) & 0xFF)
        if exponent == 0xFF { return 0xFF }
        let roundUp: Bool
        switch mode {
        case .down:
            roundUp = false
        case .up:
            roundUp = bits & 0x7F_FFFF != 0
        case .nearest:
            let g = bits & 0x40_0000 != 0, r = bits & 0x20_0000 != 0, s = bits & 0x1F_FFFF != 0
            roundUp = g && (r || s || exponent > 0)
        }
        if roundUp && !(saturate && exponent == 0xFE) { exponent += 1 }
        return UInt8(truncatingIfNeeded: exponent)
    }
}
