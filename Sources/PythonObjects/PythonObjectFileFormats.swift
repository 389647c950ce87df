import Foundation

extension PythonObjectFile {
    /// The object in the file at `url`, whatever the container: skops (a zip archive),
    /// or what `read(_:)` recognises (pickle, joblib plain or compressed, jsonpickle).
    /// - Throws: `PythonObjectsError`.
    public static func read(contentsOf url: URL) throws -> PyValue {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw PythonObjectsError.container(reason: FileManager.default.fileExists(atPath: url.path) ? "cannot read the file" : "no such file")
        }
        let head = [UInt8](handle.readData(ofLength: 4))
        try? handle.close()
        if head == [0x50, 0x4B, 0x03, 0x04] { return try SkopsReader().read(contentsOf: url) }
        // An empty file is refused by read(_:); FileManager.contents(atPath:) would leak a
        // 4 KB buffer reading it (swift-foundation, Swift 6.3).
        if head.isEmpty { return try read([]) }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw PythonObjectsError.container(reason: "cannot read the file") }
        return try read([UInt8](data))
    }
}
