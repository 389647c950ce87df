import ONNX

/// OneHotEncoder (ai.onnx.ml 1): each element becomes a one-hot row over the
/// categories (cats_int64s, numeric inputs truncated to int64; or cats_strings),
/// output float32 of shape input + [categories]. Unknown values give all zeros, or an
/// error when zeros = 0.
struct OneHotEncoder: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "OneHotEncoder"
    static let sinceVersions: [Int64] = [1]

    let intIndex: [Int64: Int]
    let stringIndex: [String: Int]
    let categories: Int
    let zeros: Bool

    init(_ c: OpContext) throws {
        let ints = try c.ints("cats_int64s", default: [])
        let strings = try c.strings("cats_strings", default: [])
        guard ints.isEmpty != strings.isEmpty else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "cats_int64s", message: "exactly one of cats_int64s and cats_strings must be given")
        }
        var ii: [Int64: Int] = [:], si: [String: Int] = [:]
        for (i, v) in ints.enumerated() { ii[v] = i }
        for (i, v) in strings.enumerated() { si[v] = i }
        intIndex = ii
        stringIndex = si
        categories = max(ints.count, strings.count)
        zeros = try c.int("zeros", default: 1) != 0
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let found: [Int?]
        if x.dataType == .string {
            found = try x.strings().map { stringIndex[$0] }
        } else {
            found = try x.int64s().map { intIndex[$0] }
        }
        var y = [Float](repeating: 0, count: x.count * categories)
        for (i, f) in found.enumerated() {
            if let f { y[i * categories + f] = 1 } else if !zeros { throw context.invalid("element \(i) is not a known category and zeros is 0") }
        }
        return [.tensor(TensorValue(floats: y, shape: x.shape + [categories]))]
    }
}
