/// IsNaN: true where x is NaN (bool output; every float type, float8 included).
struct IsNaN: Operator {
    static let opType = "IsNaN"
    static let sinceVersions: [Int64] = [9, 13, 20]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        switch x.storage {
        case .double(let a): return [.tensor(TensorValue(bools: a.map(\.isNaN), shape: x.shape))]
        case .float, .float16, .bfloat16, .bits8: return [.tensor(TensorValue(bools: try x.floats().map(\.isNaN), shape: x.shape))]
        default: throw Arithmetic.unsupported(x.dataType, context)
        }
    }
}
