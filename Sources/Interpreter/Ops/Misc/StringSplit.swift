import ONNX

/// StringSplit: splits each string at `delimiter` (consecutive delimiters give empty
/// parts), or, without a delimiter (or an empty one), at runs of whitespace with
/// leading and trailing whitespace dropped, as Python's str.split does. At most
/// `maxsplit` splits are made. Y is X's shape plus one axis as long as the longest
/// split, padded with ""; Z holds the number of parts of each string.
struct StringSplit: Operator {
    static let opType = "StringSplit"
    static let sinceVersions: [Int64] = [20]
    let delimiter: [Unicode.Scalar]
    let maxSplit: Int?
    init(_ c: OpContext) throws {
        delimiter = Array(try c.string("delimiter", default: "").unicodeScalars)
        let m = try c.int("maxsplit", default: -1)
        maxSplit = m >= 0 ? Int(m) : nil
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.dataType == .string else { throw context.invalid("input must be a string tensor, not \(x.dataType)") }
        let parts = try x.strings().map { delimiter.isEmpty ? splitWhitespace($0) : splitDelimiter($0) }
        let width = parts.map(\.count).max() ?? 0
        var flat: [String] = []
        flat.reserveCapacity(parts.count * width)
        for p in parts {
            flat += p
            flat += [String](repeating: "", count: width - p.count)
        }
        return [.tensor(TensorValue(strings: flat, shape: x.shape + [width])),
                .tensor(TensorValue(int64s: parts.map { Int64($0.count) }, shape: x.shape))]
    }

    private func splitDelimiter(_ s: String) -> [String] {
        let a = Array(s.unicodeScalars)
        let d = delimiter
        var out: [String] = []
        var start = 0, i = 0
        while i + d.count <= a.count {
            if let m = maxSplit, out.count >= m { break }
            if a[i] == d[0] && a[i..<(i + d.count)].elementsEqual(d) {
                out.append(Self.string(a[start..<i]))
                i += d.count
                start = i
            } else {
                i += 1
            }
        }
        out.append(Self.string(a[start...]))
        return out
    }

    private func splitWhitespace(_ s: String) -> [String] {
        let a = Array(s.unicodeScalars)
        var out: [String] = []
        var i = 0
        while i < a.count {
            while i < a.count && Self.isSpace(a[i]) { i += 1 }
            if i == a.count { break }
            if let m = maxSplit, out.count >= m {
                // The rest, trailing whitespace included.
                out.append(Self.string(a[i...]))
                break
            }
            let start = i
            while i < a.count && !Self.isSpace(a[i]) { i += 1 }
            out.append(Self.string(a[start..<i]))
        }
        return out
    }

    /// Python's str.isspace for one code point: Unicode White_Space plus the
    /// information separators U+001C...U+001F.
    private static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || (0x1C...0x1F).contains(c.value)
    }

    private static func string(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s)
        return String(v)
    }
}
