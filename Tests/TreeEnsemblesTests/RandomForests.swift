import TestSupport
import TreeEnsembles

/// Random ensembles mixing every split kind, with thresholds drawn from awkward values.
enum RandomEnsembles {
    static let awkward: [Double] = [0.1, 1.0 / 3.0, 1e-40, -1e-40, 3.4e38, -3.4e38, -0.0, 0, 0.5, 2.5, -7.25, 1e300, -1e300,
                                    Double(Float.greatestFiniteMagnitude), 16777217, 0.30000000000000004, 1e-45, 123.456]

    static func model(seed: UInt64, trees: Int, depth: Int, features: Int, columns: Int, categorical: Bool = true,
                      task: TreeEnsembleModel.Task? = nil, transform: TreeEnsembleModel.Transform = .identity,
                      vectorLeaves: Bool = false) -> TreeEnsembleModel {
        var rng = SplitMix(seed: seed)
        var out: [Tree] = []
        for t in 0..<trees {
            var nodes: [TreeNode] = []
            func grow(_ d: Int) -> Int {
                let me = nodes.count
                nodes.append(.leaf([0]))
                if d == depth || (d > 1 && Int.random(in: 0..<5, using: &rng) == 0) {
                    let n = vectorLeaves ? columns : 1
                    nodes[me] = .leaf((0..<n).map { _ in Double(Int.random(in: -1000...1000, using: &rng)) / 256 })
                    return me
                }
                let f = Int.random(in: 0..<features, using: &rng)
                let kind = Int.random(in: 0..<(categorical ? 5 : 4), using: &rng)
                var t = awkward.randomElement(using: &rng) ?? 0
                if Bool.random(using: &rng) { t = Double(Int.random(in: -20...20, using: &rng)) / 8 }
                let missing = Bool.random(using: &rng)
                let yes = grow(d + 1), no = grow(d + 1)
                let split: Split
                switch kind {
                case 0: split = Split(feature: f, threshold: .float32(Float(t)), comparison: .lessThan, yes: yes, no: no, missingGoesToYes: missing)
                case 1: split = Split(feature: f, threshold: .float64(t), comparison: .lessOrEqual, yes: yes, no: no, missingGoesToYes: missing)
                case 2: split = Split(feature: f, threshold: .float32(Float(t)), comparison: .lessOrEqual, yes: yes, no: no, missingGoesToYes: missing)
                case 3: split = Split(feature: f, threshold: .float64(t), comparison: .lessThan, yes: yes, no: no, missingGoesToYes: missing)
                default:
                    var cats = Set<Int>()
                    for _ in 0..<Int.random(in: 1...4, using: &rng) { cats.insert(Int.random(in: 0...6, using: &rng)) }
                    if Int.random(in: 0..<8, using: &rng) == 0 { cats.insert(16_777_217) }   // not a float32
                    split = Split(feature: f, threshold: .float64(0), comparison: .lessOrEqual, yes: yes, no: no,
                                  missingGoesToYes: missing, categories: cats.sorted())
                }
                nodes[me] = .split(split)
                return me
            }
            _ = grow(0)
            out.append(Tree(nodes: nodes, target: vectorLeaves ? 0 : t % columns))
        }
        let base = (0..<columns).map { Double($0) / 4 - 0.3 }
        return TreeEnsembleModel(trees: out, featureCount: features, task: task ?? .regression(targets: columns), baseScores: base,
                                 transform: transform)
    }
}
