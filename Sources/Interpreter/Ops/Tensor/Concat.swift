/// Concat: joins tensors along an axis (negative axes from opset 11).
struct Concat: Operator {
    static let opType = "Concat"
    static let sinceVersions: [Int64] = [1, 4, 11, 13]
    let axis: Int64
    init(_ c: OpContext) throws { axis = try c.int("axis", default: 1) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        var parts: [TensorValue] = []
        for i in inputs.indices where inputs[i] != nil { parts.append(try context.tensor(inputs, i)) }
        return [.tensor(try Concat.join(parts, axis: axis, context.nodeName))]
    }

    /// Concatenates `parts` along `axis` (all of one element type and rank).
    static func join(_ parts: [TensorValue], axis: Int64, _ node: String) throws -> TensorValue {
        guard let first = parts.first else { throw InterpreterError.invalidInput(node: node, message: "nothing to concatenate") }
        let rank = first.rank
        let a = try TensorSupport.axis(axis, rank: rank, node)
        var total = 0
        for p in parts {
            guard p.dataType == first.dataType else {
                throw InterpreterError.invalidInput(node: node, message: "inputs have different element types (\(first.dataType) and \(p.dataType))")
            }
            guard p.rank == rank, (0..<rank).allSatisfy({ $0 == a || p.shape[$0] == first.shape[$0] }) else {
                throw InterpreterError.shapeMismatch(node: node, message: "cannot concatenate \(first.shape) and \(p.shape) along axis \(a)")
            }
            total += p.shape[a]
        }
        var shape = first.shape
        shape[a] = total
        if parts.count == 1 { return first }
        guard let storage = TensorStorage.concatenated(parts.map(\.storage)) else {
            throw InterpreterError.invalidInput(node: node, message: "inputs have different storage")
        }
        let outer = first.shape[..<a].reduce(1, *)
        let inner = first.shape[(a + 1)...].reduce(1, *)
        let n = outer * total * inner
        var map = [Int](repeating: 0, count: n)
        var bases: [Int] = []
        var b = 0
        for p in parts { bases.append(b); b += p.count }
        var k = 0
        for o in 0..<outer {
            for (pi, p) in parts.enumerated() {
                let block = p.shape[a] * inner
                let start = bases[pi] + o * block
                for j in 0..<block { map[k] = start + j; k += 1 }
            }
        }
        return TensorValue(unchecked: first.dataType, shape: shape, storage: storage.rearranged { _ in map })
    }
}
