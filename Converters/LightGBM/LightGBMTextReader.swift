import Foundation
import DocumentReaders
import ReaderLimits

/// Reads the text model `Booster.save_model` writes (`model.txt`): the header
/// (`version`, `num_class`, `num_tree_per_iteration`, `max_feature_idx`, `objective`,
/// `average_output`, `feature_names`, ...), then `Tree=N` blocks (`num_leaves`,
/// `split_feature`, `threshold`, `decision_type`, `left_child`, `right_child`,
/// `leaf_value`, `cat_boundaries`, `cat_threshold`, `is_linear`, `leaf_const`,
/// `num_features`, ...), up to `end of trees`; feature importances, parameters and
/// anything else are skipped. Children `>= 0` are splits, `< 0` leaves (`~c`).
/// Categorical splits read their category set from the `cat_threshold` bitset words
/// that `cat_boundaries` slices, at the index the split's `threshold` holds. One pass over
/// the lines; `limits` bound the trees and nodes, and what a tree's `num_leaves` and its
/// category sets make a reader allocate (relative to the file's size).
public enum LightGBMTextReader {
    /// Parses a model.txt.
    /// - Throws: `LightGBMError` naming the line, `ReaderLimitBreach`.
    public static func read(_ bytes: [UInt8], limits: ReaderLimits = .default) throws -> LightGBMBooster {
        try bytes.withUnsafeBufferPointer { try read(buffer: $0, limits: limits) }
    }

    /// A `key=value` line's value: where it is in the file.
    struct Field {
        var line: Int
        var start: Int
        var end: Int
    }

    static func read(buffer b: UnsafeBufferPointer<UInt8>, limits: ReaderLimits) throws -> LightGBMBooster {
        var header: [String: String] = [:]
        var averageOutput = false
        var blocks: [(line: Int, fields: [String: Field])] = []
        var current: [String: Field]? = nil
        var currentLine = 0
        var lineNumber = 0
        var lineStart = 0
        var ended = false
        let n = b.count
        func text(_ s: Int, _ e: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self) }
        while lineStart < n {
            var lineEnd = lineStart
            while lineEnd < n, b[lineEnd] != 0x0A { lineEnd += 1 }
            lineNumber += 1
            var e = lineEnd
            if e > lineStart, b[e - 1] == 0x0D { e -= 1 }
            let s = lineStart
            lineStart = lineEnd + 1
            if s == e { continue }
            if e - s == 12, text(s, e) == "end of trees" { ended = true; break }
            var eq = s
            while eq < e, b[eq] != UInt8(ascii: "=") { eq += 1 }
            guard eq < e else {
                if current == nil && text(s, e) == "average_output" { averageOutput = true }
                continue
            }
            let key = text(s, eq)
            if key == "Tree" {
                if let c = current { blocks.append((currentLine, c)) }
                current = [:]
                currentLine = lineNumber
                continue
            }
            // A key twice in one block is ambiguous (which threshold= is meant?), so it is refused.
            if current != nil {
                guard current!.updateValue(Field(line: lineNumber, start: eq + 1, end: e), forKey: key) == nil else {
                    throw LightGBMError.text(line: lineNumber, reason: "\(key)= appears twice in the tree that starts at line \(currentLine)")
                }
            } else {
                guard header.updateValue(text(eq + 1, e), forKey: key) == nil else {
                    throw LightGBMError.text(line: lineNumber, reason: "\(key)= appears twice in the header")
                }
            }
        }
        if let c = current { blocks.append((currentLine, c)) }

        func int(_ key: String, default d: Int? = nil) throws -> Int {
            guard let v = header[key] else {
                if let d { return d }
                throw LightGBMError.text(line: 1, reason: "the header has no \(key)=")
            }
            guard let i = Int(v.trimmingCharacters(in: .whitespaces)) else { throw LightGBMError.text(line: 1, reason: "\(key)=\(v) is not an integer") }
            return i
        }
        guard header["version"] != nil || header["tree"] != nil || !blocks.isEmpty else {
            throw LightGBMError.text(line: 1, reason: "not a LightGBM model.txt (no header keys and no Tree= blocks)")
        }
        let numClass = try int("num_class", default: 1)
        let perIteration = try int("num_tree_per_iteration", default: numClass)
        let maxFeature = try int("max_feature_idx")
        guard let objective = header["objective"] else { throw LightGBMError.text(line: 1, reason: "the header has no objective=") }
        let names = header["feature_names"].map { $0.split(separator: " ").map(String.init) }
        var tally = TreeTally(limits: limits)
        try tally.checkDeclaredTrees(blocks.count, at: "line \(blocks.last?.line ?? 1)")
        var allowance = ReaderAllowance(limits: limits, inputBytes: b.count)
        var trees: [LightGBMTree] = []
        trees.reserveCapacity(blocks.count)
        for (t, block) in blocks.enumerated() {
            trees.append(try tree(block.fields, b, index: t, line: block.line, tally: &tally, allowance: &allowance))
        }
        guard !trees.isEmpty else { throw LightGBMError.text(line: lineNumber, reason: "the file holds no Tree= blocks") }
        // LightGBM always ends the trees with this line; without it the file was cut short
        // (its last tree may even end inside a number that still parses).
        guard ended else { throw LightGBMError.text(line: lineNumber, reason: "the file ends before 'end of trees' (truncated?)") }
        if let sizes = header["tree_sizes"]?.split(separator: " "), sizes.count != trees.count {
            throw LightGBMError.text(line: 1, reason: "tree_sizes= lists \(sizes.count) trees but the file holds \(trees.count)")
        }
        return LightGBMBooster(objective: objective, numClass: numClass, numTreePerIteration: perIteration, maxFeatureIndex: maxFeature,
                               averageOutput: averageOutput, featureNames: names, trees: trees)
    }

    /// The space-separated tokens of a field, as byte ranges.
    static func tokens(_ f: Field, _ b: UnsafeBufferPointer<UInt8>) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        var k = f.start
        while k < f.end {
            while k < f.end, b[k] == 0x20 { k += 1 }
            let a = k
            while k < f.end, b[k] != 0x20 { k += 1 }
            if k > a { out.append((a, k)) }
        }
        return out
    }

    static func tree(_ f: [String: Field], _ b: UnsafeBufferPointer<UInt8>, index t: Int, line: Int,
                     tally: inout TreeTally, allowance: inout ReaderAllowance) throws -> LightGBMTree {
        func text(_ s: Int, _ e: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self) }
        func field(_ k: String) throws -> Field {
            guard let v = f[k] else { throw LightGBMError.text(line: line, reason: "Tree=\(t) has no \(k)=") }
            return v
        }
        func ints(_ k: String, count: Int? = nil) throws -> [Int] {
            let fl = try field(k)
            let parts = tokens(fl, b)
            var out: [Int] = []
            out.reserveCapacity(parts.count)
            for (s, e) in parts {
                guard let i = NumberText.integer(b, s, e) else { throw LightGBMError.text(line: fl.line, reason: "\(k): '\(text(s, e))' is not an integer") }
                out.append(i)
            }
            if let count, out.count != count { throw LightGBMError.text(line: fl.line, reason: "\(k) has \(out.count) values, expected \(count)") }
            return out
        }
        func doubles(_ k: String, count: Int) throws -> [Double] {
            let fl = try field(k)
            let parts = tokens(fl, b)
            var out: [Double] = []
            // No more than the line holds: `count` comes from num_leaves, which the file need
            // not earn (Fixtures/fuzz-regressions/lightgbm-text).
            out.reserveCapacity(min(count, parts.count))
            for (s, e) in parts {
                guard let d = NumberText.double(b, s, e) else { throw LightGBMError.text(line: fl.line, reason: "\(k): '\(text(s, e))' is not a number") }
                out.append(d)
            }
            guard out.count == count else { throw LightGBMError.text(line: fl.line, reason: "\(k) has \(out.count) values, expected \(count)") }
            return out
        }
        let leaves = try ints("num_leaves").first ?? 0
        guard leaves >= 1 else { throw LightGBMError.text(line: line, reason: "Tree=\(t) has num_leaves \(leaves)") }
        try tally.checkTreeSize(leaves, at: "line \(line)")   // so that 2 * leaves cannot overflow
        try tally.count(treeOf: 2 * leaves - 1, at: "line \(line)")
        try allowance.spend(count: 2 * leaves - 1, of: MemoryLayout<LightGBMNode>.stride, at: "line \(line)", detail: "the nodes num_leaves=\(leaves) declares")
        var leafValues = try doubles("leaf_value", count: leaves)
        if let linear = f["is_linear"], text(linear.start, linear.end).trimmingCharacters(in: .whitespaces) == "1" {
            // Linear leaves with no features are constants; anything else is refused.
            let counts = try ints("num_features", count: leaves)
            guard counts.allSatisfy({ $0 == 0 }) else { throw LightGBMError.linearTrees(tree: t) }
            leafValues = try doubles("leaf_const", count: leaves)
        }
        let splits = leaves - 1
        if splits == 0 { return LightGBMTree(nodes: [.leaf(leafValues[0])]) }
        let features = try ints("split_feature", count: splits)
        let thresholds = try doubles("threshold", count: splits)
        let types = try ints("decision_type", count: splits)
        let left = try ints("left_child", count: splits), right = try ints("right_child", count: splits)
        var boundaries: [Int] = [], words: [UInt32] = []
        if types.contains(where: { $0 & 1 != 0 }) {
            boundaries = try ints("cat_boundaries")
            let fl = try field("cat_threshold")
            for (s, e) in tokens(fl, b) {
                guard let w = NumberText.integer(b, s, e), let word = UInt32(exactly: w) else {
                    throw LightGBMError.text(line: fl.line, reason: "cat_threshold: '\(text(s, e))' is not a 32-bit word")
                }
                words.append(word)
            }
        }
        func child(_ c: Int, _ field: String, _ i: Int) throws -> Int {
            if c >= 0 {
                guard c < splits else { throw LightGBMError.invalidTree(tree: t, reason: "\(field)[\(i)] = \(c) is not a split (\(splits) splits)") }
                return c
            }
            let leaf = ~c
            guard leaf < leaves else { throw LightGBMError.invalidTree(tree: t, reason: "\(field)[\(i)] = \(c) names leaf \(leaf) of \(leaves)") }
            return splits + leaf
        }
        var nodes: [LightGBMNode] = []
        nodes.reserveCapacity(splits + leaves)
        for i in 0..<splits {
            let l = try child(left[i], "left_child", i), r = try child(right[i], "right_child", i)
            let type = types[i]
            if type & 1 != 0 {
                // The threshold of a categorical split is the index of its bitset.
                guard let k = Int(exactly: thresholds[i]), k >= 0, k + 1 < boundaries.count, boundaries[k] >= 0, boundaries[k] <= boundaries[k + 1], boundaries[k + 1] <= words.count else {
                    throw LightGBMError.invalidTree(tree: t, reason: "categorical split \(i) names bitset \(thresholds[i]), outside cat_boundaries")
                }
                var cats: [Int] = []
                for (w, word) in words[boundaries[k]..<boundaries[k + 1]].enumerated() where word != 0 {
                    for bit in 0..<32 where word & (1 << UInt32(bit)) != 0 { cats.append(w * 32 + bit) }
                }
                // Splits may name the same bitset: each copy counts.
                try allowance.spend(count: cats.count, of: MemoryLayout<Int>.stride, at: "line \(line)", detail: "the categories of split \(i) of Tree=\(t)")
                nodes.append(.categorical(feature: features[i], categories: cats, left: l, right: r))
            } else {
                guard let missing = LightGBMMissingType(rawValue: (type >> 2) & 3) else {
                    throw LightGBMError.invalidTree(tree: t, reason: "decision_type \(type) of split \(i) has missing type 3, which LightGBM does not define")
                }
                nodes.append(.numeric(feature: features[i], threshold: thresholds[i], missingType: missing, defaultLeft: type & 2 != 0, left: l, right: r))
            }
        }
        for v in leafValues { nodes.append(.leaf(v)) }
        return LightGBMTree(nodes: nodes)
    }
}
