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
/// 	8:leaf=[0.5, -0.25]
/// ```
///
/// A new tree starts at each `booster[k]:` line, or at a `0:` node when the dump has no
/// booster lines. Thresholds and leaves are parsed straight to float32 (XGBoost prints
/// them with enough digits to be exact). Features are `f<index>` or names, which
/// `featureNames` maps to columns. A categorical split (`[f0:{1,3}]`) sends the listed
/// categories to `yes`, as XGBoost prints it; a multi-output leaf is `leaf=[a, b]`.
/// The parser works on the bytes (dumps of large models run to many megabytes).
public struct XGBoostTextDumpReader {
    /// Names of the input columns (from `--feature-names` or an fmap), or nil.
    public var featureNames: [String]?

    /// A reader; `featureNames` maps named features to columns.
    public init(featureNames: [String]? = nil) { self.featureNames = featureNames }

    /// Parses a dump.
    /// - Throws: `XGBoostError` naming the line.
    public func read(_ bytes: [UInt8]) throws -> XGBoostBooster {
        let names = Dictionary((featureNames ?? []).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return try bytes.withUnsafeBufferPointer { b in
            var parser = DumpLineParser(b: b, names: names, haveNames: featureNames != nil)
            var trees: [XGBoostTree] = []
            var current: [XGBoostNode?] = []
            var count = 0
            var slots = 0   // node slots of the finished trees
            let slotBudget = XGBoostTree.nodeSlotBudget(dumpBytes: b.count)
            var line = 0, treeStartLine = 0
            var sawBoosterHeader = false

            func finishTree() throws {
                guard count > 0 else { return }
                guard current[0] != nil else { throw XGBoostError.textDump(line: treeStartLine, reason: "tree \(trees.count) has no node 0 (its root)") }
                trees.append(XGBoostTree(nodes: current))
                slots += current.count
                current = []
                count = 0
            }

            var lineStart = 0
            let n = b.count
            while lineStart < n {
                var lineEnd = lineStart
                while lineEnd < n, b[lineEnd] != 0x0A { lineEnd += 1 }
                line += 1
                var s = lineStart, e = lineEnd
                while s < e, b[s] == 0x09 || b[s] == 0x20 { s += 1 }
                while e > s, b[e - 1] == 0x0D || b[e - 1] == 0x20 || b[e - 1] == 0x09 { e -= 1 }
                lineStart = lineEnd + 1
                if s == e { continue }
                if parser.hasPrefix("booster[", s, e) {
                    guard e - s >= 2, b[e - 2] == UInt8(ascii: "]"), b[e - 1] == UInt8(ascii: ":") else {
                        throw XGBoostError.textDump(line: line, reason: "expected 'booster[N]:', found '\(parser.text(s, e))'")
                    }
                    try finishTree()
                    sawBoosterHeader = true
                    treeStartLine = line
                    continue
                }
                parser.line = line
                guard let (id, rest) = parser.nodeID(s, e) else {
                    throw XGBoostError.textDump(line: line, reason: "expected a node ('ID:[split] ...' or 'ID:leaf=...'), found '\(parser.text(s, e))'")
                }
                if id == 0 && count > 0 {
                    if sawBoosterHeader { throw XGBoostError.textDump(line: line, reason: "node 0 appears twice in one booster[] block") }
                    try finishTree()
                }
                if count == 0 { treeStartLine = line }
                guard id < 1 << 28 else { throw XGBoostError.textDump(line: line, reason: "node id \(id) is out of range") }
                guard slots + max(current.count, id + 1) <= slotBudget else {
                    throw XGBoostError.textDump(line: line, reason: "node id \(id) takes the trees to \(slots + id + 1) node slots, more than a dump of this size can describe (\(slotBudget))")
                }
                if id >= current.count { current.append(contentsOf: repeatElement(nil, count: id + 1 - current.count)) }
                guard current[id] == nil else { throw XGBoostError.textDump(line: line, reason: "node \(id) appears twice in tree \(trees.count)") }
                current[id] = try parser.node(rest, e)
                count += 1
            }
            try finishTree()
            guard !trees.isEmpty else { throw XGBoostError.noTrees }
            return XGBoostBooster(trees: trees, featureNames: featureNames)
        }
    }
}

/// The byte-level parser of one dump line.
struct DumpLineParser {
    let b: UnsafeBufferPointer<UInt8>
    let names: [String: Int]
    let haveNames: Bool
    var line = 0
    var scratch: [CChar] = []

    init(b: UnsafeBufferPointer<UInt8>, names: [String: Int], haveNames: Bool) {
        self.b = b
        self.names = names
        self.haveNames = haveNames
    }

    func text(_ s: Int, _ e: Int) -> String {
        let t = String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self)
        return t.count > 80 ? String(t.prefix(80)) + "..." : t
    }

    func hasPrefix(_ p: StaticString, _ s: Int, _ e: Int) -> Bool {
        let n = p.utf8CodeUnitCount
        guard e - s >= n else { return false }
        for k in 0..<n where b[s + k] != p.utf8Start[k] { return false }
        return true
    }

    func fail(_ reason: String) -> XGBoostError { .textDump(line: line, reason: reason) }

    /// `ID:` at the start of the line: the id and where the rest starts.
    func nodeID(_ s: Int, _ e: Int) -> (Int, Int)? {
        var k = s, v = 0
        while k < e, b[k] >= 0x30, b[k] <= 0x39 {
            v = v * 10 + Int(b[k] - 0x30)
            if v > 1 << 40 { return nil }
            k += 1
        }
        guard k > s, k < e, b[k] == UInt8(ascii: ":") else { return nil }
        return (v, k + 1)
    }

    /// The float32 of the literal in [s, e), rounded once (strtof).
    mutating func float(_ s: Int, _ e: Int, what: String) throws -> Float {
        var a = s, z = e
        while a < z, b[a] == 0x20 { a += 1 }
        while z > a, b[z - 1] == 0x20 { z -= 1 }
        guard a < z else { throw fail("\(what) is empty") }
        scratch.removeAll(keepingCapacity: true)
        for k in a..<z { scratch.append(CChar(bitPattern: b[k])) }
        scratch.append(0)
        var endPointer: UnsafeMutablePointer<CChar>? = nil
        let v = scratch.withUnsafeMutableBufferPointer { p -> Float in
            let r = strtof(p.baseAddress!, &endPointer)
            if endPointer != p.baseAddress! + (z - a) { endPointer = nil }
            return r
        }
        guard endPointer != nil else { throw fail("\(what) '\(text(a, z))' is not a number") }
        return v
    }

    /// A non-negative integer in [s, e).
    func integer(_ s: Int, _ e: Int) -> Int? {
        guard s < e, e - s <= 12 else { return nil }
        var v = 0
        for k in s..<e {
            guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
            v = v * 10 + Int(b[k] - 0x30)
        }
        return v
    }

    /// The column of the feature named in [s, e): `f<index>`, or a name.
    func feature(_ s: Int, _ e: Int) throws -> Int {
        if names.isEmpty, e - s >= 2, b[s] == UInt8(ascii: "f"), let i = integer(s + 1, e) { return i }
        let name = String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self)
        if let i = names[name] { return i }
        if e - s >= 2, b[s] == UInt8(ascii: "f"), let i = integer(s + 1, e) { return i }
        if !haveNames { throw XGBoostError.featureNamesNeeded(name: name, line: line) }
        throw XGBoostError.unknownFeatureName(name: name, line: line)
    }

    func find(_ c: UInt8, _ s: Int, _ e: Int) -> Int? {
        var k = s
        while k < e { if b[k] == c { return k }; k += 1 }
        return nil
    }

    /// The node after `ID:`, in [s, e).
    mutating func node(_ s: Int, _ e: Int) throws -> XGBoostNode {
        if hasPrefix("leaf=[", s, e) {
            guard let close = find(UInt8(ascii: "]"), s, e) else { throw fail("leaf vector without ']'") }
            var values: [Float] = []
            var a = s + 6
            while a < close {
                let z = find(UInt8(ascii: ","), a, close) ?? close
                values.append(try float(a, z, what: "leaf value"))
                a = z + 1
            }
            guard !values.isEmpty else { throw fail("empty leaf vector") }
            return .leaf(values)
        }
        if hasPrefix("leaf=", s, e) {
            let z = find(UInt8(ascii: ","), s + 5, e) ?? e
            return .leaf([try float(s + 5, z, what: "leaf value")])
        }
        guard s < e, b[s] == UInt8(ascii: "[") else {
            throw fail("expected '[condition]' or 'leaf=' after the node id, found '\(text(s, e))'")
        }
        // The condition ends at the "] " before the fields (names could hold ']').
        var close: Int? = nil
        var k = s + 1
        while k < e {
            if b[k] == UInt8(ascii: "]"), k + 1 == e || b[k + 1] == 0x20 { close = k; break }
            k += 1
        }
        guard let close else { throw fail("a split condition without ']'") }
        var yes: Int?, no: Int?, missing: Int?
        var a = close + 1
        while a < e {
            while a < e, b[a] == 0x20 { a += 1 }
            let z = find(UInt8(ascii: ","), a, e) ?? e
            if let eq = find(UInt8(ascii: "="), a, z) {
                if hasPrefix("yes=", a, z) || hasPrefix("no=", a, z) || hasPrefix("missing=", a, z) {
                    guard let v = integer(eq + 1, z) else { throw fail("\(text(a, eq))= needs a node id, found '\(text(a, z))'") }
                    switch b[a] {
                    case UInt8(ascii: "y"): yes = v
                    case UInt8(ascii: "n"): no = v
                    default: missing = v
                    }
                }
            }
            a = z + 1
        }
        guard let yes, let no else { throw fail("a split needs yes= and no= node ids") }
        let cs = s + 1, ce = close
        // Categorical: name:{c1,c2,...}
        if ce - cs >= 3, b[ce - 1] == UInt8(ascii: "}") {
            var open = ce - 1
            while open > cs, b[open] != UInt8(ascii: "{") { open -= 1 }
            if open > cs, b[open] == UInt8(ascii: "{"), b[open - 1] == UInt8(ascii: ":") {
                let feature = try self.feature(cs, open - 1)
                var cats: [Int] = []
                var p = open + 1
                while p < ce - 1 {
                    let z = find(UInt8(ascii: ","), p, ce - 1) ?? (ce - 1)
                    var x = p, y = z
                    while x < y, b[x] == 0x20 { x += 1 }
                    while y > x, b[y - 1] == 0x20 { y -= 1 }
                    guard let v = integer(x, y) else { throw fail("category '\(text(p, z))' is not a non-negative integer") }
                    cats.append(v)
                    p = z + 1
                }
                return .categorical(feature: feature, categories: cats, inSet: yes, notInSet: no, missing: missing ?? no)
            }
        }
        var lt: Int? = nil
        var q = ce - 1
        while q >= cs { if b[q] == UInt8(ascii: "<") { lt = q; break }; q -= 1 }
        guard let lt else {
            throw XGBoostError.unsupportedSplit(line: line, reason: "split '[\(text(cs, ce))]' has no threshold (an indicator feature from an fmap); the dump cannot say where it splits, so convert the saved model (model.json or model.ubj) instead")
        }
        let feature = try self.feature(cs, lt)
        let t = try float(lt + 1, ce, what: "threshold")
        guard !t.isNaN else { throw fail("threshold '\(text(lt + 1, ce))' is not a number") }
        guard let missing else { throw fail("a numeric split needs missing= (where missing values go)") }
        return .numeric(feature: feature, threshold: t, yes: yes, no: no, missing: missing)
    }
}
