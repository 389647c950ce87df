import Foundation

/// One reader under fuzzing: its name, the fixtures that seed it, and what it does with
/// one input. A target feeds the bytes to the reader (and, where it is cheap, carries the
/// result on through the frontend's conversion) and swallows the errors it throws: a
/// thrown error is the reader's answer to a bad file, while a crash, a hang or a
/// sanitizer report is a finding.
public struct FuzzTarget: Sendable {
    /// The name `reader-fuzz` and the Makefile know it by (`xgboost-text`, `pickle`, ...);
    /// also its folder under Fixtures/fuzz-regressions/.
    public let name: String
    /// What the target reads, one line.
    public let summary: String
    /// The fixtures that seed its corpus.
    public let seeds: [SeedFiles]
    /// Whether libFuzzer's leak check should run. Off for the zip readers, whose
    /// Foundation keeps a path buffer per archive (the reason `make test-asan` runs
    /// without it too).
    public let detectsLeaks: Bool
    let body: @Sendable ([UInt8], FuzzWorkspace) throws -> Void

    init(_ name: String, _ summary: String, seeds: [SeedFiles], detectsLeaks: Bool = true,
         body: @escaping @Sendable ([UInt8], FuzzWorkspace) throws -> Void) {
        self.name = name
        self.summary = summary
        self.seeds = seeds
        self.detectsLeaks = detectsLeaks
        self.body = body
    }

    /// Feeds `bytes` to the reader; whatever it throws is discarded.
    ///
    /// - Returns: the error the reader threw, or nil when it accepted the input (for the
    ///   replay's report; the fuzzer ignores it).
    @discardableResult
    public func run(_ bytes: [UInt8], in workspace: FuzzWorkspace) -> Error? {
        do {
            try body(bytes, workspace)
            return nil
        } catch {
            return error
        }
    }

    /// The seed files under `fixtures` (the repository's Fixtures/ folder), sorted.
    public func seedFiles(in fixtures: URL) -> [URL] {
        seeds.flatMap { $0.files(in: fixtures) }.sorted { $0.path < $1.path }
    }

    /// The files of its regression corpus, Fixtures/fuzz-regressions/<name>/, sorted;
    /// empty when it has none.
    public func regressionFiles(in fixtures: URL) -> [URL] {
        SeedFiles(folder: "fuzz-regressions/" + name, suffixes: [""]).files(in: fixtures).sorted { $0.path < $1.path }
    }
}
