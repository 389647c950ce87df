import ONNX

/// CategoryMapper (ai.onnx.ml 1): strings to int64 through the parallel lists
/// cats_strings / cats_int64s (default_int64 when absent), or int64 to strings
/// (default_string).
struct CategoryMapper: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "CategoryMapper"
    static let sinceVersions: [Int64] = [1]

    let toInt: [String: Int64]
    let toString: [Int64: String]
    let defaultInt: Int64
    let defaultString: String

    init(_ c: OpContext) throws {
        let s = try c.strings("cats_strings", default: [])
        let i = try c.ints("cats_int64s", default: [])
        guard s.count == i.count else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "cats_strings", message: "cats_strings and cats_int64s must have the same length")
        }
        var a: [String: Int64] = [:], b: [Int64: String] = [:]
        for k in s.indices { a[s[k]] = i[k]; b[i[k]] = s[k] }
        toInt = a
        toString = b
        defaultInt = try c.int("default_int64", default: -1)
        defaultString = try c.string("default_string", default: "_Unused")
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        if x.dataType == .string {
            return [.tensor(TensorValue(int64s: try x.strings().map { toInt[$0] ?? defaultInt }, shape: x.shape))]
        }
        guard x.dataType == .int64 else { throw InterpreterError.unsupportedType(x.dataType, context: "CategoryMapper") }
        return [.tensor(TensorValue(strings: try x.int64s().map { toString[$0] ?? defaultString }, shape: x.shape))]
    }
}
