import ONNX

/// Optional: wraps its input in an optional, or makes an empty optional of the `type`
/// attribute.
struct OptionalOp: Operator {
    static let opType = "Optional"
    static let sinceVersions: [Int64] = [15, 28]
    let type: TypeProto?
    init(_ c: OpContext) throws {
        if case .typeProto(let t)? = c.value("type") { type = t } else { type = nil }
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        if let v = inputs.first ?? nil { return [.optional(v, type: type)] }
        guard type != nil else { throw context.invalid("an empty Optional needs the type attribute") }
        return [.optional(nil, type: type)]
    }
}

/// OptionalHasElement: whether the optional holds a value (opset 18: a missing input,
/// false; a plain tensor or sequence, true).
struct OptionalHasElement: Operator {
    static let opType = "OptionalHasElement"
    static let sinceVersions: [Int64] = [15, 18, 28]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let has: Bool
        switch inputs.first ?? nil {
        case nil: has = false
        case .optional(let v, _)?: has = v != nil
        default: has = true
        }
        return [.tensor(TensorValue(bools: [has], shape: []))]
    }
}

/// OptionalGetElement: the optional's value (an error when empty); opset 18 also
/// passes a plain tensor or sequence through.
struct OptionalGetElement: Operator {
    static let opType = "OptionalGetElement"
    static let sinceVersions: [Int64] = [15, 18, 28]
    init(_ c: OpContext) throws {}
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        switch inputs.first ?? nil {
        case nil: throw context.invalid("input 0 is missing")
        case .optional(let v, _)?:
            guard let v else { throw context.invalid("the optional is empty") }
            return [v]
        case let v?: return [v]
        }
    }
}
