/// Shrink: x + bias below -lambd, x - bias above lambd, 0 between (every numeric type;
/// integers compute in Double and convert back).
struct Shrink: Operator {
    static let opType = "Shrink"
    static let sinceVersions: [Int64] = [9]
    let lambd: Float
    let bias: Float
    init(_ c: OpContext) throws {
        lambd = try c.float("lambd", default: 0.5)
        bias = try c.float("bias", default: 0)
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let l = lambd, b = bias, dl = Double(lambd), db = Double(bias)
        switch Arithmetic.family(x.dataType) {
        case .float?, .double?:
            return [.tensor(try Arithmetic.floatUnary(x, context,
                                                      float: { $0 < -l ? $0 + b : ($0 > l ? $0 - b : 0) },
                                                      double: { $0 < -dl ? $0 + db : ($0 > dl ? $0 - db : 0) }))]
        case .integer?:
            let v = try x.doubles().map { $0 < -dl ? $0 + db : ($0 > dl ? $0 - db : 0) }
            return [.tensor(try .converting(v, to: x.dataType, shape: x.shape))]
        default:
            throw Arithmetic.unsupported(x.dataType, context)
        }
    }
}
