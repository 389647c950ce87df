import DocumentReaders

/// Reads the JSON that `Booster.dump_model()` returns (saved with `json.dump`): the
/// header keys and `tree_info`, each tree a nested `tree_structure` of splits
/// (`split_index`, `split_feature`, `threshold`, `decision_type` `<=` or `==`,
/// `default_left`, `missing_type` None/Zero/NaN, `left_child`, `right_child`) and
/// leaves (`leaf_index`, `leaf_value`). A categorical threshold is the category list
/// `"1||3||7"`.
public enum LightGBMJSONReader {
    /// Parses a dump.
    /// - Throws: `LightGBMError` naming the JSON path.
    public static func read(_ bytes: [UInt8]) throws -> LightGBMBooster {
        do {
            let root = DocumentNode(try JSONReader.parse(bytes), path: "$")
            let numClass = try root.optionalMember("num_class")?.integer() ?? 1
            let perIteration = try root.optionalMember("num_tree_per_iteration")?.integer() ?? numClass
            let maxFeature = try root.member("max_feature_idx").integer()
            let objective = try root.member("objective").string()
            let average = try root.optionalMember("average_output")?.bool() ?? false
            let names = try root.optionalMember("feature_names")?.strings()
            var trees: [LightGBMTree] = []
            var allLeaves = 0
            for (t, info) in try root.member("tree_info").elements().enumerated() {
                let leaves = try info.member("num_leaves").integer()
                guard leaves >= 1 else { throw DocumentError.invalidValue(path: info.path + ".num_leaves", reason: "\(leaves) leaves") }
                // Each leaf takes more than a byte of the dump: a count the file did not earn
                // would otherwise be an allocation of that size (Fixtures/fuzz-regressions/lightgbm-json).
                allLeaves += min(leaves, bytes.count + 1)
                guard allLeaves <= bytes.count else {
                    throw DocumentError.invalidValue(path: info.path + ".num_leaves", reason: "\(leaves) leaves: with the trees before, more than a dump of \(bytes.count) bytes can describe")
                }
                let splits = leaves - 1
                var nodes = [LightGBMNode?](repeating: nil, count: splits + leaves)
                func index(_ n: DocumentNode) throws -> Int {
                    if let s = try n.optionalMember("split_index") {
                        let i = try s.integer()
                        guard i >= 0, i < splits else { throw DocumentError.invalidValue(path: s.path, reason: "split \(i) of \(splits)") }
                        return i
                    }
                    let i = try n.optionalMember("leaf_index")?.integer() ?? 0
                    guard i >= 0, i < leaves else { throw DocumentError.invalidValue(path: n.path + ".leaf_index", reason: "leaf \(i) of \(leaves)") }
                    return splits + i
                }
                var stack = [try info.member("tree_structure")]
                while let n = stack.popLast() {
                    let i = try index(n)
                    guard nodes[i] == nil else { throw DocumentError.invalidValue(path: n.path, reason: "node \(i) appears twice") }
                    if let v = try n.optionalMember("leaf_value") {
                        var value = try v.double()
                        if let c = try n.optionalMember("leaf_const") {
                            // A linear leaf: exact only when it uses no feature.
                            guard try n.optionalMember("leaf_features")?.integers().isEmpty ?? true else { throw LightGBMError.linearTrees(tree: t) }
                            value = try c.double()
                        }
                        nodes[i] = .leaf(value)
                        continue
                    }
                    let l = try n.member("left_child"), r = try n.member("right_child")
                    let feature = try n.member("split_feature").integer()
                    let th = try n.member("threshold")
                    if try n.member("decision_type").string() == "==" {
                        let text: String
                        switch th.value {
                        case .string(let s): text = s
                        default: text = String(try th.integer())
                        }
                        var cats: [Int] = []
                        for part in text.split(separator: "|", omittingEmptySubsequences: true) {
                            guard let c = Int(part), c >= 0 else { throw DocumentError.invalidValue(path: th.path, reason: "'\(part)' is not a category") }
                            cats.append(c)
                        }
                        nodes[i] = .categorical(feature: feature, categories: cats, left: try index(l), right: try index(r))
                    } else {
                        let m: LightGBMMissingType
                        switch try n.optionalMember("missing_type")?.string() ?? "None" {
                        case "None": m = .none
                        case "Zero": m = .zero
                        case "NaN": m = .nan
                        case let other: throw DocumentError.invalidValue(path: n.path + ".missing_type", reason: "'\(other)' is not None, Zero or NaN")
                        }
                        nodes[i] = .numeric(feature: feature, threshold: try th.double(), missingType: m,
                                            defaultLeft: try n.optionalMember("default_left")?.bool() ?? false, left: try index(l), right: try index(r))
                    }
                    stack.append(r)
                    stack.append(l)
                }
                guard nodes.allSatisfy({ $0 != nil }) else { throw DocumentError.invalidValue(path: info.path, reason: "the tree does not reach all of its \(splits + leaves) nodes") }
                trees.append(LightGBMTree(nodes: nodes.map { $0! }))
            }
            guard !trees.isEmpty else { throw DocumentError.invalidValue(path: "$.tree_info", reason: "no trees") }
            return LightGBMBooster(objective: objective, numClass: numClass, numTreePerIteration: perIteration, maxFeatureIndex: maxFeature,
                                   averageOutput: average, featureNames: names, trees: trees)
        } catch let e as DocumentError { throw LightGBMError.document(e) }
    }
}
