/// ConstantOfShape: a tensor of the shape input filled with the one-element `value`
/// attribute (default float32 zero).
struct ConstantOfShape: Operator {
    static let opType = "ConstantOfShape"
    static let sinceVersions: [Int64] = [9, 20, 21, 23, 24, 25]
    let value: TensorValue
    init(_ c: OpContext) throws {
        let v = try c.tensorIfPresent("value") ?? TensorValue(floats: [0], shape: [1])
        guard v.count == 1 else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "value", message: "must hold exactly one element, has \(v.count)")
        }
        value = v
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let shape = try context.tensor(inputs, 0).ints()
        let n = try TensorSupport.count(shape, context.nodeName)
        return [.tensor(value.gathered([Int](repeating: 0, count: n), shape: shape))]
    }
}
