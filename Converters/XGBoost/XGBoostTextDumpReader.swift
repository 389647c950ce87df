import Foundation

/// Reads the text dump that `Booster.dump_model(path)` or `"\n".join(Booster.get_dump())`
/// writes, with or without stats:
///
/// ```
/// booster[0]:
/// 0:[f2<2.45000005] yes=1,no=2,missing=1,gain=...,cover=...
/// 	1:leaf=0.143999994,cover=...
/// 	2:[age<30] yes=3,no=4,missing=4
/// 	...
/// 	5:[f0:{1,3}] yes=6,no=7,missing=7
/// ```
///
/// A new tree starts at each `booster[k]:` line, or at a `0:` node when the dump has no
/// booster lines. Thresholds are parsed straight to float32 (XGBoost prints them with
/// enough digits to be exact). Features are `f<index>` or names, which `featureNames`
/// maps to columns. A categorical split (`[f0:{1,3}]`) sends the listed categories to
/// `yes`, as XGBoost prints it.
public struct XGBoostTextDumpReader {
    /// Names of the input columns (from `--feature-names` or an fmap), or nil.
    public var featureNames: [String]?

    /// A reader; `featureNames` maps named features to columns.
    public init(featureNames: [String]? = nil) { self.featureNames = featureNames }

    /// Parses a dump.
    /// - Throws: `XGBoostError` naming the line.
    public func read(_ bytes: [UInt8]) throws -> XGBoostBooster {
        let nameIndex = Dictionary((featureNames ?? []).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var trees: [XGBoostTree] = []
        var current: [Int: XGBoostNode] = [:]
        var currentLine = 0
        var treeStartLine = 0
        var sawBoosterHeader = false

        func finishTree() throws {
            guard !current.isEmpty else { return }
            guard let maxID = current.keys.max() else { return }
            var nodes = [XGBoostNode?](repeating: nil, count: maxID + 1)
            for (k, v) in current { nodes[k] = v }
            guard nodes[0] != nil else { throw XGBoostError.textDump(line: treeStartLine, reason: "tree \(trees.count) has no node 0 (its root)") }
            trees.append(XGBoostTree(nodes: nodes))
            current = [:]
        }

        var lineStart = 0
        let n = bytes.count
        while lineStart < n {
            var lineEnd = lineStart
            while lineEnd < n, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            currentLine += 1
            var s = lineStart, e = lineEnd
            while s < e, bytes[s] == 0x09 || bytes[s] == 0x20 { s += 1 }
            while e > s, bytes[e - 1] == 0x0D || bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09 { e -= 1 }
            lineStart = lineEnd + 1
            if s == e { continue }
            let line = String(decoding: bytes[s..<e], as: UTF8.self)
            if line.hasPrefix("booster[") {
                guard line.hasSuffix("]:") else { throw XGBoostError.textDump(line: currentLine, reason: "expected 'booster[N]:', found '\(line)'") }
                try finishTree()
                sawBoosterHeader = true
                treeStartLine = currentLine
                continue
            }
            guard let colon = line.firstIndex(of: ":"), let id = Int(line[..<colon]), id >= 0 else {
                throw XGBoostError.textDump(line: currentLine, reason: "expected a node ('ID:[split] ...' or 'ID:leaf=...'), found '\(Self.clip(line))'")
            }
            if id == 0 && !current.isEmpty {
                if sawBoosterHeader {
                    throw XGBoostError.textDump(line: currentLine, reason: "node 0 appears twice in one booster[] block")
                }
                try finishTree()
            }
            if current.isEmpty { treeStartLine = currentLine }
            guard current[id] == nil else { throw XGBoostError.textDump(line: currentLine, reason: "node \(id) appears twice in tree \(trees.count)") }
            current[id] = try parseNode(line[line.index(after: colon)...], line: currentLine, names: nameIndex)
        }
        try finishTree()
        guard !trees.isEmpty else { throw XGBoostError.noTrees }
        return XGBoostBooster(trees: trees, featureNames: featureNames)
    }

    static func clip(_ s: String) -> String { s.count > 80 ? String(s.prefix(80)) + "..." : s }

    func parseNode(_ rest: Substring, line: Int, names: [String: Int]) throws -> XGBoostNode {
        if rest.hasPrefix("leaf=[") {
            // A multi-output tree's leaf: one value per target.
            guard let close = rest.firstIndex(of: "]") else { throw XGBoostError.textDump(line: line, reason: "leaf vector without ']'") }
            var values: [Float] = []
            for part in rest[rest.index(rest.startIndex, offsetBy: 6)..<close].split(separator: ",") {
                let t = part.trimmingCharacters(in: .whitespaces)
                guard let v = Float(t) else { throw XGBoostError.textDump(line: line, reason: "leaf value '\(t)' is not a number") }
                values.append(v)
            }
            guard !values.isEmpty else { throw XGBoostError.textDump(line: line, reason: "empty leaf vector") }
            return .leaf(values)
        }
        if rest.hasPrefix("leaf=") {
            let valueText = rest.dropFirst(5).prefix { $0 != "," }
            guard let v = Float(valueText) else { throw XGBoostError.textDump(line: line, reason: "leaf value '\(valueText)' is not a number") }
            return .leaf([v])
        }
        guard rest.hasPrefix("["), let close = rest.range(of: "] ") ?? rest.range(of: "]", options: .backwards) else {
            throw XGBoostError.textDump(line: line, reason: "expected '[condition]' or 'leaf=' after the node id, found '\(Self.clip(String(rest)))'")
        }
        let condition = rest[rest.index(after: rest.startIndex)..<close.lowerBound]
        var fields: [Substring: Int] = [:]
        for part in rest[close.upperBound...].split(separator: ",") {
            guard let eq = part.firstIndex(of: "=") else { continue }
            let key = part[..<eq].trimmingCharacters(in: .whitespaces)
            if key == "yes" || key == "no" || key == "missing" {
                guard let v = Int(part[part.index(after: eq)...]) else {
                    throw XGBoostError.textDump(line: line, reason: "\(key)= needs a node id, found '\(part)'")
                }
                fields[Substring(key)] = v
            }
        }
        guard let yes = fields["yes"], let no = fields["no"] else {
            throw XGBoostError.textDump(line: line, reason: "a split needs yes= and no= node ids")
        }
        if condition.hasSuffix("}"), let open = condition.range(of: ":{", options: .backwards) {
            let feature = try resolve(condition[..<open.lowerBound], line: line, names: names)
            var cats: [Int] = []
            for c in condition[open.upperBound..<condition.index(before: condition.endIndex)].split(separator: ",") {
                guard let v = Int(c.trimmingCharacters(in: .whitespaces)), v >= 0 else {
                    throw XGBoostError.textDump(line: line, reason: "category '\(c)' is not a non-negative integer")
                }
                cats.append(v)
            }
            return .categorical(feature: feature, categories: cats, inSet: yes, notInSet: no, missing: fields["missing"] ?? no)
        }
        guard let lt = condition.lastIndex(of: "<") else {
            throw XGBoostError.unsupportedSplit(line: line, reason: "split '[\(condition)]' has no threshold (an indicator feature from an fmap); the dump cannot say where it splits, so convert the saved model (model.json or model.ubj) instead")
        }
        let feature = try resolve(condition[..<lt], line: line, names: names)
        let thresholdText = condition[condition.index(after: lt)...]
        guard let t = Float(thresholdText), !t.isNaN else {
            throw XGBoostError.textDump(line: line, reason: "threshold '\(thresholdText)' is not a number")
        }
        guard let missing = fields["missing"] else {
            throw XGBoostError.textDump(line: line, reason: "a numeric split needs missing= (where missing values go)")
        }
        return .numeric(feature: feature, threshold: t, yes: yes, no: no, missing: missing)
    }

    func resolve(_ name: Substring, line: Int, names: [String: Int]) throws -> Int {
        if let i = names[String(name)] { return i }
        if name.hasPrefix("f"), let i = Int(name.dropFirst()), i >= 0 { return i }
        if featureNames == nil { throw XGBoostError.featureNamesNeeded(name: String(name), line: line) }
        throw XGBoostError.unknownFeatureName(name: String(name), line: line)
    }
}
