/// BitShift: x shifted by y bits, `direction` "LEFT" or "RIGHT", with broadcasting.
/// Unsigned types shift logically; signed types (opset 28) shift right
/// arithmetically. A shift by a negative amount or by the type's width or more gives
/// 0 (right shifts of negative signed values give -1).
struct BitShift: Operator {
    static let opType = "BitShift"
    static let sinceVersions: [Int64] = [11, 28]
    let left: Bool
    init(_ c: OpContext) throws {
        switch try c.string("direction") {
        case "LEFT": left = true
        case "RIGHT": left = false
        case let d: throw InterpreterError.badAttribute(node: c.nodeName, attribute: "direction", message: "must be LEFT or RIGHT, not '\(d)'")
        }
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), y = try context.tensor(inputs, 1)
        guard x.dataType == y.dataType, Arithmetic.family(x.dataType) == .integer, let width = Arithmetic.bitWidth(x.dataType) else {
            throw context.invalid("BitShift takes two tensors of one integer type (got \(x.dataType) and \(y.dataType))")
        }
        let unsigned = Arithmetic.isUnsigned(x.dataType), left = self.left
        let w = Int64(width)
        // Values arrive sign-extended (signed) or zero-extended (unsigned) in Int64.
        let f: (Int64, Int64) -> Int64 = { v, s in
            let outOfRange = unsigned ? (UInt64(bitPattern: s) >= UInt64(w)) : (s < 0 || s >= w)
            if left {
                return outOfRange ? 0 : v << s
            }
            if outOfRange { return (!unsigned && v < 0) ? -1 : 0 }
            if unsigned && width == 64 { return Int64(bitPattern: UInt64(bitPattern: v) >> UInt64(s)) }
            return v >> s
        }
        return [.tensor(try Arithmetic.binary(x, y, context, float: { a, _ in a }, double: { a, _ in a }, integer: f))]
    }
}
