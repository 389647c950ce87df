import ONNX

/// Reading sequence inputs and positions for the sequence ops.
enum SequenceSupport {
    static func sequence(_ inputs: [Value?], _ i: Int, _ context: RunContext) throws -> (items: [Value], type: TypeProto?) {
        guard i < inputs.count, let v = inputs[i] else { throw context.invalid("input \(i) is missing") }
        switch v {
        case .sequence(let items, let t): return (items, t)
        case .optional(.some(.sequence(let items, let t)), _): return (items, t)
        default: throw context.invalid("input \(i) is a \(v), not a sequence")
        }
    }

    /// The element type a sequence of these tensors has.
    static func elementType(of items: [Value], fallback: TypeProto?) -> TypeProto? {
        if case .tensor(let t)? = items.first { return .tensor(t.dataType, nil) }
        return fallback
    }

    /// A position scalar in [-count, limit) made non-negative.
    static func position(_ t: TensorValue, count: Int, limit: Int, _ context: RunContext) throws -> Int {
        guard t.count == 1 else { throw context.invalid("position must be a scalar") }
        var p = try t.int64s()[0]
        if p < 0 { p += Int64(count) }
        guard p >= 0, p < Int64(limit) else { throw context.invalid("position \(try t.int64s()[0]) is out of range for a sequence of \(count)") }
        return Int(p)
    }
}
