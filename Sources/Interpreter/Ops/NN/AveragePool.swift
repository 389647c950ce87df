import ONNX

/// AveragePool: the mean of each window, dividing by the taps inside the input, or
/// (count_include_pad) by the taps inside the padded input.
struct AveragePool: Operator {
    static let opType = "AveragePool"
    static let sinceVersions: [Int64] = [1, 7, 10, 11, 19, 22]
    let attributes: PoolAttributes
    let includePad: Bool

    init(_ c: OpContext) throws {
        attributes = try PoolAttributes(c)
        includePad = c.sinceVersion >= 7 ? try c.int("count_include_pad", default: 0) != 0 : false
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let g = try PoolGeometry(shape: x.shape, attributes, context)
        let shape = [g.batch, g.channels] + g.output
        return [.tensor(try NN.real(x.dataType, shape: shape, context,
            float: { g.pool(try x.floats(), .average(includePad: includePad)).0 },
            double: { g.pool(try x.doubles(), .average(includePad: includePad)).0 }))]
    }
}
