import ONNX

/// CumProd: cumulative product along `axis` (a scalar input), optionally exclusive
/// (each element is the product of the ones before it, the first being 1) and/or in
/// reverse order. Integer products wrap like the element type does.
struct CumProd: Operator {
    static let opType = "CumProd"
    static let sinceVersions: [Int64] = [26]
    let exclusive: Bool
    let reverse: Bool
    init(_ c: OpContext) throws {
        exclusive = try c.int("exclusive", default: 0) != 0
        reverse = try c.int("reverse", default: 0) != 0
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let axisTensor = try context.tensor(inputs, 1)
        guard axisTensor.rank <= 1 else { throw context.invalid("axis must be a scalar (shape \(axisTensor.shape))") }
        let axisValue = try MiscSupport.scalarInt(axisTensor, "axis", context)
        guard x.rank > 0 else {
            guard axisValue == 0 || axisValue == -1 else { throw context.invalid("axis \(axisValue) is out of range for a scalar") }
            if exclusive { return [.tensor(try Self.one(like: x))] }
            return [.tensor(x)]
        }
        let axis = try MiscSupport.axis(axisValue, rank: x.rank, context)
        let len = x.shape[axis]
        let inner = x.shape[(axis + 1)...].reduce(1, *)
        let outer = x.shape[..<axis].reduce(1, *)

        func scan<T>(_ a: [T], one: T, _ mul: (T, T) -> T) -> [T] {
            var out = a
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * len * inner + i
                    var acc = one
                    for s in 0..<len {
                        let k = reverse ? len - 1 - s : s
                        let p = base + k * inner
                        if exclusive {
                            out[p] = acc
                            acc = mul(acc, a[p])
                        } else {
                            acc = mul(acc, a[p])
                            out[p] = acc
                        }
                    }
                }
            }
            return out
        }

        switch x.dataType {
        case .float:
            return [.tensor(TensorValue(floats: scan(try x.floats(), one: 1, *), shape: x.shape))]
        case .double, .float16, .bfloat16:
            return [.tensor(try MiscSupport.real(scan(try x.doubles(), one: 1, *), x.dataType, shape: x.shape))]
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
            // Wrapping products modulo 2^64 truncate to the same value as modulo 2^w.
            return [.tensor(try TensorValue.converting(scan(try x.int64s(), one: 1, &*), to: x.dataType, shape: x.shape))]
        default:
            throw InterpreterError.unsupportedType(x.dataType, context: "\(context.nodeName) CumProd")
        }
    }

    /// A scalar 1 of x's type (the exclusive product of a single element).
    static func one(like x: TensorValue) throws -> TensorValue {
        if x.dataType.isInteger { return try TensorValue.converting([Int64(1)], to: x.dataType, shape: x.shape) }
        return try MiscSupport.real([1.0], x.dataType, shape: x.shape)
    }
}
