import Foundation
import DocumentReaders
import ReaderLimits

/// Reads XGBoost's saved model (`Booster.save_model("m.json")` or `"m.ubj"`, the same
/// document in JSON or UBJSON) and the configuration `Booster.save_config()` writes.
///
/// The parts read: `learner.learner_model_param` (base_score in its scalar or XGBoost 3
/// vector form `"[a,b,c]"`, num_class, num_feature, num_target), `learner.objective`,
/// `learner.feature_names` / `feature_types`, and `learner.gradient_booster`: `gbtree`
/// (`model.trees`, `tree_info`, `gbtree_model_param.num_parallel_tree`) or `dart` (the
/// same under `gbtree`, plus `weight_drop`). Each tree holds per-node arrays:
/// `left_children` (-1 for a leaf), `right_children`, `split_indices`,
/// `split_conditions` (the threshold, or a leaf's value), `default_left`, `split_type`
/// (1 = categorical, with `categories_nodes` / `categories_segments` /
/// `categories_sizes` / `categories`), and for multi-output trees
/// (`tree_param.size_leaf_vector` > 1) `leaf_weights`, whose vector for a leaf is the one
/// its `right_children` entry indexes.
///
/// `limits` bound the document, the trees and their nodes, and what categorical sets and
/// leaf vectors copy out of the shared arrays (relative to the file's size).
public enum XGBoostModelReader {
    /// Reads a saved model from JSON or UBJSON bytes.
    /// - Throws: `XGBoostError` naming the JSON path, `ReaderLimitBreach`.
    public static func read(_ bytes: [UInt8], ubjson: Bool, limits: ReaderLimits = .default) throws -> XGBoostBooster {
        let doc: DocumentValue
        do { doc = ubjson ? try UBJSONReader.parse(bytes, limits: limits) : try JSONReader.parse(bytes, limits: limits) } catch let e as DocumentError {
            throw XGBoostError.document(e)
        }
        var allowance = ReaderAllowance(limits: limits, inputBytes: bytes.count)
        do { return try read(DocumentNode(doc, path: "$"), allowance: &allowance) } catch let e as DocumentError { throw XGBoostError.document(e) }
    }

    /// Reads `Booster.save_config()` JSON into a booster without trees: objective,
    /// base_score, num_class, num_feature, num_target, num_parallel_tree.
    /// - Throws: `XGBoostError` naming the JSON path, `ReaderLimitBreach`.
    public static func readConfig(_ bytes: [UInt8], limits: ReaderLimits = .default) throws -> XGBoostBooster {
        let doc: DocumentValue
        do { doc = try JSONReader.parse(bytes, limits: limits) } catch let e as DocumentError { throw XGBoostError.document(e) }
        do {
            let root = DocumentNode(doc, path: "$")
            let learner = try root.member("learner")
            var b = XGBoostBooster(trees: [])
            try readParameters(learner, into: &b)
            if let booster = try learner.optionalMember("gradient_booster") {
                let gb = booster.has("gbtree") ? try booster.member("gbtree") : booster
                if let p = try gb.optionalMember("gbtree_model_param") {
                    if let n = try p.optionalMember("num_parallel_tree") { b.numParallelTree = try n.integer() }
                    if let n = try p.optionalMember("num_trees") { b.numTrees = try n.integer() }
                }
            }
            if b.objective == nil, let train = try learner.optionalMember("learner_train_param"), let o = try train.optionalMember("objective") {
                b.objective = try o.string()
            }
            b.version = try root.optionalMember("version")?.integers()
            return b
        } catch let e as DocumentError { throw XGBoostError.document(e) }
    }

    static func read(_ root: DocumentNode, allowance: inout ReaderAllowance) throws -> XGBoostBooster {
        let learner = try root.member("learner")
        var booster = XGBoostBooster(trees: [])
        try readParameters(learner, into: &booster)
        booster.version = try root.optionalMember("version")?.integers()
        if let names = try learner.optionalMember("feature_names") {
            let list = try names.strings()
            if !list.isEmpty { booster.featureNames = list }
        }
        if let types = try learner.optionalMember("feature_types") {
            let list = try types.strings()
            if !list.isEmpty { booster.featureTypes = list }
        }
        let gb = try learner.member("gradient_booster")
        let name = try gb.member("name").string()
        let gbtree: DocumentNode
        switch name {
        case "gbtree": gbtree = gb
        case "dart":
            gbtree = try gb.member("gbtree")
            booster.treeWeights = try gb.member("weight_drop").numbers().floats
        default: throw XGBoostError.unsupportedBooster(name: name)
        }
        let model = try gbtree.member("model")
        if let p = try model.optionalMember("gbtree_model_param"), let n = try p.optionalMember("num_parallel_tree") {
            booster.numParallelTree = try n.integer()
        }
        booster.treeGroups = try model.optionalMember("tree_info")?.integers()
        let treeNodes = try model.member("trees").elements()
        var tally = TreeTally(limits: allowance.limits)
        try tally.checkDeclaredTrees(treeNodes.count, at: model.path + ".trees")
        booster.trees = try treeNodes.enumerated().map { try readTree($1, index: $0, tally: &tally, allowance: &allowance) }
        if let groups = booster.treeGroups, groups.count != booster.trees.count {
            throw DocumentError.invalidValue(path: model.path + ".tree_info", reason: "\(groups.count) entries for \(booster.trees.count) trees")
        }
        if let w = booster.treeWeights, w.count != booster.trees.count {
            throw DocumentError.invalidValue(path: gb.path + ".weight_drop", reason: "\(w.count) weights for \(booster.trees.count) trees")
        }
        guard !booster.trees.isEmpty else { throw XGBoostError.noTrees }
        return booster
    }

    /// The learner parameters a saved model and a configuration share.
    static func readParameters(_ learner: DocumentNode, into b: inout XGBoostBooster) throws {
        if let p = try learner.optionalMember("learner_model_param") {
            if let s = try p.optionalMember("base_score") { b.baseScore = try baseScore(s) }
            if let v = try p.optionalMember("num_class") { b.numClass = try v.integer() }
            if let v = try p.optionalMember("num_feature") { b.numFeature = try v.integer() }
            if let v = try p.optionalMember("num_target") { b.numTarget = try v.integer() }
        }
        if let o = try learner.optionalMember("objective") {
            b.objective = try o.member("name").string()
            // Parameters that change what predict() returns live in the nested param objects.
            for key in o.keys where key != "name" {
                guard let params = try o.optionalMember(key), case .object(let members) = params.value else { continue }
                for (k, v) in members {
                    if case .string(let s) = v { b.objectiveParameters[k] = s }
                }
            }
        }
    }

    /// `"5E-1"`, `"[1.2E0,-3E-1]"` (XGBoost 3), or a number.
    static func baseScore(_ node: DocumentNode) throws -> [Float] {
        switch node.value {
        case .string(let s):
            var text = Substring(s.trimmingCharacters(in: .whitespaces))
            if text.hasPrefix("[") && text.hasSuffix("]") { text = text.dropFirst().dropLast() }
            var out: [Float] = []
            for part in text.split(separator: ",") {
                guard let v = Float(part.trimmingCharacters(in: .whitespaces)) else {
                    throw DocumentError.invalidValue(path: node.path, reason: "'\(s)' is not a number or a list of numbers")
                }
                out.append(v)
            }
            guard !out.isEmpty else { throw DocumentError.invalidValue(path: node.path, reason: "empty base_score") }
            return out
        case .numbers(let n): return n.floats
        default: return [try node.float()]
        }
    }

    static func readTree(_ t: DocumentNode, index: Int, tally: inout TreeTally, allowance: inout ReaderAllowance) throws -> XGBoostTree {
        let left = try t.member("left_children").integers()
        try tally.count(treeOf: left.count, at: t.path)
        let right = try t.member("right_children").integers()
        let features = try t.member("split_indices").integers()
        let conditions = try t.member("split_conditions").numbers().floats
        let defaultLeft = try t.member("default_left").integers()
        let n = left.count
        for (key, count) in [("right_children", right.count), ("split_indices", features.count), ("split_conditions", conditions.count), ("default_left", defaultLeft.count)] where count != n {
            throw DocumentError.invalidValue(path: "\(t.path).\(key)", reason: "\(count) entries for \(n) nodes (left_children)")
        }
        let splitType = try t.optionalMember("split_type")?.integers() ?? []
        guard splitType.isEmpty || splitType.count == n else {
            throw DocumentError.invalidValue(path: "\(t.path).split_type", reason: "\(splitType.count) entries for \(n) nodes")
        }
        var leafWidth = 1
        if let p = try t.optionalMember("tree_param") {
            if let w = try p.optionalMember("size_leaf_vector") { leafWidth = max(1, try w.integer()) }
            // XGBoost sizes its arrays from num_nodes; a count that disagrees means damage.
            if let c = try p.optionalMember("num_nodes"), try c.integer() != n {
                throw DocumentError.invalidValue(path: c.path, reason: "\(try c.integer()) nodes, but left_children has \(n) entries")
            }
        }
        var leafVectors: [Float] = []
        if leafWidth > 1 { leafVectors = try t.member("leaf_weights").numbers().floats }

        // Categorical sets: node id -> categories.
        var categoriesOf: [Int: [Int]] = [:]
        if splitType.contains(1) {
            let nodesList = try t.member("categories_nodes").integers()
            let segments = try t.member("categories_segments").integers()
            let sizes = try t.member("categories_sizes").integers()
            let cats = try t.member("categories").integers()
            guard segments.count == nodesList.count, sizes.count == nodesList.count else {
                throw DocumentError.invalidValue(path: "\(t.path).categories_segments", reason: "categories_nodes, categories_segments and categories_sizes differ in length")
            }
            for (k, node) in nodesList.enumerated() {
                let a = segments[k], c = sizes[k]
                guard a >= 0, c >= 0, a <= cats.count, c <= cats.count - a else {
                    throw DocumentError.invalidValue(path: "\(t.path).categories_segments[\(k)]", reason: "segment \(a)+\(c) is outside categories (\(cats.count))")
                }
                // Segments may overlap: each copy counts.
                try allowance.spend(count: c, of: MemoryLayout<Int>.stride, at: "\(t.path).categories_segments[\(k)]")
                categoriesOf[node] = Array(cats[a..<(a + c)])
            }
        }

        var nodes = [XGBoostNode?](repeating: nil, count: n)
        for i in 0..<n {
            if left[i] == -1 {
                if leafWidth > 1 {
                    // A multi-output leaf's right_children entry indexes its vector in leaf_weights.
                    let (a, overflow) = right[i].multipliedReportingOverflow(by: leafWidth)
                    guard right[i] >= 0, !overflow, a <= leafVectors.count - leafWidth else {
                        throw DocumentError.invalidValue(path: "\(t.path).right_children[\(i)]", reason: "leaf vector \(right[i]) is outside leaf_weights (\(leafVectors.count / leafWidth) vectors of \(leafWidth))")
                    }
                    try allowance.spend(count: leafWidth, of: MemoryLayout<Float>.stride, at: "\(t.path).right_children[\(i)]")
                    nodes[i] = .leaf(Array(leafVectors[a..<(a + leafWidth)]))
                } else {
                    nodes[i] = .leaf([conditions[i]])
                }
                continue
            }
            let missing = defaultLeft[i] != 0 ? left[i] : right[i]
            if !splitType.isEmpty && splitType[i] == 1 {
                guard let cats = categoriesOf[i] else {
                    throw XGBoostError.invalidTree(tree: index, node: i, reason: "a categorical split without categories (\(t.path).categories_nodes)")
                }
                // XGBoost sends the listed categories right and everything else left.
                nodes[i] = .categorical(feature: features[i], categories: cats, inSet: right[i], notInSet: left[i], missing: missing)
            } else {
                guard !conditions[i].isNaN else { throw XGBoostError.invalidTree(tree: index, node: i, reason: "the threshold is NaN (\(t.path).split_conditions[\(i)])") }
                nodes[i] = .numeric(feature: features[i], threshold: conditions[i], yes: left[i], no: right[i], missing: missing)
            }
        }
        guard n > 0 else { throw XGBoostError.invalidTree(tree: index, node: nil, reason: "the tree has no nodes (\(t.path))") }
        return XGBoostTree(nodes: nodes)
    }
}
