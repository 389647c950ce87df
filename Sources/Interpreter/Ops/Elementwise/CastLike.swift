/// CastLike: the first input converted to the element type of the second (whose
/// values are not read); the same rules as Cast.
struct CastLike: Operator {
    static let opType = "CastLike"
    static let sinceVersions: [Int64] = [15, 19, 21, 23, 24, 25]
    let saturate: Bool
    let rounding: MiniFloatEncoding.E8M0Rounding

    init(_ c: OpContext) throws {
        saturate = c.sinceVersion >= 19 ? try c.int("saturate", default: 1) != 0 : true
        rounding = c.sinceVersion >= 24 ? try Cast.rounding(c) : .up
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), like = try context.tensor(inputs, 1)
        return [.tensor(try ElementCast.cast(x, to: like.dataType, saturate: saturate, rounding: rounding, context))]
    }
}
