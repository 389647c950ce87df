import Foundation
import ONNX

/// RegexFullMatch: whether each whole string matches `pattern`. The pattern is meant
/// to be RE2 syntax; it is compiled with Foundation's NSRegularExpression (ICU), which
/// accepts the RE2 constructs in common use (classes, \w \W \b, bounded repeats,
/// alternation, non-greedy and inline flags). RE2-only syntax such as \C or \pN
/// without braces may be rejected or read differently.
struct RegexFullMatch: Operator {
    static let opType = "RegexFullMatch"
    static let sinceVersions: [Int64] = [20]
    /// NSRegularExpression is immutable once made, and safe to share across threads.
    final class Compiled: @unchecked Sendable {
        let regex: NSRegularExpression
        init(_ r: NSRegularExpression) { regex = r }
    }
    let compiled: Compiled

    init(_ c: OpContext) throws {
        let pattern = try c.string("pattern")
        do {
            // Valid on its own first, so that wrapping cannot change its meaning.
            _ = try NSRegularExpression(pattern: pattern, options: [])
            compiled = Compiled(try NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z", options: []))
        } catch {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "pattern", message: "'\(pattern)' is not a valid regular expression")
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.dataType == .string else { throw context.invalid("input must be a string tensor, not \(x.dataType)") }
        let re = compiled.regex
        let matches = try x.strings().map { s -> Bool in
            let range = NSRange(location: 0, length: s.utf16.count)
            return re.firstMatch(in: s, options: [], range: range) != nil
        }
        return [.tensor(TensorValue(bools: matches, shape: x.shape))]
    }
}
