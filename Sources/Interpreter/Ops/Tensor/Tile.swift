/// Tile: repeats the input along each axis (opset 1: `tiles` copies along `axis`;
/// opset 6+: one repeat count per axis).
struct Tile: Operator {
    static let opType = "Tile"
    static let sinceVersions: [Int64] = [1, 6, 13]
    let version: Int64
    init(_ c: OpContext) throws { version = c.sinceVersion }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        var repeats: [Int]
        if version == 1 {
            let tiles = try context.tensor(inputs, 1).ints().first ?? 1
            let axis = try TensorSupport.axis(Int64(try context.tensor(inputs, 2).ints().first ?? 0), rank: x.rank, context.nodeName)
            repeats = [Int](repeating: 1, count: x.rank)
            repeats[axis] = tiles
        } else {
            repeats = try context.tensor(inputs, 1).ints()
        }
        guard repeats.count == x.rank, repeats.allSatisfy({ $0 >= 0 }) else {
            throw context.invalid("repeats \(repeats) do not fit rank \(x.rank)")
        }
        try TensorSupport.bounded(repeats, "repeats", context.nodeName, limit: 1 << 32)
        let shape = zip(x.shape, repeats).map { $0 * $1 }
        let n = try TensorSupport.count(shape, context.nodeName)
        _ = n
        let coords = (0..<x.rank).map { d in (0..<shape[d]).map { $0 % x.shape[d] } }
        let map = TensorSupport.productMap(coords, strides: x.strides, missing: -1)
        return [.tensor(x.gathered(map, shape: shape))]
    }
}
