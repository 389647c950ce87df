import ONNX

/// StringNormalizer: removes the elements of X [C] or [1, C] that are stopwords
/// (compared case-insensitively unless is_case_sensitive), then lower- or upper-cases
/// the rest (case_change_action LOWER / UPPER / NONE). An input whose every element is
/// removed gives [""] (or [[""]]). The locale attribute is not used: case mapping is
/// Unicode's default.
struct StringNormalizer: Operator {
    static let opType = "StringNormalizer"
    static let sinceVersions: [Int64] = [10]
    enum CaseChange: String { case NONE, LOWER, UPPER }
    let caseChange: CaseChange
    let caseSensitive: Bool
    let stopwords: Set<String>

    init(_ c: OpContext) throws {
        let a = try c.string("case_change_action", default: "NONE")
        guard let cc = CaseChange(rawValue: a) else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "case_change_action", message: "'\(a)' is not NONE, LOWER or UPPER")
        }
        caseChange = cc
        caseSensitive = try c.int("is_case_sensitive", default: 0) != 0
        let words = try c.strings("stopwords", default: [])
        stopwords = Set(caseSensitive ? words : words.map { $0.lowercased() })
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.dataType == .string else { throw context.invalid("input must be a string tensor, not \(x.dataType)") }
        let twoD: Bool
        switch x.rank {
        case 1: twoD = false
        case 2:
            guard x.shape[0] == 1 else { throw context.invalid("input must be [C] or [1, C] (shape \(x.shape))") }
            twoD = true
        default: throw context.invalid("input must be [C] or [1, C] (shape \(x.shape))")
        }
        var kept = try x.strings().filter { !stopwords.contains(caseSensitive ? $0 : $0.lowercased()) }
        switch caseChange {
        case .NONE: break
        case .LOWER: kept = kept.map { $0.lowercased() }
        case .UPPER: kept = kept.map { $0.uppercased() }
        }
        if kept.isEmpty && x.count > 0 { kept = [""] }
        return [.tensor(TensorValue(strings: kept, shape: twoD ? [1, kept.count] : [kept.count]))]
    }
}
