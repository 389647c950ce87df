import Foundation
import ONNX

/// Pow: x ^ y with broadcasting; the result has x's type. The exponent may be of
/// another numeric type (opset 12+). Integer bases with integer exponents multiply
/// exactly (wrapping); anything involving a float computes in Double and converts
/// back to x's type (truncating for integer x, like a C cast).
struct Pow: Operator {
    static let opType = "Pow"
    static let sinceVersions: [Int64] = [1, 7, 12, 13, 15]
    let legacy: LegacyBroadcast
    init(_ c: OpContext) throws { legacy = try LegacyBroadcast(c) }

    /// base^exponent by squaring, wrapping on overflow.
    static func integerPower(_ base: Int64, _ exponent: UInt64) -> Int64 {
        var result: Int64 = 1, b = base, e = exponent
        while e > 0 {
            if e & 1 == 1 { result = result &* b }
            e >>= 1
            if e > 0 { b = b &* b }
        }
        return result
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let (x, y) = try legacy.operands(inputs, context)
        let fail = { Arithmetic.broadcastFailure([x.shape, y.shape], context) }
        guard let fx = Arithmetic.family(x.dataType), let fy = Arithmetic.family(y.dataType),
              fx != .string, fx != .bool, fy != .string, fy != .bool else {
            throw context.invalid("Pow does not take \(x.dataType) ^ \(y.dataType)")
        }
        if fx == .integer && fy == .integer {
            let base = try x.int64s()
            let zero = context.invalid("Pow: zero to a negative integer power")
            var failure: Error?
            let r: (values: [Int64], shape: [Int])?
            if Arithmetic.isUnsigned(y.dataType) {
                r = Broadcast.binary(base, x.shape, try y.int64s().map { UInt64(bitPattern: $0) }, y.shape, Pow.integerPower)
            } else {
                r = Broadcast.binary(base, x.shape, try y.int64s(), y.shape) { b, e -> Int64 in
                    if e >= 0 { return Pow.integerPower(b, UInt64(e)) }
                    // The truncated real result: only ±1 survive a negative exponent.
                    switch b {
                    case 1: return 1
                    case -1: return e & 1 == 0 ? 1 : -1
                    case 0: if failure == nil { failure = zero }; return 0
                    default: return 0
                    }
                }
            }
            if let failure { throw failure }
            guard let r else { throw fail() }
            return [.tensor(try Arithmetic.integerTensor(r.values, x.dataType, r.shape))]
        }
        if case .float(let a) = x.storage, case .float(let b) = y.storage {
            guard let r = Broadcast.binary(a, x.shape, b, y.shape, { Float(Foundation.pow(Double($0), Double($1))) }) else { throw fail() }
            return [.tensor(TensorValue(floats: r.values, shape: r.shape))]
        }
        guard let r = Broadcast.binary(try x.doubles(), x.shape, try y.doubles(), y.shape, { Foundation.pow($0, $1) }) else { throw fail() }
        return [.tensor(try .converting(r.values, to: x.dataType, shape: r.shape))]
    }
}
