/// PRelu: x below zero times `slope`, x otherwise; `slope` broadcasts to x
/// (unidirectionally). Before opset 7 a 1-D slope of x's channel count applies per
/// channel (axis 1).
struct PRelu: Operator {
    static let opType = "PRelu"
    static let sinceVersions: [Int64] = [1, 6, 7, 9, 16]
    let legacyChannels: Bool
    init(_ c: OpContext) throws { legacyChannels = c.sinceVersion < 7 }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        var slope = try context.tensor(inputs, 1)
        if legacyChannels, slope.rank == 1, x.rank > 2, slope.count == x.shape[1], slope.count != 1 {
            slope = try slope.reshaped([slope.count] + [Int](repeating: 1, count: x.rank - 2))
        }
        guard Broadcast.shape([x.shape, slope.shape]) == x.shape else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "slope \(slope.shape) does not broadcast to x \(x.shape)")
        }
        return [.tensor(try Arithmetic.binary(
            x, slope, context,
            float: { $0 < 0 ? $0 * $1 : $0 }, double: { $0 < 0 ? $0 * $1 : $0 },
            integer: { $0 < 0 ? $0 &* $1 : $0 }, unsigned: { x, _ in x }))]
    }
}
