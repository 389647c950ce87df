/// Where: X where the condition holds, Y elsewhere; the three inputs broadcast
/// together. Works for every element type (the elements are only moved).
struct Where: Operator {
    static let opType = "Where"
    static let sinceVersions: [Int64] = [9, 16]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let cond = try context.tensor(inputs, 0), x = try context.tensor(inputs, 1), y = try context.tensor(inputs, 2)
        guard cond.dataType == .bool else { throw context.invalid("condition must be bool, not \(cond.dataType)") }
        guard x.dataType == y.dataType else { throw context.invalid("X is \(x.dataType) but Y is \(y.dataType)") }
        guard let shape = Broadcast.shape([cond.shape, x.shape, y.shape]) else {
            throw Arithmetic.broadcastFailure([cond.shape, x.shape, y.shape], context)
        }
        let c = try cond.bools()
        let ic = Broadcast.indexMap(from: cond.shape, to: shape)
        let ix = Broadcast.indexMap(from: x.shape, to: shape)
        let iy = Broadcast.indexMap(from: y.shape, to: shape)
        let offset = x.count
        var picks = [Int](repeating: 0, count: ic.count)
        for k in picks.indices { picks[k] = c[ic[k]] ? ix[k] : offset + iy[k] }
        guard let both = TensorStorage.concatenated([x.storage, y.storage]) else {
            throw context.invalid("X and Y hold different element storage")
        }
        let joined = TensorValue(unchecked: x.dataType, shape: [x.count + y.count], storage: both)
        return [.tensor(joined.gathered(picks, shape: shape))]
    }
}
