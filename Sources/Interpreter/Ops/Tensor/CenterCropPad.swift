/// CenterCropPad: crops or zero-pads the given axes (default all) to the shape input,
/// keeping the content centred (the extra element goes to the end).
struct CenterCropPad: Operator {
    static let opType = "CenterCropPad"
    static let sinceVersions: [Int64] = [18]
    let axes: [Int64]?
    init(_ c: OpContext) throws { axes = try c.intsIfPresent("axes") }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let target = try context.tensor(inputs, 1).ints()
        let ax = try TensorSupport.axes(axes ?? (0..<Int64(x.rank)).map { $0 }, rank: x.rank, context.nodeName)
        guard target.count == ax.count, target.allSatisfy({ $0 >= 0 }) else {
            throw context.invalid("shape \(target) does not fit axes \(ax)")
        }
        var shape = x.shape
        // Output coordinate o maps to input coordinate o + offset[d].
        var offset = [Int](repeating: 0, count: x.rank)
        for (i, a) in ax.enumerated() {
            let dim = x.shape[a], t = target[i]
            offset[a] = t <= dim ? (dim - t) / 2 : -((t - dim) / 2)
            shape[a] = t
        }
        _ = try TensorSupport.count(shape, context.nodeName)
        let coords = (0..<x.rank).map { d in (0..<shape[d]).map { o -> Int in
            let c = o + offset[d]
            return c < 0 || c >= x.shape[d] ? -1 : c
        } }
        let map = TensorSupport.productMap(coords, strides: x.strides, missing: x.count)
        let storage = try TensorSupport.appending(x, try TensorSupport.scalar(0, type: x.dataType), context.nodeName)
        return [.tensor(TensorValue(unchecked: x.dataType, shape: shape, storage: storage.rearranged { _ in map }))]
    }
}
