/// Unsqueeze: inserts size-1 axes at the given positions of the output; axes is an
/// attribute before opset 13 and an input from 13.
struct Unsqueeze: Operator {
    static let opType = "Unsqueeze"
    static let sinceVersions: [Int64] = [1, 11, 13, 21, 23, 24, 25]
    let axesAttribute: [Int64]?
    init(_ c: OpContext) throws {
        axesAttribute = c.sinceVersion >= 13 ? nil : try c.ints("axes")
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let axes = try axesAttribute ?? context.tensor(inputs, 1).int64s()
        let outRank = x.rank + axes.count
        let positions = Set(try TensorSupport.axes(axes, rank: outRank, context.nodeName))
        var shape: [Int] = []
        var k = 0
        for i in 0..<outRank {
            if positions.contains(i) { shape.append(1) } else { shape.append(x.shape[k]); k += 1 }
        }
        return [.tensor(try x.reshaped(shape))]
    }
}
