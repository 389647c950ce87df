import ONNX

/// CumSum: running sums along the axis input; exclusive leaves out the element itself,
/// reverse runs from the end.
struct CumSum: Operator {
    static let opType = "CumSum"
    static let sinceVersions: [Int64] = [11, 14]
    let exclusive: Bool, reverse: Bool

    init(_ c: OpContext) throws {
        exclusive = try c.int("exclusive", default: 0) != 0
        reverse = try c.int("reverse", default: 0) != 0
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let av = try context.tensor(inputs, 1).int64s()
        guard av.count == 1 else { throw context.invalid("axis must be a scalar, has \(av.count) elements") }
        guard x.rank >= 1 else { throw context.invalid("CumSum needs an input of rank >= 1") }
        let a = try NN.axis(av[0], rank: x.rank, context)
        let outer = NN.product(x.shape[..<a]), n = x.shape[a], inner = NN.product(x.shape[(a + 1)...])
        func scan<T>(_ v: [T], zero: T, add: (T, T) -> T) -> [T] {
            var y = [T](repeating: zero, count: v.count)
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * n * inner + i
                    var s = zero
                    for step in 0..<n {
                        let j = reverse ? n - 1 - step : step
                        let p = base + j * inner
                        if exclusive { y[p] = s; s = add(s, v[p]) } else { s = add(s, v[p]); y[p] = s }
                    }
                }
            }
            return y
        }
        switch x.dataType {
        case .float, .float16, .bfloat16:
            return [.tensor(try NN.tensor(scan(try x.floats(), zero: 0, add: +), x.dataType, shape: x.shape))]
        case .double:
            return [.tensor(TensorValue(doubles: scan(try x.doubles(), zero: 0, add: +), shape: x.shape))]
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
            return [.tensor(try .converting(scan(try x.int64s(), zero: 0, add: { $0 &+ $1 }), to: x.dataType, shape: x.shape))]
        default:
            throw InterpreterError.unsupportedType(x.dataType, context: "CumSum")
        }
    }
}
