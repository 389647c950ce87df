import ONNX

/// Loop: runs the body while the trip count and condition allow, carrying the
/// loop-carried values and stacking the scan outputs along a new first axis.
struct Loop: Operator {
    static let opType = "Loop"
    static let sinceVersions: [Int64] = [1, 11, 13, 16, 19, 21, 23, 24, 25]
    let body: PreparedGraph

    init(_ c: OpContext) throws { body = try c.graph("body") }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let maxTrip = try context.optionalTensor(inputs, 0).map { try $0.int64s().first ?? 0 }
        var cond = try context.optionalTensor(inputs, 1).map { try $0.bools().first ?? true } ?? true
        var carried: [Value] = []
        for i in 2..<max(2, inputs.count) {
            guard let v = inputs[i] else { throw context.invalid("loop-carried input \(i) is missing") }
            carried.append(v)
        }
        let scanCount = body.outputNames.count - 1 - carried.count
        guard scanCount >= 0 else { throw context.invalid("the body has fewer outputs than loop-carried values") }
        var scans = [[Value]](repeating: [], count: scanCount)
        var i: Int64 = 0
        while cond && (maxTrip.map { i < $0 } ?? true) {
            let outs = try context.run(body, inputs: [.tensor(TensorValue(int64s: [i], shape: [])), .tensor(TensorValue(bools: [cond], shape: []))] + carried)
            guard outs.count == 1 + carried.count + scanCount else { throw context.invalid("the body returned \(outs.count) values") }
            cond = try outs[0].tensor.map { try $0.bools().first ?? false } ?? false
            carried = Array(outs[1..<(1 + carried.count)])
            for k in 0..<scanCount { scans[k].append(outs[1 + carried.count + k]) }
            i += 1
        }
        var result = carried
        for (k, items) in scans.enumerated() {
            result.append(try Loop.stack(items, emptyType: body.outputTypes[1 + carried.count + k], context: context))
        }
        return result
    }

    /// Stacks per-iteration tensors along a new axis 0 (sequences stay sequences).
    static func stack(_ items: [Value], emptyType: TypeProto?, context: RunContext) throws -> Value {
        guard let first = items.first else {
            let t = emptyType?.tensorElementType ?? .float
            let dims = emptyType?.tensorShape?.dims.map { Int($0.fixedValue ?? 0) } ?? []
            return .tensor(try TensorValue.zeros(t, shape: [0] + dims))
        }
        guard case .tensor(let t0) = first else { return .sequence(items, elementType: nil) }
        var parts: [TensorStorage] = []
        for v in items {
            guard case .tensor(let t) = v, t.shape == t0.shape, t.dataType == t0.dataType else {
                throw context.invalid("scan outputs differ in shape or type between iterations")
            }
            parts.append(t.storage)
        }
        guard let s = TensorStorage.concatenated(parts) else { throw context.invalid("scan outputs differ in type") }
        return .tensor(TensorValue(unchecked: t0.dataType, shape: [items.count] + t0.shape, storage: s))
    }
}
