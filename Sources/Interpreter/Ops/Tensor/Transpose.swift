/// Transpose: permutes the axes (default: reverses them).
struct Transpose: Operator {
    static let opType = "Transpose"
    static let sinceVersions: [Int64] = [1, 13, 21, 23, 24, 25]
    let perm: [Int64]?
    init(_ c: OpContext) throws { perm = try c.intsIfPresent("perm") }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let p: [Int]
        if let perm {
            guard perm.count == x.rank else { throw context.invalid("perm \(perm) does not match rank \(x.rank)") }
            p = try perm.map { try TensorSupport.axis($0, rank: x.rank, context.nodeName, what: "perm entry") }
            guard Set(p).count == p.count else { throw context.invalid("perm \(perm) is not a permutation") }
        } else {
            p = Array((0..<x.rank).reversed())
        }
        return [.tensor(TensorSupport.transposed(x, perm: p))]
    }
}
