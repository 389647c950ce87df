/// The member names of one object as a reader meets them, so that a repeated name can
/// be refused: JSON parsers disagree on which of two equal keys wins (Python keeps the
/// last, others the first), so a model file with one is ambiguous, not merely odd.
/// Small objects are checked by a scan; past 16 members a set takes over.
public struct DistinctKeys {
    private var few: [String] = []
    private var many: Set<String>?

    /// No names yet.
    public init() {}

    /// Adds `key`; false when the object already has it.
    public mutating func insert(_ key: String) -> Bool {
        if many != nil { return many!.insert(key).inserted }
        if few.contains(key) { return false }
        few.append(key)
        if few.count > 16 { many = Set(few); few = [] }
        return true
    }
}
