import TreeEnsembles

/// Small hand-built trees shared by the tests.
enum T {
    static func leaf(_ v: Double...) -> TreeNode { .leaf(v) }

    /// `x[f] < t` (float32), XGBoost style.
    static func lt32(_ f: Int, _ t: Float, yes: Int, no: Int, missingYes: Bool = false) -> TreeNode {
        .split(Split(feature: f, threshold: .float32(t), comparison: .lessThan, yes: yes, no: no, missingGoesToYes: missingYes))
    }

    /// `x[f] <= t` (float64), LightGBM / scikit-learn style.
    static func le64(_ f: Int, _ t: Double, yes: Int, no: Int, missingYes: Bool = false) -> TreeNode {
        .split(Split(feature: f, threshold: .float64(t), comparison: .lessOrEqual, yes: yes, no: no, missingGoesToYes: missingYes))
    }

    /// `x[f] <= t` (float32).
    static func le32(_ f: Int, _ t: Float, yes: Int, no: Int, missingYes: Bool = false) -> TreeNode {
        .split(Split(feature: f, threshold: .float32(t), comparison: .lessOrEqual, yes: yes, no: no, missingGoesToYes: missingYes))
    }

    /// `x[f] < t` (float64).
    static func lt64(_ f: Int, _ t: Double, yes: Int, no: Int, missingYes: Bool = false) -> TreeNode {
        .split(Split(feature: f, threshold: .float64(t), comparison: .lessThan, yes: yes, no: no, missingGoesToYes: missingYes))
    }

    /// `trunc(x[f]) in cats`.
    static func cat(_ f: Int, _ cats: [Int], yes: Int, no: Int, missingYes: Bool = false) -> TreeNode {
        .split(Split(feature: f, threshold: .float64(0), comparison: .lessOrEqual, yes: yes, no: no, missingGoesToYes: missingYes,
                     categories: cats))
    }

    /// One split on feature f and two leaves: yes → a, no → b.
    static func stump(_ split: (Int, Int) -> TreeNode, _ a: Double, _ b: Double, target: Int = 0) -> Tree {
        Tree(nodes: [split(1, 2), leaf(a), leaf(b)], target: target)
    }

    /// A regression model of the given trees.
    static func regression(_ trees: [Tree], features: Int, base: [Double] = [0], aggregation: TreeEnsembleModel.Aggregation = .sum,
                           transform: TreeEnsembleModel.Transform = .identity, targets: Int = 1) -> TreeEnsembleModel {
        TreeEnsembleModel(trees: trees, featureCount: features, task: .regression(targets: targets), baseScores: base,
                          aggregation: aggregation, transform: transform)
    }

    /// A mixed model: every split kind, NaN both ways, a categorical split, three columns.
    static func mixed(task: TreeEnsembleModel.Task = .classification(labels: .integers([10, 20, 30])),
                      transform: TreeEnsembleModel.Transform = .softmax) -> TreeEnsembleModel {
        let t0 = Tree(nodes: [lt32(0, 0.5, yes: 1, no: 2, missingYes: true),
                              le64(1, 0.1, yes: 3, no: 4), leaf(-0.25),
                              leaf(1.5), cat(2, [0, 2, 5], yes: 5, no: 6, missingYes: true),
                              leaf(0.75), leaf(-1)], target: 0)
        let t1 = Tree(nodes: [le64(1, 1.0 / 3.0, yes: 1, no: 2),
                              lt64(3, 1e-40, yes: 3, no: 4, missingYes: true), cat(2, [1, 3], yes: 5, no: 6),
                              leaf(0.5), leaf(-0.5), leaf(2), le32(0, -0.0, yes: 7, no: 8),
                              leaf(0.125), leaf(-0.125)], target: 1)
        let t2 = Tree(nodes: [le64(3, 3.4e38, yes: 1, no: 2, missingYes: true), leaf(0.3), leaf(-0.7)], target: 2)
        let t3 = Tree(nodes: [leaf(0.05)], target: 1)
        return TreeEnsembleModel(trees: [t0, t1, t2, t3], featureCount: 4, task: task, baseScores: [0.1, -0.2, 0.3],
                                 transform: transform)
    }
}
