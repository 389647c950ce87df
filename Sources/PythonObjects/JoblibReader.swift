import ReaderLimits

/// Reads joblib files: a pickle stream whose numpy arrays (`NumpyArrayWrapper`) are
/// followed in the stream by their raw bytes, plain or compressed as a whole with zlib
/// (`compress=3`, the default codec) or gzip. lzma, bz2 and lz4 files are recognised and
/// refused by name. The decompressed size is bounded by the machine's `limits` (memory
/// budget and decompression ratio).
public struct JoblibReader {
    /// The pickle machine (limits, persistent ids).
    public var machine = PickleMachine()

    public init() {}

    /// The codec a joblib file is compressed with, from its first bytes; nil when plain.
    public static func codec(_ b: [UInt8]) -> String? {
        func starts(_ p: [UInt8]) -> Bool { b.count >= p.count && Array(b.prefix(p.count)) == p }
        if starts([0x1F, 0x8B]) { return "gzip" }
        if b.count >= 2, b[0] == 0x78, [0x01, 0x5E, 0x9C, 0xDA].contains(b[1]) { return "zlib" }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) || starts([0x5D, 0x00, 0x00]) { return "lzma" }
        if starts(Array("BZh".utf8)) { return "bz2" }
        if starts([0x04, 0x22, 0x4D, 0x18]) { return "lz4" }
        if starts(Array("ZF".utf8)) { return "joblib-zfile (joblib < 0.10)" }
        return nil
    }

    /// Reads a joblib file's object.
    /// - Throws: `PythonObjectsError`, `ReaderLimitBreach`.
    public func read(_ file: [UInt8]) throws -> PyValue {
        var bytes = file
        if let codec = Self.codec(file) {
            switch codec {
            case "zlib", "gzip":
                bytes = try Inflate.decompress(file, gzip: codec == "gzip", limits: machine.limits)
            default:
                throw PythonObjectsError.container(reason: "the file is compressed with \(codec), which this reader does not decompress; re-save it with joblib.dump(obj, path, compress=3) (zlib) or compress=0")
            }
        }
        var m = machine
        let inner = machine
        m.buildHook = { wrapper, stream, position in try Self.readArray(wrapper, stream, position, machine: inner) }
        return try m.load(bytes).value
    }

    /// The array a NumpyArrayWrapper stands for, read from the stream after its BUILD.
    static func readArray(_ w: PyObject, _ b: [UInt8], _ position: Int, machine: PickleMachine) throws -> (PyValue, Int) {
        func bad(_ r: String) -> PythonObjectsError { .pickle(offset: position, reason: "NumpyArrayWrapper: \(r)") }
        guard case .dtype(let dtype)? = w.attribute("dtype") else { throw bad("no dtype in its state") }
        guard let shapeValue = w.attribute("shape"), let shape = SafeConstructors.ints(shapeValue) else { throw bad("no shape in its state") }
        var fortran = false
        if case .string(let o)? = w.attribute("order") { fortran = o == "F" }
        if dtype.kind == "O" {
            // Object arrays are pickled in the stream itself.
            let (v, end) = try machine.load(b, at: position)
            return (v, end)
        }
        var p = position
        if let a = w.attribute("numpy_array_alignment_bytes"), case .int = a {
            guard p < b.count else { throw bad("the stream ends before the array's padding") }
            p += 1 + Int(b[p])
        }
        var count = 1
        for s in shape {
            let (c, o) = count.multipliedReportingOverflow(by: max(0, s))
            guard !o, s >= 0 else { throw PythonObjectsError.invalidArray(path: "joblib array", reason: "shape \(shape) is invalid") }
            count = c
        }
        let (need, o) = count.multipliedReportingOverflow(by: dtype.itemSize)
        guard !o, need <= b.count - p else {
            throw PythonObjectsError.invalidArray(path: "joblib array", reason: "shape \(shape) of \(dtype.descr) needs \(o ? "more than 2^63" : String(need)) bytes and \(max(0, b.count - p)) remain in the file (at byte \(p))")
        }
        let array = NDArray(dtype: dtype, shape: shape, fortranOrder: fortran, data: Array(b[p..<(p + need)]))
        return (.ndarray(array), p + need)
    }
}
