/// ScatterND: a copy of data with slices addressed by index tuples replaced (or
/// combined, opset 16+: add/mul, 18+: max/min) by updates.
struct ScatterND: Operator {
    static let opType = "ScatterND"
    static let sinceVersions: [Int64] = [11, 13, 16, 18]
    let reduction: ScatterSupport.Reduction
    init(_ c: OpContext) throws { reduction = try ScatterSupport.reduction(c) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let indices = try context.tensor(inputs, 1)
        let updates = try context.tensor(inputs, 2)
        let (map, shape) = try NDIndexing.slices(dataShape: x.shape, indices: indices, batchDims: 0, context.nodeName)
        guard updates.shape == shape else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "updates have shape \(updates.shape), expected \(shape)")
        }
        var targets: [Int] = []
        targets.reserveCapacity(updates.count)
        for base in map.bases { for j in 0..<map.sliceSize { targets.append(base + j) } }
        return [.tensor(try ScatterSupport.apply(x, updates: updates, targets: targets, reduction: reduction, context.nodeName))]
    }
}
