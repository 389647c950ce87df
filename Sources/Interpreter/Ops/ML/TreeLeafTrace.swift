import Foundation

/// Which leaf every row reached in every tree of one tree op, recorded while the op ran
/// (`Session.run(_:tracingLeavesOf:)`). Converters compare it with their own evaluator
/// to prove that each tree took the same branches, not only that the sums agree.
public struct TreeLeafTrace: Sendable, Equatable {
    /// Rows evaluated.
    public let rows: Int
    /// Trees, in the op's order (`tree_roots`, or runs of `nodes_treeids`).
    public let trees: Int
    /// Row-major [rows, trees]: the leaf's position among its tree's leaves, counted in
    /// preorder with the true branch first (a leaf shared within a tree counts once).
    public let positions: [Int32]

    /// The position of the leaf `row` reached in `tree`.
    public func position(row: Int, tree: Int) -> Int { Int(positions[row * trees + tree]) }
}

/// Asks one run of a graph for the leaf trace of the node named `nodeName`.
final class TreeLeafTraceRequest {
    let nodeName: String
    var result: TreeLeafTrace?
    init(nodeName: String) { self.nodeName = nodeName }
}

/// Tree ops whose leaf choices can be traced: those built on `TreeEngines`.
protocol TreeLeafTracing {
    var engines: TreeEngines { get }
}

extension TreeLeafTracing {
    /// Walks the op's input through its trees again, recording leaves instead of scores.
    func traceLeaves(_ inputs: [Value?], _ context: RunContext) throws -> TreeLeafTrace {
        try engines.leafTrace(try context.tensor(inputs, 0), context)
    }
}

extension TreeEngines {
    /// The leaf trace of input `x`, walked by the engine `run` uses for it. (A method of
    /// this concrete class, not of the protocol, so that the walk is specialized.)
    func leafTrace(_ x: TensorValue, _ context: RunContext) throws -> TreeLeafTrace {
        let (rows, cols) = try rowsAndColumns(x, context)
        if usesDouble(x) {
            let e = try double.get()
            return TreeLeafTrace(rows: rows, trees: e.roots.count,
                                 positions: try TreeInput.with(x, as: Double.self) { e.leafPositions($0, rows: rows, cols: cols) })
        }
        let e = try float.get()
        return TreeLeafTrace(rows: rows, trees: e.roots.count,
                             positions: try TreeInput.with(x, as: Float.self) { e.leafPositions($0, rows: rows, cols: cols) })
    }
}

extension TreeEnsemble: TreeLeafTracing {}
extension TreeEnsembleRegressor: TreeLeafTracing {}
extension TreeEnsembleClassifier: TreeLeafTracing {}
