import Foundation
import ONNX

/// How `Model.write(to:options:)` treats tensor data.
public struct WriteOptions: Sendable {
    /// Where tensor bytes go.
    public enum ExternalData: Sendable, Equatable {
        /// Everything inline; external tensors are loaded first. If the model is too
        /// large for one protobuf message, large tensors move to a side file anyway.
        case automatic
        /// Everything inline, or fail with `tooLarge`.
        case never
        /// Tensors of at least `threshold` bytes go to a side file.
        case always(threshold: Int)
    }
    public var externalData: ExternalData = .automatic
    /// Side file name (in the model's folder); default `<model file name>.data`.
    public var externalDataFileName: String?
    /// Byte alignment of each tensor inside the side file (lets readers map it).
    public var externalDataAlignment: Int = 64
    /// Threshold used when `.automatic` has to move tensors out.
    public static let automaticThreshold = 1024
    /// Encoded size above which `.automatic` moves tensors out: protobuf's 2 GiB limit.
    public var inlineSizeLimit: Int = ModelCodec.protobufLimit

    public init(externalData: ExternalData = .automatic, externalDataFileName: String? = nil) {
        self.externalData = externalData
        self.externalDataFileName = externalDataFileName
    }
}

/// What a write produced.
public struct WriteResult: Sendable {
    public var modelBytes: Int
    /// Side file and its size, when tensors went to external data.
    public var externalDataFile: URL?
    public var externalDataBytes: Int
    public var externalTensorCount: Int
}

extension Model {
    /// Reads a `.onnx` file. With `loadExternalData` (the default) tensors stored in side
    /// files are read in; their paths must stay inside the model's folder.
    ///
    /// With `deferLargeAttributeArrays`, the large `floats`, `ints` and `strings` of
    /// attributes in a large file are left in the file until read
    /// (`Attribute.deferredArrays`): for a reader that converts them anyway, such as the
    /// interpreter preparing a tree ensemble, this saves holding them twice.
    public init(contentsOf url: URL, loadExternalData: Bool = true, deferLargeAttributeArrays: Bool = false) throws {
        let path = url.path
        var model: Model
        if let mapped = try FileBytes.mapIfLarge(path: path) {
            model = try ModelCodec.decode(mapped: mapped, source: path, deferAttributeArrays: deferLargeAttributeArrays)
        } else {
            let bytes = try FileBytes(path: path)
            model = try bytes.withUnsafeBytes { try ModelCodec.decode($0, source: path) }
        }
        if loadExternalData {
            try ExternalDataResolver(modelURL: url).loadAll(into: &model)
        }
        self = model
    }

    /// Writes the model atomically: a temporary file in the same folder, then a rename,
    /// so a failure never leaves a partial file and never replaces a good one.
    @discardableResult
    public func write(to url: URL, options: WriteOptions = WriteOptions()) throws -> WriteResult {
        var model = self
        let folder = url.deletingLastPathComponent()
        let hasExternal = model.containsExternalTensors
        if hasExternal {
            // Data that lives in another file is brought in, then placed as asked.
            throw ONNXSerializationError.externalData(
                source: url.path, tensor: model.firstExternalTensorName ?? "?",
                problem: "the model still refers to external data; read it with loadExternalData: true before writing")
        }
        var threshold: Int?
        switch options.externalData {
        case .always(let t): threshold = t
        case .never: threshold = nil
        case .automatic:
            threshold = ModelCodec.encodedSize(model) > options.inlineSizeLimit ? WriteOptions.automaticThreshold : nil
        }
        var dataFile: URL?
        var dataBytes = 0
        var moved = 0
        var dataTemp: AtomicFile?
        if let threshold {
            let name = options.externalDataFileName ?? (url.lastPathComponent + ".data")
            let target = folder.appendingPathComponent(name)
            let tmp = try AtomicFile(target: target)
            dataTemp = tmp
            let writer = ExternalDataWriter(file: tmp, location: name, alignment: max(1, options.externalDataAlignment))
            do {
                try model.updateTensors { t, _ in
                    guard let raw = t.rawData, raw.count >= threshold else { return }
                    let offset = try writer.append(raw)
                    t.rawData = nil
                    t.externalData = [
                        StringStringEntry(key: "location", value: name),
                        StringStringEntry(key: "offset", value: String(offset)),
                        StringStringEntry(key: "length", value: String(raw.count)),
                    ]
                    t.dataLocation = .external
                    moved += 1
                }
            } catch {
                tmp.discard()
                throw error
            }
            dataBytes = writer.size
            dataFile = target
        }
        let modelTemp: AtomicFile
        do { modelTemp = try AtomicFile(target: url) } catch { dataTemp?.discard(); throw error }
        do {
            let n = try ModelCodec.encode(model, toDescriptor: modelTemp.fd, path: url.path)
            if let dataTemp {
                if moved > 0 { try dataTemp.commit() } else { dataTemp.discard(); dataFile = nil }
            }
            try modelTemp.commit()
            return WriteResult(modelBytes: n, externalDataFile: dataFile, externalDataBytes: dataBytes, externalTensorCount: moved)
        } catch {
            modelTemp.discard()
            dataTemp?.discard()
            throw error
        }
    }

    /// The model's encoding as bytes (no external data).
    public func serializedBytes() throws -> [UInt8] { try ModelCodec.encode(self) }

    /// Decodes a model from bytes (external data stays referenced).
    public init(serializedBytes bytes: [UInt8], source: String = "<memory>") throws {
        self = try ModelCodec.decode(bytes, source: source)
    }

    var containsExternalTensors: Bool { firstExternalTensorName != nil }

    var firstExternalTensorName: String? {
        var found: String?
        forEachTensor { t, p in if found == nil && t.isExternal { found = t.name ?? p } }
        return found
    }
}

/// A whole file read into memory, released when the value goes away.
final class FileBytes {
    let pointer: UnsafeMutableRawPointer?
    let count: Int

    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ONNXSerializationError.io(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ONNXSerializationError.io(path: path, message: String(cString: strerror(errno))) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw ONNXSerializationError.io(path: path, message: "is a folder, not a file") }
        let size = Int(st.st_size)
        count = size
        guard size > 0 else { pointer = nil; return }
        guard let p = malloc(size) else { throw ONNXSerializationError.io(path: path, message: "cannot allocate \(size) bytes") }
        var done = 0
        while done < size {
            let n = read(fd, p + done, size - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let message = n == 0 ? "file shrank while it was read" : String(cString: strerror(errno))
                free(p)
                throw ONNXSerializationError.io(path: path, message: message)
            }
            done += n
        }
        pointer = p
    }

    deinit { free(pointer) }

    /// Files at least this large are mapped rather than read.
    static let mapThreshold = 1 << 20

    /// Maps the file when it is large enough to be worth it; nil means read it instead.
    static func mapIfLarge(path: String) throws -> MappedFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ONNXSerializationError.io(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) >= mapThreshold else { return nil }
        return MappedFile(fd: fd, count: Int(st.st_size))
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// A temporary file beside `target` that becomes `target` on `commit()` (fsync, then
/// rename) and disappears on `discard()`.
final class AtomicFile {
    let target: URL
    let tempPath: String
    let fd: Int32
    private var done = false

    init(target: URL) throws {
        self.target = target
        let dir = target.deletingLastPathComponent().path
        var template = Array(((dir.isEmpty ? "." : dir) + "/.\(target.lastPathComponent).tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw ONNXSerializationError.io(path: target.path, message: "cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        self.tempPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        fchmod(fd, 0o644)
    }

    func commit() throws {
        guard !done else { return }
        done = true
        if fsync(fd) != 0 || close(fd) != 0 {
            let message = String(cString: strerror(errno))
            unlink(tempPath)
            throw ONNXSerializationError.io(path: target.path, message: message)
        }
        if rename(tempPath, target.path) != 0 {
            let message = String(cString: strerror(errno))
            unlink(tempPath)
            throw ONNXSerializationError.io(path: target.path, message: message)
        }
    }

    func discard() {
        guard !done else { return }
        done = true
        close(fd)
        unlink(tempPath)
    }

    deinit { discard() }
}

/// Appends tensor bytes to a side file at aligned offsets.
final class ExternalDataWriter {
    let file: AtomicFile
    let location: String
    let alignment: Int
    private(set) var size = 0

    init(file: AtomicFile, location: String, alignment: Int) {
        self.file = file
        self.location = location
        self.alignment = alignment
    }

    func append(_ bytes: ByteBuffer) throws -> Int {
        let pad = (alignment - size % alignment) % alignment
        if pad > 0 {
            let zeros = [UInt8](repeating: 0, count: pad)
            try zeros.withUnsafeBytes { try writeAll($0) }
            size += pad
        }
        let offset = size
        try bytes.withUnsafeBytes { try writeAll($0) }
        size += bytes.count
        return offset
    }

    private func writeAll(_ b: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < b.count {
            let n = write(file.fd, b.baseAddress! + done, b.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw ONNXSerializationError.io(path: file.target.path, message: String(cString: strerror(errno))) }
            done += n
        }
    }
}
