/// Expand: broadcasts the input to the shape input (both ways, as numpy does).
struct Expand: Operator {
    static let opType = "Expand"
    static let sinceVersions: [Int64] = [8, 13]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let dims = try context.tensor(inputs, 1).ints()
        guard dims.allSatisfy({ $0 >= 0 }), let shape = Broadcast.shape([x.shape, dims]) else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "cannot expand \(x.shape) to \(dims)")
        }
        _ = try TensorSupport.count(shape, context.nodeName)
        if shape == x.shape { return [.tensor(x)] }
        return [.tensor(x.gathered(Broadcast.indexMap(from: x.shape, to: shape), shape: shape))]
    }
}
