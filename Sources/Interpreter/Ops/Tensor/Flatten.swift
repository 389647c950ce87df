/// Flatten: a 2-D view [prod(shape[..<axis]), prod(shape[axis...])]; negative axes from opset 11.
struct Flatten: Operator {
    static let opType = "Flatten"
    static let sinceVersions: [Int64] = [1, 9, 11, 13, 21, 23, 24, 25]
    let axis: Int64
    init(_ c: OpContext) throws { axis = try c.int("axis", default: 1) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let r = Int64(x.rank)
        guard axis >= -r, axis <= r else { throw context.invalid("axis \(axis) is out of range for rank \(r)") }
        let a = Int(axis < 0 ? axis + r : axis)
        let outer = x.shape[..<a].reduce(1, *)
        let inner = x.shape[a...].reduce(1, *)
        return [.tensor(try x.reshaped([outer, inner]))]
    }
}
