/// If: runs then_branch or else_branch, which may read values of the enclosing graph.
struct If: Operator {
    static let opType = "If"
    static let sinceVersions: [Int64] = [1, 11, 13, 16, 19, 21, 23, 24, 25]
    let thenBranch: PreparedGraph
    let elseBranch: PreparedGraph

    init(_ c: OpContext) throws {
        thenBranch = try c.graph("then_branch")
        elseBranch = try c.graph("else_branch")
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let cond = try context.tensor(inputs, 0).bools()
        guard cond.count == 1 else { throw context.invalid("the condition has \(cond.count) elements, not 1") }
        return try context.run(cond[0] ? thenBranch : elseBranch, inputs: [])
    }
}
