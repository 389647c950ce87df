/// A file asked for more than a `ReaderLimits` allows. Its description names the limit,
/// the value reached, the limit's value, where in the file, and how to raise it.
public struct ReaderLimitBreach: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which limit.
    public var limit: ReaderLimits.Limit
    /// The value the file asked for (a depth, a count, bytes).
    public var value: Int
    /// The limit's value.
    public var maximum: Int
    /// Where, in the reader's terms: "byte 812", "line 40", "$.learner.trees[3]".
    public var place: String
    /// What was being counted, when the limit's own meaning is not enough ("a zlib stream of 35135 bytes").
    public var detail: String?

    /// A breach of `limit` at `place`.
    public init(_ limit: ReaderLimits.Limit, value: Int, maximum: Int, at place: String, detail: String? = nil) {
        self.limit = limit
        self.value = value
        self.maximum = maximum
        self.place = place
        self.detail = detail
    }

    public var description: String {
        let what = detail.map { ": \($0)" } ?? ""
        return "reader limit \(limit.rawValue): \(limit.meaning) \(value) exceeds the limit of \(maximum) (\(place)\(what)); \(limit.howToRaise)"
    }
}
