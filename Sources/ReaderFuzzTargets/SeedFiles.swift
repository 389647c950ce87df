import Foundation

/// Fixture files that seed a fuzz target: those under `folder` (relative to Fixtures/,
/// searched recursively) whose names end with one of `suffixes` ("" takes every file).
/// Hidden files are skipped.
public struct SeedFiles: Sendable, Equatable {
    /// A folder under Fixtures/.
    public var folder: String
    /// File name endings, e.g. "dump.txt" or ".pkl".
    public var suffixes: [String]

    /// Files under `folder` ending with one of `suffixes`.
    public init(folder: String, suffixes: [String]) {
        self.folder = folder
        self.suffixes = suffixes
    }

    /// The matching files under `fixtures`, in no particular order.
    public func files(in fixtures: URL) -> [URL] {
        let base = fixtures.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var out: [URL] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let name = url.lastPathComponent
            if suffixes == [""] || suffixes.contains(where: { name.hasSuffix($0) }) { out.append(url) }
        }
        return out
    }
}
