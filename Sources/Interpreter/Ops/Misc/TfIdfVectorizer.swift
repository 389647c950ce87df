import ONNX

/// TfIdfVectorizer: counts, in each row of X ([C] or [B, C], integers or strings), the
/// n-grams of the pool (pool_int64s or pool_strings; ngram_counts gives where the
/// 1-grams, 2-grams, ... start) with lengths in [min_gram_length, max_gram_length],
/// where an n-gram's items may be up to max_skip_count positions apart (the same gap
/// between each pair; 1-grams are counted once). Output [max(ngram_indexes) + 1] or
/// [B, max + 1] at ngram_indexes[n-gram id]: the count (TF), 1/0 times the weight
/// (IDF) or count times the weight (TFIDF); weights default to 1.
struct TfIdfVectorizer: Operator {
    static let opType = "TfIdfVectorizer"
    static let sinceVersions: [Int64] = [9]
    enum Mode: String { case TF, IDF, TFIDF }

    /// A prefix tree of n-grams over one key type; node 0 is the root.
    struct Trie<Key: Hashable & Sendable>: Sendable {
        var children: [[Key: Int]] = [[:]]
        /// The n-gram id (1-based) ending at each node, 0 when none does.
        var ids: [Int] = [0]

        mutating func insert(_ gram: ArraySlice<Key>, id: Int) {
            var node = 0
            for k in gram {
                if let c = children[node][k] {
                    node = c
                } else {
                    children.append([:])
                    ids.append(0)
                    children[node][k] = children.count - 1
                    node = children.count - 1
                }
            }
            ids[node] = id
        }
    }

    let mode: Mode
    let minGram: Int
    let maxGram: Int
    let maxSkip: Int
    let ngramIndexes: [Int]
    let outputSize: Int
    let weights: [Float]?
    let intTrie: Trie<Int64>?
    let stringTrie: Trie<String>?

    init(_ c: OpContext) throws {
        func bad(_ a: String, _ m: String) -> InterpreterError { .badAttribute(node: c.nodeName, attribute: a, message: m) }
        let m = try c.string("mode")
        guard let md = Mode(rawValue: m) else { throw bad("mode", "'\(m)' is not TF, IDF or TFIDF") }
        mode = md
        let lo = try c.int("min_gram_length"), hi = try c.int("max_gram_length")
        let skip = try c.int("max_skip_count")
        guard lo >= 1, hi >= lo, hi <= 1 << 16 else { throw bad("min_gram_length", "gram lengths [\(lo), \(hi)] are not valid") }
        guard skip >= 0, skip <= 1 << 20 else { throw bad("max_skip_count", "\(skip) must be non-negative") }
        minGram = Int(lo)
        maxGram = Int(hi)
        maxSkip = Int(skip)
        let counts = try c.ints("ngram_counts").map { Int($0) }
        let indexes = try c.ints("ngram_indexes")
        guard let maxIndex = indexes.max(), indexes.allSatisfy({ $0 >= 0 && $0 < 1 << 30 }) else {
            throw bad("ngram_indexes", "must be non-empty and non-negative")
        }
        ngramIndexes = indexes.map { Int($0) }
        outputSize = Int(maxIndex) + 1
        if c.has("weights") {
            let w = try c.floats("weights")
            guard w.count >= outputSize || w.isEmpty else { throw bad("weights", "has \(w.count) values for \(outputSize) outputs") }
            weights = w.isEmpty ? nil : w
        } else {
            weights = nil
        }
        let ints = try c.ints("pool_int64s", default: [])
        let strings = try c.strings("pool_strings", default: [])
        guard ints.isEmpty || strings.isEmpty else { throw bad("pool_int64s", "only one of pool_int64s and pool_strings may be given") }
        let total = max(ints.count, strings.count)
        // Gram size s takes pool[counts[s-1] ..< counts[s]] (the last one up to the end).
        var segments: [(size: Int, start: Int, grams: Int)] = []
        for (i, start) in counts.enumerated() {
            let end = i + 1 < counts.count ? counts[i + 1] : total
            guard start >= 0, start <= end, end <= total else { throw bad("ngram_counts", "\(counts) does not fit a pool of \(total)") }
            segments.append((i + 1, start, (end - start) / (i + 1)))
        }
        let gramTotal = segments.reduce(0) { $0 + $1.grams }
        guard ngramIndexes.count >= gramTotal else {
            throw bad("ngram_indexes", "has \(ngramIndexes.count) entries for \(gramTotal) n-grams")
        }
        func build<K: Hashable & Sendable>(_ pool: [K]) -> Trie<K> {
            var trie = Trie<K>()
            var id = 1
            for s in segments {
                if s.size >= Int(lo) && s.size <= Int(hi) {
                    for g in 0..<s.grams {
                        let b = s.start + g * s.size
                        trie.insert(pool[b..<(b + s.size)], id: id)
                        id += 1
                    }
                } else {
                    id += s.grams
                }
            }
            return trie
        }
        intTrie = strings.isEmpty ? build(ints) : nil
        stringTrie = strings.isEmpty ? nil : build(strings)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let rows: Int, cols: Int
        switch x.rank {
        case 0: (rows, cols) = (1, 1)
        case 1: (rows, cols) = (1, x.shape[0])
        case 2: (rows, cols) = (x.shape[0], x.shape[1])
        default: throw context.invalid("input must be [C] or [B, C] (shape \(x.shape))")
        }
        var freq = [Int](repeating: 0, count: rows * outputSize)
        if x.dataType == .string {
            guard let trie = stringTrie else { throw context.invalid("string input needs pool_strings") }
            count(try x.strings(), trie, rows: rows, cols: cols, &freq)
        } else if x.dataType == .int32 || x.dataType == .int64 {
            guard let trie = intTrie else { throw context.invalid("integer input needs pool_int64s") }
            count(try x.int64s(), trie, rows: rows, cols: cols, &freq)
        } else {
            throw InterpreterError.unsupportedType(x.dataType, context: "\(context.nodeName) TfIdfVectorizer input")
        }
        var out = [Float](repeating: 0, count: freq.count)
        for (p, f) in freq.enumerated() {
            let w = weights?[p % outputSize] ?? 1
            switch mode {
            case .TF: out[p] = Float(f)
            case .IDF: out[p] = f > 0 ? w : 0
            case .TFIDF: out[p] = Float(f) * w
            }
        }
        return [.tensor(TensorValue(floats: out, shape: x.rank == 2 ? [rows, outputSize] : [outputSize]))]
    }

    private func count<K: Hashable & Sendable>(_ items: [K], _ trie: Trie<K>, rows: Int, cols: Int, _ freq: inout [Int]) {
        for r in 0..<rows {
            let row = r * cols
            var startSize = minGram
            for skip in 1...(maxSkip + 1) {
                var start = 0
                while start < cols {
                    if start + skip * (startSize - 1) >= cols { break }
                    var node = 0, item = start, size = 1
                    while size <= maxGram && item < cols, let next = trie.children[node][items[row + item]] {
                        let id = trie.ids[next]
                        if size >= startSize && id != 0 {
                            freq[r * outputSize + ngramIndexes[id - 1]] += 1
                        }
                        node = next
                        size += 1
                        item += skip
                    }
                    start += 1
                }
                // 1-grams do not depend on the skip: count them in the first pass only.
                if startSize == 1 {
                    startSize = 2
                    if startSize > maxGram { break }
                }
            }
        }
    }
}
