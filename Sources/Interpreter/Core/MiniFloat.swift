import ONNX

/// The small float formats ONNX stores as bit codes (float8, float4, float6, e8m0):
/// decoding by formula, encoding (MiniFloatEncoding) by nearest value with ties to even.
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

    /// The code for `x`: nearest value, ties to even; beyond the largest finite value,
    /// `saturate` gives the largest, otherwise infinity (e5m2) or NaN.
    public func encode(_ x: Float, saturate: Bool = true) -> UInt8 {
        MiniFloatEncoding.encode(x, self, saturate: saturate)
    }
}

/// float8e8m0: an exponent only (2^(e-127)); 0xFF is NaN.
public enum E8M0 {
    public static func decode(_ c: UInt8) -> Float {
        c == 0xFF ? .nan : Float(sign: .plus, exponent: Int(c) - 127, significand: 1)
    }
    /// The code for `x`, rounding the exponent up (Cast's default `round_mode`).
    public static func encode(_ x: Float, saturate: Bool = true) -> UInt8 {
        MiniFloatEncoding.encodeE8M0(x, saturate: saturate, mode: .up)
    }
}
