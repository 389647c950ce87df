/// IsInf: true where x is +inf (when `detect_positive`) or -inf (when `detect_negative`).
struct IsInf: Operator {
    static let opType = "IsInf"
    static let sinceVersions: [Int64] = [10, 20]
    let positive: Bool
    let negative: Bool
    init(_ c: OpContext) throws {
        positive = try c.int("detect_positive", default: 1) != 0
        negative = try c.int("detect_negative", default: 1) != 0
    }
    func test<T: FloatingPoint>(_ v: T) -> Bool { v.isInfinite && (v > 0 ? positive : negative) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        switch x.storage {
        case .double(let a): return [.tensor(TensorValue(bools: a.map(test), shape: x.shape))]
        case .float, .float16, .bfloat16, .bits8: return [.tensor(TensorValue(bools: try x.floats().map(test), shape: x.shape))]
        default: throw Arithmetic.unsupported(x.dataType, context)
        }
    }
}
