/// Squeeze: removes size-1 axes (the listed ones, or all of them); axes is an attribute
/// before opset 13 and an optional input from 13.
struct Squeeze: Operator {
    static let opType = "Squeeze"
    static let sinceVersions: [Int64] = [1, 11, 13, 21, 23, 24, 25]
    let axesAttribute: [Int64]?
    let fromInput: Bool
    init(_ c: OpContext) throws {
        fromInput = c.sinceVersion >= 13
        axesAttribute = fromInput ? nil : try c.intsIfPresent("axes")
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let axes = fromInput ? try context.optionalTensor(inputs, 1)?.int64s() : axesAttribute
        var drop = Set<Int>()
        if let axes, !axes.isEmpty {
            for a in try TensorSupport.axes(axes, rank: x.rank, context.nodeName) {
                guard x.shape[a] == 1 else { throw context.invalid("cannot squeeze axis \(a) of size \(x.shape[a])") }
                drop.insert(a)
            }
        } else {
            for (i, d) in x.shape.enumerated() where d == 1 { drop.insert(i) }
        }
        let shape = x.shape.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        return [.tensor(try x.reshaped(shape))]
    }
}
