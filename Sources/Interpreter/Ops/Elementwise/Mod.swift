/// Mod: the remainder of a / b with broadcasting. With `fmod=0` the result takes the
/// divisor's sign (numpy's `mod`, also for floats); with `fmod=1` the dividend's (C's
/// `fmod`). An integer remainder by zero is an error.
struct Mod: Operator {
    static let opType = "Mod"
    static let sinceVersions: [Int64] = [10, 13, 28]
    let fmod: Bool
    init(_ c: OpContext) throws { fmod = try c.int("fmod", default: 0) != 0 }

    /// numpy's floating `mod`: fmod, moved into the divisor's sign; zero takes the divisor's sign.
    static func floorMod<T: FloatingPoint>(_ a: T, _ b: T) -> T {
        guard b != 0 else { return .nan }
        var m = a.truncatingRemainder(dividingBy: b)
        if m != 0 {
            if (b < 0) != (m < 0) { m += b }
        } else {
            m = T(signOf: b, magnitudeOf: 0)
        }
        return m
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let a = try context.tensor(inputs, 0), b = try context.tensor(inputs, 1)
        let zero = context.invalid("integer remainder by zero")
        let fmod = self.fmod
        return [.tensor(try Arithmetic.binary(
            a, b, context,
            float: { fmod ? $0.truncatingRemainder(dividingBy: $1) : Mod.floorMod($0, $1) },
            double: { fmod ? $0.truncatingRemainder(dividingBy: $1) : Mod.floorMod($0, $1) },
            integer: { x, y in
                guard y != 0 else { throw zero }
                let r = x.remainderReportingOverflow(dividingBy: y).partialValue
                if !fmod && r != 0 && ((r < 0) != (y < 0)) { return r &+ y }
                return r
            },
            unsigned: { x, y in
                guard y != 0 else { throw zero }
                return x % y
            }))]
    }
}
