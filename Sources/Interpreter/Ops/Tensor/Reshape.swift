/// Reshape: the same elements under the shape input (0 copies a dim unless allowzero, -1 infers one).
struct Reshape: Operator {
    static let opType = "Reshape"
    static let sinceVersions: [Int64] = [5, 13, 14, 19, 21, 23, 24, 25]
    let allowZero: Bool
    init(_ c: OpContext) throws { allowZero = c.sinceVersion >= 14 ? try c.int("allowzero", default: 0) != 0 : false }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        var dims = try context.tensor(inputs, 1).ints()
        for i in dims.indices where dims[i] == 0 && !allowZero {
            guard i < x.rank else { throw context.invalid("shape has 0 at axis \(i) beyond the input's rank \(x.rank)") }
            dims[i] = x.shape[i]
        }
        guard dims.allSatisfy({ $0 >= -1 }), dims.filter({ $0 == -1 }).count <= 1 else {
            throw context.invalid("shape \(dims) has a negative dimension or more than one -1")
        }
        if let k = dims.firstIndex(of: -1) {
            var rest = dims
            rest.remove(at: k)
            let known = try TensorSupport.count(rest, context.nodeName)
            guard known > 0, x.count % known == 0 else { throw context.invalid("cannot infer -1 in \(dims) for \(x.count) elements") }
            dims[k] = x.count / known
        }
        guard dims.allSatisfy({ $0 >= 0 }), try TensorSupport.count(dims, context.nodeName) == x.count else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "cannot reshape \(x.shape) to \(dims)")
        }
        return [.tensor(try x.reshaped(dims))]
    }
}
