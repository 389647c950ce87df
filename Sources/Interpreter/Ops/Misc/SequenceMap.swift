import ONNX

/// SequenceMap (version 17): runs `body` once per element of input_sequence. Iteration
/// i feeds the body input_sequence[i], then each additional input: a tensor as it is,
/// a sequence by its i-th element (it must have input_sequence's length). Body output j
/// of every iteration is collected, in order, into output sequence j.
struct SequenceMap: Operator {
    static let opType = "SequenceMap"
    static let sinceVersions: [Int64] = [17]
    let body: PreparedGraph

    init(_ c: OpContext) throws { body = try c.graph("body") }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        guard let first = inputs.first, let seqValue = first, case .sequence(let items, _) = seqValue else {
            throw context.invalid("input 0 must be a sequence")
        }
        let n = items.count
        let extras: [Value?] = Array(inputs.dropFirst())
        for (k, e) in extras.enumerated() {
            if case .sequence(let s, _)? = e, s.count != n {
                throw context.invalid("additional input \(k + 1) is a sequence of \(s.count) elements; input_sequence has \(n)")
            }
        }
        let outputs = body.outputNames.count
        var collected = [[Value]](repeating: [], count: outputs)
        for i in 0..<n {
            var feed: [Value?] = [items[i]]
            for e in extras {
                if case .sequence(let s, _)? = e { feed.append(s[i]) } else { feed.append(e) }
            }
            let out = try context.run(body, inputs: feed)
            guard out.count == outputs else { throw context.invalid("the body returned \(out.count) values, expected \(outputs)") }
            for j in 0..<outputs { collected[j].append(out[j]) }
        }
        return (0..<outputs).map { j in .sequence(collected[j], elementType: j < body.outputTypes.count ? body.outputTypes[j] : nil) }
    }
}
