import Foundation
import TestSupport

/// One damaged copy of a fixture: what was done, the bytes, and whether every correct
/// reader must refuse it (`mustFail`) or may also read a valid, different model from it.
struct DamagedCopy {
    var what: String
    var bytes: [UInt8]
    var mustFail: Bool
}

/// Makes damaged copies of model files: blind damage for every format (cuts, bit flips)
/// and edits that know the format (duplicated keys, NaN where a number is expected,
/// child pointers and feature indices out of range, cyclic tree links, negative sizes,
/// swapped sections). The edits are plain text or byte surgery, never a reader of ours.
struct FixtureDamage {
    var generator: SplitMix

    init(seed: UInt64) { generator = SplitMix(seed: seed) }

    /// Cuts at `cuts` points and `flips` single-bit flips.
    mutating func blind(_ bytes: [UInt8], cuts: Int, flips: Int) -> [DamagedCopy] {
        guard !bytes.isEmpty else { return [] }
        var out: [DamagedCopy] = []
        for k in 1...cuts {
            let cut = bytes.count * k / (cuts + 1)
            out.append(DamagedCopy(what: "cut at \(cut)", bytes: Array(bytes.prefix(cut)), mustFail: false))
        }
        out.append(DamagedCopy(what: "empty", bytes: [], mustFail: true))
        for _ in 0..<flips {
            var b = bytes
            let i = Int(generator.next() % UInt64(b.count))
            b[i] ^= UInt8(1 << (generator.next() % 8))
            out.append(DamagedCopy(what: "byte \(i) flipped", bytes: b, mustFail: false))
        }
        return out
    }

    /// Edits that know the format of `name`.
    func aware(_ bytes: [UInt8], name: String) -> [DamagedCopy] {
        let text = String(decoding: bytes, as: UTF8.self)
        var out: [DamagedCopy] = []
        func add(_ what: String, _ edited: String?, mustFail: Bool = true) {
            guard let e = edited, e != text else { return }
            out.append(DamagedCopy(what: what, bytes: Array(e.utf8), mustFail: mustFail))
        }
        if name.hasSuffix(".json") {
            add("a duplicated key", Self.duplicateFirstMember(text))
            add("swapped members", Self.swapFirstTwoMembers(text), mustFail: false)
        }
        switch name {
        case "model.json":
            add("left child pointing at the root", Self.replaceFirstArrayElement(text, key: "left_children", with: "0"))
            add("left child out of range", Self.replaceFirstArrayElement(text, key: "left_children", with: "1000000"))
            add("split feature out of range", Self.replaceFirstArrayElement(text, key: "split_indices", with: "1000000"))
            // A categorical root ignores its split condition, so NaN there is harmless.
            add("NaN threshold", Self.replaceFirstArrayElement(text, key: "split_conditions", with: "NaN"),
                mustFail: !text.contains("\"split_type\":[1"))
            add("negative node count", Self.replaceFirst(text, #""num_nodes":""#, #""num_nodes":"-"#))
        case "model.ubj":
            for (what, value) in [("left child pointing at the root", Int32(0)), ("left child out of range", Int32(1_000_000))] {
                if let b = Self.ubjsonSetFirstInt32(bytes, key: "left_children", to: value) { out.append(DamagedCopy(what: what, bytes: b, mustFail: true)) }
            }
            if let b = Self.ubjsonSetFirstInt32(bytes, key: "split_indices", to: 1_000_000) { out.append(DamagedCopy(what: "split feature out of range", bytes: b, mustFail: true)) }
            if let b = Self.ubjsonNegateCount(bytes, key: "left_children") { out.append(DamagedCopy(what: "negative array count", bytes: b, mustFail: true)) }
        case "dump.txt", "dump-stats.txt":
            add("yes pointing at the root", Self.replaceFirst(text, "yes=1,", "yes=0,"))
            add("yes out of range", Self.replaceFirst(text, "yes=1,", "yes=99999,"))
            add("feature out of range", Self.replaceFirst(text, "0:[f", "0:[f99999"))
            add("NaN threshold", Self.replaceFirstThresholdInDump(text))
        case "dump.json" where text.contains("\"nodeid\""):
            add("yes pointing at the root", Self.replaceFirst(text, "\"yes\": 1,", "\"yes\": 0,"))
            add("yes out of range", Self.replaceFirst(text, "\"yes\": 1,", "\"yes\": 99999,"))
            add("feature out of range", Self.replaceFirst(text, "\"split\": \"f", "\"split\": \"f99999"))
        case "dump.json":
            add("split feature out of range", Self.replaceFirstValue(text, key: "\"split_feature\":", with: "99999"))
            add("negative class count", Self.replaceFirstValue(text, key: "\"num_class\":", with: "-1"))
            add("NaN threshold", Self.replaceFirstValue(text, key: "\"threshold\":", with: "NaN"))
        case "model.txt":
            add("left child pointing at itself", Self.replaceFirstListValue(text, key: "left_child=", with: "0"))
            add("split feature out of range", Self.replaceFirstListValue(text, key: "split_feature=", with: "99999"))
            add("negative leaf count", Self.replaceFirstListValue(text, key: "num_leaves=", with: "-3"))
            add("NaN threshold", Self.replaceFirstListValue(text, key: "threshold=", with: "nan"))
            add("NaN leaf value", Self.replaceFirstListValue(text, key: "leaf_value=", with: "nan"))
            add("zero classes", Self.replaceFirstListValue(text, key: "num_class=", with: "0"))
            add("a duplicated key line", Self.duplicateFirstLine(text, key: "threshold="))
            add("the header after the first tree", Self.swapHeaderAndFirstTree(text))
            add("first two trees swapped", Self.swapFirstTwoTrees(text), mustFail: false)
        case _ where name.hasSuffix(".layers.json"):
            add("in_features off by one", Self.replaceFirstValue(text, key: "\"in_features\":", with: nil, adding: 1))
            add("negative in_features", Self.replaceFirstValue(text, key: "\"in_features\":", with: "-1"))
        default: break
        }
        return out
    }

    // MARK: text edits

    static func replaceFirst(_ text: String, _ target: String, _ replacement: String) -> String? {
        guard let r = text.range(of: target) else { return nil }
        return text.replacingCharacters(in: r, with: replacement)
    }

    /// `"key":[a,b,...]` -> `"key":[value,b,...]`.
    static func replaceFirstArrayElement(_ text: String, key: String, with value: String) -> String? {
        guard let k = text.range(of: "\"\(key)\":["), let end = text[k.upperBound...].firstIndex(where: { $0 == "," || $0 == "]" }),
              end > k.upperBound else { return nil }
        return text.replacingCharacters(in: k.upperBound..<end, with: value)
    }

    /// `key value` (a JSON scalar after `key`) -> `key replacement`, or the number plus `adding`.
    static func replaceFirstValue(_ text: String, key: String, with value: String?, adding: Int = 0) -> String? {
        guard let k = text.range(of: key) else { return nil }
        var start = k.upperBound
        while start < text.endIndex, text[start] == " " { start = text.index(after: start) }
        guard let end = text[start...].firstIndex(where: { $0 == "," || $0 == "}" || $0 == "\n" || $0 == "]" }) else { return nil }
        let old = String(text[start..<end]).trimmingCharacters(in: .whitespaces)
        let new: String
        if let value { new = value } else if let n = Int(old) { new = String(n + adding) } else { return nil }
        return text.replacingCharacters(in: start..<end, with: new)
    }

    /// LightGBM `key=a b c` -> `key=value b c`.
    static func replaceFirstListValue(_ text: String, key: String, with value: String) -> String? {
        guard let k = text.range(of: "\n" + key) else { return nil }
        guard let end = text[k.upperBound...].firstIndex(where: { $0 == " " || $0 == "\n" }) else { return nil }
        return text.replacingCharacters(in: k.upperBound..<end, with: value)
    }

    /// The first `key=...` line written twice.
    static func duplicateFirstLine(_ text: String, key: String) -> String? {
        guard let k = text.range(of: "\n" + key), let end = text[k.upperBound...].firstIndex(of: "\n") else { return nil }
        let line = String(text[text.index(after: k.lowerBound)...end])
        return text.replacingCharacters(in: end..<text.index(after: end), with: "\n" + line)
    }

    /// `[f3<0.5]` -> `[f3<nan]` on the first split of an XGBoost text dump.
    static func replaceFirstThresholdInDump(_ text: String) -> String? {
        guard let lt = text.range(of: "<"), let close = text[lt.upperBound...].firstIndex(of: "]") else { return nil }
        return text.replacingCharacters(in: lt.upperBound..<close, with: "nan")
    }

    /// The blocks of a LightGBM model.txt: the header, then `Tree=` blocks, then the rest.
    static func lightGBMBlocks(_ text: String) -> (header: String, trees: [String], tail: String)? {
        let parts = text.components(separatedBy: "\nTree=")
        guard parts.count >= 2 else { return nil }
        var trees = parts.dropFirst().map { "Tree=" + $0 }
        guard let last = trees.popLast(), let endTrees = last.range(of: "\nend of trees") else { return nil }
        trees.append(String(last[..<endTrees.lowerBound]) + "\n")
        return (parts[0] + "\n", trees, String(last[endTrees.lowerBound...]).dropFirstNewline)
    }

    static func swapHeaderAndFirstTree(_ text: String) -> String? {
        guard let b = lightGBMBlocks(text) else { return nil }
        return b.trees[0] + b.header + b.trees.dropFirst().joined() + b.tail
    }

    static func swapFirstTwoTrees(_ text: String) -> String? {
        guard let b = lightGBMBlocks(text), b.trees.count >= 2 else { return nil }
        // The tree blocks keep their own `Tree=N` lines, so the reader sees them out of order.
        var t = b.trees
        t.swapAt(0, 1)
        return b.header + t.joined() + b.tail
    }

    // MARK: JSON structure, found by a small scanner over strings and brackets

    /// The end (exclusive) of the JSON value starting at `i`.
    static func valueEnd(_ b: [UInt8], _ i: Int) -> Int? {
        var i = i, depth = 0
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "\""):
                i += 1
                while i < b.count, b[i] != UInt8(ascii: "\"") { i += b[i] == UInt8(ascii: "\\") ? 2 : 1 }
                i += 1
                if depth == 0 { return i }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return i }
                depth -= 1
                if depth == 0 { return i + 1 }
            case UInt8(ascii: ","): if depth == 0 { return i }
            default: break
            }
            i += 1
        }
        return nil
    }

    /// The first member of the first non-empty object: (start of its key, end of its value).
    static func firstMember(_ b: [UInt8], from: Int = 0) -> (Int, Int)? {
        guard let open = b[from...].firstIndex(of: UInt8(ascii: "{")) else { return nil }
        var k = open + 1
        while k < b.count, b[k] == UInt8(ascii: " ") || b[k] == UInt8(ascii: "\n") || b[k] == UInt8(ascii: "\t") || b[k] == UInt8(ascii: "\r") { k += 1 }
        guard k < b.count, b[k] == UInt8(ascii: "\""), let keyEnd = valueEnd(b, k),
              let colon = b[keyEnd...].firstIndex(of: UInt8(ascii: ":")) else { return nil }
        var v = colon + 1
        while v < b.count, b[v] == UInt8(ascii: " ") || b[v] == UInt8(ascii: "\n") { v += 1 }
        guard let end = valueEnd(b, v) else { return nil }
        return (k, end)
    }

    /// `{"a": 1, ...}` -> `{"a": 1,"a": 1, ...}`.
    static func duplicateFirstMember(_ text: String) -> String? {
        let b = Array(text.utf8)
        guard let (start, end) = firstMember(b) else { return nil }
        return String(decoding: b[..<end] + Array(",".utf8) + b[start..<end] + b[end...], as: UTF8.self)
    }

    /// `{"a": 1, "b": 2, ...}` -> `{"b": 2, "a": 1, ...}`: the same object for any reader
    /// that does not depend on member order.
    static func swapFirstTwoMembers(_ text: String) -> String? {
        let b = Array(text.utf8)
        guard let (s1, e1) = firstMember(b), e1 < b.count, b[e1] == UInt8(ascii: ",") else { return nil }
        var s2 = e1 + 1
        while s2 < b.count, b[s2] == UInt8(ascii: " ") || b[s2] == UInt8(ascii: "\n") { s2 += 1 }
        guard s2 < b.count, b[s2] == UInt8(ascii: "\""), let k2 = valueEnd(b, s2), let colon = b[k2...].firstIndex(of: UInt8(ascii: ":")) else { return nil }
        var v = colon + 1
        while v < b.count, b[v] == UInt8(ascii: " ") || b[v] == UInt8(ascii: "\n") { v += 1 }
        guard let e2 = valueEnd(b, v) else { return nil }
        let swapped = Array(b[..<s1]) + b[s2..<e2] + Array(",".utf8) + b[s1..<e1] + b[e2...]
        return String(decoding: swapped, as: UTF8.self)
    }

    // MARK: UBJSON byte surgery (XGBoost writes typed int32 arrays: `[ $ l # <count>`)

    /// Where the typed array of `key` starts: the index of its `[`, or nil.
    static func ubjsonTypedArray(_ b: [UInt8], key: String) -> Int? {
        let k = Array(key.utf8)
        guard k.count < 128, b.count > k.count + 8 else { return nil }
        var i = 0
        while i + k.count + 6 < b.count {
            if b[i] == UInt8(k.count), Array(b[(i + 1)...(i + k.count)]) == k {
                let open = i + 1 + k.count
                if b[open] == UInt8(ascii: "["), b[open + 1] == UInt8(ascii: "$"), b[open + 2] == UInt8(ascii: "l"), b[open + 3] == UInt8(ascii: "#") { return open }
            }
            i += 1
        }
        return nil
    }

    /// The offset of the first element and the width of the count marker's value.
    static func ubjsonDataStart(_ b: [UInt8], open: Int) -> (data: Int, countAt: Int, countWidth: Int)? {
        let marker = open + 4
        guard marker < b.count else { return nil }
        let width: Int
        switch b[marker] {
        case UInt8(ascii: "i"), UInt8(ascii: "U"): width = 1
        case UInt8(ascii: "I"): width = 2
        case UInt8(ascii: "l"): width = 4
        case UInt8(ascii: "L"): width = 8
        default: return nil
        }
        return (marker + 1 + width, marker + 1, width)
    }

    static func ubjsonSetFirstInt32(_ bytes: [UInt8], key: String, to value: Int32) -> [UInt8]? {
        guard let open = ubjsonTypedArray(bytes, key: key), let (data, _, _) = ubjsonDataStart(bytes, open: open), data + 4 <= bytes.count else { return nil }
        var b = bytes
        let v = UInt32(bitPattern: value)
        for j in 0..<4 { b[data + j] = UInt8(truncatingIfNeeded: v >> (24 - 8 * j)) }
        return b
    }

    static func ubjsonNegateCount(_ bytes: [UInt8], key: String) -> [UInt8]? {
        guard let open = ubjsonTypedArray(bytes, key: key), let (_, at, width) = ubjsonDataStart(bytes, open: open),
              bytes[open + 4] != UInt8(ascii: "U") else { return nil }
        var b = bytes
        for j in 0..<width { b[at + j] = 0xFF }  // -1 in any signed width
        return b
    }
}

private extension String {
    var dropFirstNewline: String { hasPrefix("\n") ? String(dropFirst()) : self }
}
