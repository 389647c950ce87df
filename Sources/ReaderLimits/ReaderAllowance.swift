/// What one read has allocated for what its file declares, checked against both the
/// absolute memory budget and the input-relative allowance. A reader makes one per file
/// (or per embedded document) and spends from it where a count or size the file states
/// turns into memory: packed arrays, node tables, tensors, expanded aliases.
public struct ReaderAllowance: Sendable {
    /// The policy.
    public let limits: ReaderLimits
    /// The size of the input the allowance is relative to.
    public let inputBytes: Int
    /// Bytes spent so far.
    public private(set) var spent = 0
    /// The input-relative cap: `baseAllowance` + `maxBytesPerInputByte` x `inputBytes`.
    public let relativeCap: Int

    /// An allowance for an input of `inputBytes` bytes.
    public init(limits: ReaderLimits, inputBytes: Int) {
        self.limits = limits
        self.inputBytes = inputBytes
        let (scaled, overflow) = max(0, inputBytes).multipliedReportingOverflow(by: limits.maxBytesPerInputByte)
        let (sum, overflow2) = scaled.addingReportingOverflow(limits.baseAllowance)
        relativeCap = overflow || overflow2 ? Int.max : sum
    }

    /// Spends `count` x `size` bytes (overflow counts as too many).
    /// - Throws: `ReaderLimitBreach` of `memoryBudget` or `maxBytesPerInputByte`.
    public mutating func spend(count: Int, of size: Int, at place: @autoclosure () -> String, detail: @autoclosure () -> String? = nil) throws {
        let (bytes, overflow) = max(0, count).multipliedReportingOverflow(by: max(0, size))
        try spend(overflow ? Int.max : bytes, at: place(), detail: detail())
    }

    /// Spends `bytes`.
    /// - Throws: `ReaderLimitBreach` of `memoryBudget` or `maxBytesPerInputByte`.
    public mutating func spend(_ bytes: Int, at place: @autoclosure () -> String, detail: @autoclosure () -> String? = nil) throws {
        let (total, overflow) = spent.addingReportingOverflow(max(0, bytes))
        let now = overflow ? Int.max : total
        if now > limits.memoryBudget {
            throw ReaderLimitBreach(.memoryBudget, value: now, maximum: limits.memoryBudget, at: place(), detail: detail())
        }
        if now > relativeCap {
            throw ReaderLimitBreach(.maxBytesPerInputByte, value: now, maximum: relativeCap, at: place(),
                                    detail: (detail().map { $0 + "; " } ?? "") + "a file of \(inputBytes) bytes may declare \(limits.maxBytesPerInputByte) per byte plus \(limits.baseAllowance)")
        }
        spent = now
    }
}

/// Counts the trees of an ensemble and their nodes as a reader meets them, against
/// `maxTrees`, `maxNodesPerTree` and `maxTotalNodes`.
public struct TreeTally: Sendable {
    /// The policy.
    public let limits: ReaderLimits
    /// Trees counted so far.
    public private(set) var trees = 0
    /// Nodes counted so far, over all trees.
    public private(set) var nodes = 0

    /// A tally under `limits`.
    public init(limits: ReaderLimits) { self.limits = limits }

    /// Throws when a tree would have `count` nodes (or a node id of `count - 1`).
    public func checkTreeSize(_ count: Int, at place: @autoclosure () -> String) throws {
        try limits.check(.maxNodesPerTree, count, limits.maxNodesPerTree, at: place())
    }

    /// Counts one more tree of `nodes` nodes.
    /// - Throws: `ReaderLimitBreach` of `maxTrees`, `maxNodesPerTree` or `maxTotalNodes`.
    public mutating func count(treeOf nodes: Int, at place: @autoclosure () -> String) throws {
        try limits.check(.maxTrees, trees + 1, limits.maxTrees, at: place())
        try checkTreeSize(nodes, at: place())
        let (total, overflow) = self.nodes.addingReportingOverflow(nodes)
        try limits.check(.maxTotalNodes, overflow ? Int.max : total, limits.maxTotalNodes, at: place())
        trees += 1
        self.nodes = total
    }

    /// Throws when an ensemble that declares `count` trees has more than `maxTrees`, before
    /// anything is built for them.
    public func checkDeclaredTrees(_ count: Int, at place: @autoclosure () -> String) throws {
        try limits.check(.maxTrees, count, limits.maxTrees, at: place())
    }
}
