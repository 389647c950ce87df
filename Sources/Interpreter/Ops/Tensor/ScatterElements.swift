/// ScatterElements: data with updates[i][j][k] written at data[i][index[i][j][k]][k]
/// (axis 1; any axis), optionally reduced (opset 16+: add/mul, 18+: max/min).
struct ScatterElements: Operator {
    static let opType = "ScatterElements"
    static let sinceVersions: [Int64] = [11, 13, 16, 18]
    let axis: Int64
    let reduction: ScatterSupport.Reduction
    init(_ c: OpContext) throws {
        axis = try c.int("axis", default: 0)
        reduction = try ScatterSupport.reduction(c)
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        try ScatterElements.scatter(inputs, context, axis: axis, reduction: reduction)
    }

    static func scatter(_ inputs: [Value?], _ context: RunContext, axis: Int64, reduction: ScatterSupport.Reduction) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let indices = try context.tensor(inputs, 1)
        let updates = try context.tensor(inputs, 2)
        guard indices.rank == x.rank, updates.shape == indices.shape else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "data \(x.shape), indices \(indices.shape) and updates \(updates.shape) do not fit")
        }
        let a = try TensorSupport.axis(axis, rank: x.rank, context.nodeName)
        let targets = try ElementIndexing.flatIndices(dataShape: x.shape, indices: indices, axis: a, context.nodeName)
        return [.tensor(try ScatterSupport.apply(x, updates: updates, targets: targets, reduction: reduction, context.nodeName))]
    }
}

/// Scatter (deprecated in opset 11): ScatterElements without reduction.
struct Scatter: Operator {
    static let opType = "Scatter"
    static let sinceVersions: [Int64] = [9, 11]
    let axis: Int64
    init(_ c: OpContext) throws { axis = try c.int("axis", default: 0) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        try ScatterElements.scatter(inputs, context, axis: axis, reduction: .none)
    }
}
