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

extension RunContext {
    /// The leaf trace asked of this node in this run, if any.
    var leafTraceRequest: TreeLeafTraceRequest? {
        guard let t = frame.trace, t.nodeName == nodeName else { return nil }
        return t
    }
}

extension TreeEngine {
    /// `scores`, and the leaf trace too when the run asks this node for it: recorded in
    /// the same walk, so tracing costs a store per row and tree, not a second pass.
    func scores(_ x: UnsafeBufferPointer<T>, rows: Int, cols: Int, tracing context: RunContext) -> (scores: [T], has: [UInt8]) {
        guard let request = context.leafTraceRequest else { return scores(x, rows: rows, cols: cols) }
        var positions = [Int32](repeating: -1, count: rows * roots.count)
        let result = positions.withUnsafeMutableBufferPointer { scores(x, rows: rows, cols: cols, leaves: $0.baseAddress) }
        request.result = TreeLeafTrace(rows: rows, trees: roots.count, positions: positions)
        return result
    }
}
