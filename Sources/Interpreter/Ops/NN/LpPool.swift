import ONNX

/// LpPool: (sum over the window of |x|^p)^(1/p); p is a float at version 1, an int after.
struct LpPool: Operator {
    static let opType = "LpPool"
    static let sinceVersions: [Int64] = [1, 2, 11, 18, 22]
    let attributes: PoolAttributes
    let p: Double

    init(_ c: OpContext) throws {
        attributes = try PoolAttributes(c)
        p = c.sinceVersion == 1 ? Double(try c.float("p", default: 2)) : Double(try c.int("p", default: 2))
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let g = try PoolGeometry(shape: x.shape, attributes, context)
        let shape = [g.batch, g.channels] + g.output
        return [.tensor(try NN.real(x.dataType, shape: shape, context,
            float: { g.pool(try x.floats(), .lp(p)).0 },
            double: { g.pool(try x.doubles(), .lp(p)).0 }))]
    }
}
