import ONNX

/// Cast: the elements converted to the type `to` (see `ElementCast` for the rules).
/// Opset 1 names the type as a string ("FLOAT", "INT64", ...); `saturate` (opset 19+)
/// governs float8 overflow; `round_mode` (opset 24+) the rounding to float8e8m0.
struct Cast: Operator {
    static let opType = "Cast"
    static let sinceVersions: [Int64] = [1, 6, 9, 13, 19, 21, 23, 24, 25, 28]
    let to: DataType
    let saturate: Bool
    let rounding: MiniFloatEncoding.E8M0Rounding

    init(_ c: OpContext) throws {
        switch c.value("to") {
        case .int(let v)?:
            to = DataType(rawValue: Int32(truncatingIfNeeded: v))
        case .string(let s)?:
            guard let t = DataType(name: s.string.lowercased()) ?? Cast.legacyName(s.string) else {
                throw InterpreterError.badAttribute(node: c.nodeName, attribute: "to", message: "'\(s.string)' names no element type")
            }
            to = t
        default:
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "to", message: "is required")
        }
        guard to.isKnown else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "to", message: "\(to.rawValue) is not an element type")
        }
        saturate = c.sinceVersion >= 19 ? try c.int("saturate", default: 1) != 0 : true
        rounding = c.sinceVersion >= 24 ? try Cast.rounding(c) : .up
    }

    /// TensorProto's upper-case type names that `DataType(name:)` does not spell the same way.
    static func legacyName(_ s: String) -> DataType? {
        switch s.uppercased() {
        case "FLOAT": return .float
        case "DOUBLE": return .double
        case "FLOAT16": return .float16
        default: return nil
        }
    }

    static func rounding(_ c: OpContext) throws -> MiniFloatEncoding.E8M0Rounding {
        switch try c.string("round_mode", default: "up") {
        case "up": return .up
        case "down": return .down
        case "nearest": return .nearest
        case let m: throw InterpreterError.badAttribute(node: c.nodeName, attribute: "round_mode", message: "must be up, down or nearest, not '\(m)'")
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        [.tensor(try ElementCast.cast(try context.tensor(inputs, 0), to: to, saturate: saturate, rounding: rounding, context))]
    }
}
