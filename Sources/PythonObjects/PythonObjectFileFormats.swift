import Foundation
import ReaderLimits

extension PythonObjectFile {
    /// The object in the file at `url`, whatever the container: skops (a zip archive),
    /// or what `read(_:)` recognises (pickle, joblib plain or compressed, jsonpickle).
    /// A file larger than `limits.memoryBudget` is refused before it is read.
    /// - Throws: `PythonObjectsError`, `ReaderLimitBreach`.
    public static func read(contentsOf url: URL, limits: ReaderLimits = .default) throws -> PyValue {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw PythonObjectsError.container(reason: FileManager.default.fileExists(atPath: url.path) ? "cannot read the file" : "no such file")
        }
        let head = [UInt8](handle.readData(ofLength: 4))
        let size = (try? handle.seekToEnd()).map { Int($0) } ?? 0
        try? handle.close()
        try limits.checkInputSize(size, file: url.lastPathComponent)
        if head == [0x50, 0x4B, 0x03, 0x04] {
            var skops = SkopsReader()
            skops.limits = limits
            return try skops.read(contentsOf: url)
        }
        // An empty file is refused by read(_:); FileManager.contents(atPath:) would leak a
        // 4 KB buffer reading it (swift-foundation, Swift 6.3).
        if head.isEmpty { return try read([], limits: limits) }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw PythonObjectsError.container(reason: "cannot read the file") }
        return try read([UInt8](data), limits: limits)
    }
}
