import DocumentReaders

/// Reads the JSON dump (`Booster.dump_model(path, dump_format="json")`, or a JSON array of
/// the strings `get_dump(dump_format="json")` returns): an array of trees, each a nested
/// node object.
///
/// ```
/// [{ "nodeid": 0, "depth": 0, "split": "f2", "split_condition": 2.45000005,
///    "yes": 1, "no": 2, "missing": 1, "children": [{ "nodeid": 1, "leaf": 0.14 }, ...] }]
/// ```
///
/// A categorical split has a list of categories as its `split_condition`, which go `yes`.
public struct XGBoostJSONDumpReader {
    /// Names of the input columns, or nil (features are then `f<index>`).
    public var featureNames: [String]?

    /// A reader.
    public init(featureNames: [String]? = nil) { self.featureNames = featureNames }

    /// Parses a JSON dump.
    /// - Throws: `XGBoostError` naming the JSON path.
    public func read(_ bytes: [UInt8]) throws -> XGBoostBooster {
        let doc: DocumentValue
        do { doc = try JSONReader.parse(bytes) } catch let e as DocumentError { throw XGBoostError.document(e) }
        do { return try read(DocumentNode(doc, path: "$"), slotBudget: XGBoostTree.nodeSlotBudget(dumpBytes: bytes.count)) } catch let e as DocumentError {
            throw XGBoostError.document(e)
        }
    }

    func read(_ root: DocumentNode, slotBudget: Int) throws -> XGBoostBooster {
        let names = Dictionary((featureNames ?? []).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var trees: [XGBoostTree] = []
        var slots = 0
        for treeNode in try root.elements() {
            var node = treeNode
            // get_dump(dump_format="json") gives strings; a list of them may be saved as is.
            if case .string(let s) = treeNode.value {
                node = DocumentNode(try JSONReader.parse(s), path: treeNode.path)
            }
            var nodes: [Int: XGBoostNode] = [:]
            var stack = [node]
            while let n = stack.popLast() {
                let id = try n.member("nodeid").integer()
                guard id >= 0, id < 1 << 30 else { throw DocumentError.invalidValue(path: n.path + ".nodeid", reason: "node id \(id) is out of range") }
                guard nodes[id] == nil else { throw DocumentError.invalidValue(path: n.path + ".nodeid", reason: "node \(id) appears twice in tree \(trees.count)") }
                if let leaf = try n.optionalMember("leaf") {
                    switch leaf.value {
                    case .numbers, .array: nodes[id] = .leaf(try leaf.numbers().floats)  // multi-output tree
                    default: nodes[id] = .leaf([try leaf.float()])
                    }
                    continue
                }
                let split = try n.member("split")
                let feature = try resolve(split)
                let yes = try n.member("yes").integer(), no = try n.member("no").integer()
                let missing = try n.optionalMember("missing")?.integer()
                let cond = try n.member("split_condition")
                switch cond.value {
                case .numbers, .array:
                    let cats = try cond.integers()
                    if let bad = cats.first(where: { $0 < 0 }) { throw DocumentError.invalidValue(path: cond.path, reason: "category \(bad) is negative") }
                    nodes[id] = .categorical(feature: feature, categories: cats, inSet: yes, notInSet: no, missing: missing ?? no)
                default:
                    let t = try cond.float()
                    guard !t.isNaN else { throw DocumentError.invalidValue(path: cond.path, reason: "the threshold is NaN") }
                    guard let missing else { throw DocumentError.missingMember(path: n.path, key: "missing") }
                    nodes[id] = .numeric(feature: feature, threshold: t, yes: yes, no: no, missing: missing)
                }
                if let children = try n.optionalMember("children") { stack.append(contentsOf: try children.elements().reversed()) }
            }
            guard let maxID = nodes.keys.max(), nodes[0] != nil else { throw DocumentError.invalidValue(path: node.path, reason: "tree \(trees.count) has no node 0 (its root)") }
            slots += maxID + 1
            guard slots <= slotBudget else {
                throw DocumentError.invalidValue(path: node.path, reason: "node id \(maxID) in tree \(trees.count) takes the trees to \(slots) node slots, more than a dump of this size can describe (\(slotBudget))")
            }
            var list = [XGBoostNode?](repeating: nil, count: maxID + 1)
            for (k, v) in nodes { list[k] = v }
            trees.append(XGBoostTree(nodes: list))
        }
        guard !trees.isEmpty else { throw XGBoostError.noTrees }
        return XGBoostBooster(trees: trees, featureNames: featureNames)

        func resolve(_ split: DocumentNode) throws -> Int {
            let name: String
            switch split.value {
            case .number: return try split.integer()
            default: name = try split.string()
            }
            if let i = names[name] { return i }
            if name.hasPrefix("f"), let i = Int(name.dropFirst()), i >= 0 { return i }
            throw DocumentError.invalidValue(path: split.path, reason: featureNames == nil
                ? "the dump names feature '\(name)'; pass --feature-names a,b,... or --fmap FILE so it maps to a column"
                : "feature '\(name)' is not among the feature names given")
        }
    }
}
