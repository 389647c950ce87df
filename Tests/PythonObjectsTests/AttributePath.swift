import PythonObjects

/// The fitted-attribute paths of Fixtures/python/sklearn/<est>.expected.json
/// (`steps[1][1].coef_`, `estimators_[2,0].tree_.nodes`): names with list or array
/// indices, resolved in a `PyValue` tree. Shared by the container tests (the same rules as
/// `SklearnContainerTests.resolve`, which can move here).
enum AttributePath {
    static func resolve(_ value: PyValue, _ path: String) -> PyValue? {
        var v = value
        for part in path.split(separator: ".") {
            var name = Substring(part)
            var indices: [[Int]] = []
            while let open = name.lastIndex(of: "["), name.hasSuffix("]") {
                indices.insert(name[name.index(after: open)..<name.index(before: name.endIndex)].split(separator: ",").compactMap { Int($0) }, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty {
                guard case .object(let o) = v else { return nil }
                if o.className == "sklearn.tree._tree.Tree", let k = ["n_features", "n_classes", "n_outputs"].firstIndex(of: String(name)) {
                    guard k < o.args.count else { return nil }
                    v = o.args[k]
                } else {
                    guard let a = o.attribute(String(name)) else { return nil }
                    v = a
                }
            }
            for idx in indices {
                switch v {
                case .list(let l) where idx.count == 1 && idx[0] < l.items.count: v = l.items[idx[0]]
                case .tuple(let t) where idx.count == 1 && idx[0] < t.count: v = t[idx[0]]
                case .ndarray(let a) where a.objects != nil && idx.count == a.shape.count:
                    var flat = 0
                    for (d, i) in idx.enumerated() { flat = flat * a.shape[d] + i }
                    guard let objects = a.objects, flat < objects.count else { return nil }
                    v = objects[flat]
                default: return nil
                }
            }
        }
        return v
    }
}
