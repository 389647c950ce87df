import ONNX

/// Einsum: Einstein summation over any number of operands. Labels are letters; a label
/// repeated within an operand takes its diagonal; `...` stands for broadcast leading
/// dimensions. Without `->` the output is the ellipsis dimensions, then the labels
/// that occur exactly once, in alphabetical order. Labels absent from the output are
/// summed over.
struct Einsum: Operator {
    static let opType = "Einsum"
    static let sinceVersions: [Int64] = [12, 28]
    let inputTerms: [String]
    let outputTerm: String?

    init(_ c: OpContext) throws {
        let eq = try c.string("equation").filter { !$0.isWhitespace }
        let parts = eq.components(separatedBy: "->")
        guard parts.count <= 2 else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "equation", message: "'\(eq)' has more than one '->'")
        }
        inputTerms = parts[0].components(separatedBy: ",")
        outputTerm = parts.count == 2 ? parts[1] : nil
        for t in inputTerms + [outputTerm ?? ""] {
            var rest = t
            if let r = rest.range(of: "...") { rest.removeSubrange(r) }
            guard rest.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw InterpreterError.badAttribute(node: c.nodeName, attribute: "equation", message: "term '\(t)' has characters other than letters and one '...'")
            }
        }
    }

    /// A term's labels: letters as their scalar values, `...` as nil.
    private static func parse(_ term: String) -> [Int?] {
        var out: [Int?] = []
        let chars = Array(term.unicodeScalars)
        var i = 0
        while i < chars.count {
            if chars[i] == ".", i + 2 < chars.count, chars[i + 1] == ".", chars[i + 2] == "." {
                out.append(nil); i += 3
            } else {
                out.append(Int(chars[i].value)); i += 1
            }
        }
        return out
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let ts = try (0..<inputs.count).map { try context.tensor(inputs, $0) }
        guard ts.count == inputTerms.count else {
            throw context.invalid("the equation has \(inputTerms.count) operands, the node \(ts.count) inputs")
        }
        guard let type = ts.first?.dataType, ts.allSatisfy({ $0.dataType == type }) else {
            throw context.invalid("Einsum operands must share one element type")
        }
        // Ellipsis dimensions get labels -1, -2, ... counted from the right.
        var axisLabels: [[Int]] = []
        var ellipsisRank = 0
        for (k, term) in inputTerms.enumerated() {
            let p = Self.parse(term)
            let letters = p.filter { $0 != nil }.count
            let hasEllipsis = p.contains { $0 == nil }
            let rank = ts[k].rank
            guard hasEllipsis ? rank >= letters : rank == letters else {
                throw context.invalid("operand \(k) has rank \(rank), term '\(term)' has \(letters) labels")
            }
            let er = rank - letters
            ellipsisRank = max(ellipsisRank, er)
            var labels: [Int] = []
            for l in p {
                if let l { labels.append(l) } else { for j in 0..<er { labels.append(-(er - j)) } }
            }
            axisLabels.append(labels)
        }
        var size: [Int: Int] = [:]
        for (k, labels) in axisLabels.enumerated() {
            for (a, l) in labels.enumerated() {
                let d = ts[k].shape[a]
                if let s = size[l] {
                    if s != d {
                        if s == 1 && l < 0 { size[l] = d } else if !(d == 1 && l < 0) {
                            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "label dimension \(d) differs from \(s)")
                        }
                    }
                } else { size[l] = d }
            }
        }
        let ellipsisLabels = (0..<ellipsisRank).map { -(ellipsisRank - $0) }
        var outLabels: [Int] = []
        if let outputTerm {
            for l in Self.parse(outputTerm) {
                if let l {
                    guard size[l] != nil else { throw context.invalid("output label '\(Character(Unicode.Scalar(UInt8(l))))' is not in any input") }
                    guard !outLabels.contains(l) else { throw context.invalid("output label repeated") }
                    outLabels.append(l)
                } else { outLabels += ellipsisLabels }
            }
        } else {
            var counts: [Int: Int] = [:]
            for labels in axisLabels { for l in labels where l > 0 { counts[l, default: 0] += 1 } }
            outLabels = ellipsisLabels + counts.filter { $0.value == 1 }.keys.sorted()
        }
        let summed = size.keys.filter { !outLabels.contains($0) }.sorted()
        let all = outLabels + summed
        let dims = all.map { size[$0] ?? 1 }
        // Per operand, the stride of each label (sum over repeated axes: the diagonal).
        var strides: [[Int]] = []
        for (k, labels) in axisLabels.enumerated() {
            let st = ts[k].strides
            var s = [Int](repeating: 0, count: all.count)
            for (a, l) in labels.enumerated() where ts[k].shape[a] != 1 || (size[l] ?? 1) == 1 {
                if let j = all.firstIndex(of: l) { s[j] += st[a] }
            }
            strides.append(s)
        }
        let outShape = outLabels.map { size[$0] ?? 1 }
        let nOut = outShape.reduce(1, *)
        let nSum = summed.map { size[$0] ?? 1 }.reduce(1, *)
        let no = outLabels.count
        func compute<T>(_ vals: [[T]], zero: T, one: T, mul: (T, T) -> T, add: (T, T) -> T) -> [T] {
            var out = [T](repeating: zero, count: nOut)
            if nOut == 0 { return out }
            var idx = [Int](repeating: 0, count: all.count)
            var base = [Int](repeating: 0, count: vals.count)
            var off = [Int](repeating: 0, count: vals.count)
            for o in 0..<nOut {
                for k in vals.indices { base[k] = 0; for j in 0..<no { base[k] += idx[j] * strides[k][j] } }
                var acc = zero
                if nSum > 0 {
                    for j in no..<all.count { idx[j] = 0 }
                    for _ in 0..<nSum {
                        var p = one
                        for k in vals.indices {
                            off[k] = base[k]
                            for j in no..<all.count { off[k] += idx[j] * strides[k][j] }
                            p = mul(p, vals[k][off[k]])
                        }
                        acc = add(acc, p)
                        var j = all.count - 1
                        while j >= no { idx[j] += 1; if idx[j] < dims[j] { break }; idx[j] = 0; j -= 1 }
                    }
                }
                out[o] = acc
                var j = no - 1
                while j >= 0 { idx[j] += 1; if idx[j] < dims[j] { break }; idx[j] = 0; j -= 1 }
            }
            return out
        }
        switch type {
        case .float, .float16, .bfloat16, .double:
            let r = compute(try ts.map { try $0.doubles() }, zero: 0.0, one: 1.0, mul: *, add: +)
            return [.tensor(try .converting(r, to: type, shape: outShape))]
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
            let r = compute(try ts.map { try $0.int64s() }, zero: Int64(0), one: Int64(1), mul: { $0 &* $1 }, add: { $0 &+ $1 })
            return [.tensor(try .converting(r, to: type, shape: outShape))]
        default:
            throw InterpreterError.unsupportedType(type, context: "Einsum")
        }
    }
}
