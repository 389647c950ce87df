import Foundation

/// The folder where targets whose reader takes a file, not bytes (skops and torch zip
/// archives, the converters' `convert(contentsOf:)`), write the input first. It also
/// holds copies of the layer-spec fixtures' weight files, so that a spec naming
/// `mlp.safetensors` finds real weights beside it. One workspace serves one process;
/// each input overwrites the previous one.
public final class FuzzWorkspace: @unchecked Sendable {
    /// The folder.
    public let folder: URL
    /// The repository's Fixtures/ folder.
    public let fixtures: URL
    private var weightsCopied = false

    /// A workspace in `folder` (created, and emptied when it exists) for fixtures under
    /// `fixtures`.
    ///
    /// - Throws: when the folder cannot be made.
    public init(folder: URL, fixtures: URL) throws {
        self.folder = folder
        self.fixtures = fixtures
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to the file `name` in the folder and returns its URL.
    ///
    /// - Throws: when the file cannot be written (not a finding: the target gives up).
    public func write(_ bytes: [UInt8], as name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Copies the layer-spec fixtures' weight files (`*.safetensors`, `*.pt`) into the
    /// folder, once.
    func copyLayerSpecWeights() throws {
        guard !weightsCopied else { return }
        for url in SeedFiles(folder: "layerspec", suffixes: [".safetensors", ".pt"]).files(in: fixtures) {
            let target = folder.appendingPathComponent(url.lastPathComponent)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: url, to: target)
        }
        weightsCopied = true
    }
}
