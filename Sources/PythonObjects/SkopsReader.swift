import DocumentReaders
import Foundation
import ReaderLimits
import ZIPFoundation

/// Reads skops files (`skops.io.dump`): a zip archive whose `schema.json` describes the
/// object tree node by node (`__class__`, `__module__`, `__loader__`), with arrays in
/// `.npy` members. The result has the same shape the pickle reader gives for the same
/// estimator: objects with their state dict, a `Tree` with its reduce arguments, numpy
/// arrays and scalars. Nothing is imported or called; loaders this reader does not know
/// are an error naming them. Each member's decompressed size is bounded by `limits`
/// (the memory budget over all members, and the decompression ratio), as are the
/// schema's nesting and the arrays' headers.
public struct SkopsReader {
    /// Bounds.
    public var limits = ReaderLimits.default

    public init() {}

    /// Reads the archive at `url`.
    /// - Throws: `PythonObjectsError`, `ReaderLimitBreach`.
    public func read(contentsOf url: URL) throws -> PyValue {
        let mapped: Data
        do { mapped = try Data(contentsOf: url, options: .alwaysMapped) } catch { throw PythonObjectsError.container(reason: "cannot read the file (\(error))") }
        if let problem = mapped.withUnsafeBytes({ ZipDirectory.problem(in: $0) }) { throw PythonObjectsError.container(reason: "not a readable zip archive: \(problem)") }
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw PythonObjectsError.container(reason: "not a zip archive (\(error))")
        }
        let extracted = ExtractedBytes(limits: limits)
        let member = { (name: String) throws -> [UInt8] in
            guard let entry = archive[name] else { throw PythonObjectsError.container(reason: "the archive has no member '\(name)'") }
            return try extracted.extract(entry, from: archive, name: name)
        }
        let schemaBytes = try member("schema.json")
        let doc: DocumentValue
        do { doc = try JSONReader.parse(schemaBytes, limits: limits) } catch let e as DocumentError { throw PythonObjectsError.container(reason: "schema.json: \(e)") }
        var state = Run(member: member, extracted: extracted, limits: limits)
        return try state.node(DocumentNode(doc, path: "schema"))
    }

    /// Extracts zip members within the limits: a member's claimed size and what it
    /// actually inflates to must fit the decompression ratio, and all members together
    /// the memory budget.
    final class ExtractedBytes {
        let limits: ReaderLimits
        var total = 0

        init(limits: ReaderLimits) { self.limits = limits }

        func extract(_ entry: Entry, from archive: Archive, name: String) throws -> [UInt8] {
            let claimed = Int(clamping: entry.uncompressedSize), compressed = Int(clamping: entry.compressedSize)
            let what = "zip member '\(name)'"
            try limits.check(.memoryBudget, total + claimed, limits.memoryBudget, at: what, detail: "the archive's members so far and this one")
            try limits.checkDecompressed(claimed, from: compressed, at: what, what: "a member that claims \(claimed) bytes")
            var out: [UInt8] = []
            out.reserveCapacity(claimed)
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    // A member may inflate past what its header claims.
                    guard out.count + chunk.count <= claimed else {
                        throw PythonObjectsError.container(reason: "\(what) inflates past the \(claimed) bytes its header claims")
                    }
                    out.append(contentsOf: chunk)
                }
            } catch let e as PythonObjectsError { throw e } catch {
                throw PythonObjectsError.container(reason: "cannot read member '\(name)': \(error)")
            }
            total += out.count
            return out
        }
    }

    struct Run {
        let member: (String) throws -> [UInt8]
        let extracted: ExtractedBytes
        let limits: ReaderLimits
        var byID: [Int: PyValue] = [:]
        var depth = 0

        func fail(_ n: DocumentNode, _ r: String) -> PythonObjectsError { .container(reason: "\(n.path): \(r)") }

        func text(_ n: DocumentNode, _ key: String) -> String? {
            guard let v = try? n.optionalMember(key), case .string(let s) = v.value else { return nil }
            return s
        }

        mutating func node(_ n: DocumentNode) throws -> PyValue {
            depth += 1
            defer { depth -= 1 }
            try limits.checkDepth(depth, at: n.path)
            let module = text(n, "__module__") ?? "", cls = text(n, "__class__") ?? ""
            let loader = text(n, "__loader__") ?? ""
            let value: PyValue
            do {
                switch loader {
                case "JsonNode":
                    guard let content = text(n, "content") else { throw fail(n, "a JsonNode without content") }
                    value = try Self.json(try JSONReader.parse(content, limits: limits), path: n.path)
                case "ListNode": value = .list(PyList(try elements(n)))
                case "TupleNode": value = .tuple(try elements(n))
                case "SetNode": value = .set(try elements(n))
                case "DictNode":
                    let d = PyDict()
                    let content = try n.member("content")
                    var types: [String] = []
                    if let kt = try n.optionalMember("key_types") { types = try kt.member("content").elements().map { text($0, "__class__") ?? "str" } }
                    for (k, (key, child)) in try content.members().enumerated() {
                        let v = try node(child)
                        let kind = k < types.count ? types[k] : "str"
                        if kind == "int", let i = Int64(key) { d.set(.int(i), v) } else if kind == "float", let f = Double(key) { d.set(.float(f), v) } else { d.set(.string(key), v) }
                    }
                    value = .dict(d)
                case "NdArrayNode":
                    if text(n, "type") == "numpy", let file = text(n, "file") {
                        let a = try NPYArrayReader.read(try member(file), name: file, limits: limits)
                        if cls != "ndarray" && a.shape.isEmpty { value = .numpyScalar(a.dtype, a.data) } else { value = .ndarray(a) }
                    } else {
                        // Object arrays: the elements as nodes.
                        // Object arrays: nested lists of element nodes (one level per axis).
                        let top = try n.member("content").elements().map { try node($0) }
                        var shape = [top.count]
                        var level = top
                        while let first = level.first, case .list(let l0) = first {
                            var next: [PyValue] = []
                            for v in level {
                                guard case .list(let l) = v, l.items.count == l0.items.count else { throw fail(n, "a ragged object array") }
                                next += l.items
                            }
                            shape.append(l0.items.count)
                            level = next
                        }
                        value = .ndarray(NDArray(dtype: NumpyDType(kind: "O", itemSize: 8, byteOrder: .notApplicable), shape: shape, fortranOrder: false, data: [], objects: level))
                    }
                case "TypeNode", "FunctionNode":
                    value = .global(module: module, name: cls)
                case "ObjectNode", "TreeNode", "LossNode", "RandomStateNode", "ReduceNode", "SGDNode", "BitGeneratorNode":
                    let name = "\(module).\(cls)"
                    if SafeConstructors.isForbidden(module: module, name: cls) { throw PythonObjectsError.forbiddenCallable(name: name, offset: 0) }
                    var args: [PyValue] = []
                    var viaNew = true
                    if let r = try n.optionalMember("__reduce__"), let a = try r.optionalMember("args") {
                        guard case .tuple(let t) = try node(a) else { throw fail(n, "__reduce__ args are not a tuple") }
                        args = t
                        viaNew = false
                    }
                    let o = PyObject(className: name, args: args, viaNew: viaNew)
                    if let c = try n.optionalMember("content") { o.state = try node(c) }
                    value = .object(o)
                case "SparseMatrixNode":
                    // scipy.sparse.save_npz: an .npz (zip) of data, indices, indptr, shape, format.
                    guard let file = text(n, "file") else { throw fail(n, "a SparseMatrixNode without its file") }
                    // From a file, not Archive(data:): ZIPFoundation's in-memory archive traps when
                    // an offset in the archive points past its end (weichsel/ZIPFoundation#394),
                    // where the file-backed one reads nothing and reports the archive invalid.
                    let npzFile = FileManager.default.temporaryDirectory.appendingPathComponent("skops-\(UUID().uuidString).npz")
                    let npzBytes = try member(file)
                    if let problem = npzBytes.withUnsafeBytes({ ZipDirectory.problem(in: $0) }) { throw fail(n, "\(file) is not a readable .npz archive: \(problem)") }
                    do { try Data(npzBytes).write(to: npzFile) } catch {
                        throw fail(n, "cannot write \(file) to a temporary file: \(error)")
                    }
                    defer { try? FileManager.default.removeItem(at: npzFile) }
                    let npz: Archive
                    do { npz = try Archive(url: npzFile, accessMode: .read) } catch { throw fail(n, "\(file) is not an .npz archive") }
                    let state = PyDict()
                    for entry in npz {
                        let bytes = try extracted.extract(entry, from: npz, name: "\(file)/\(entry.path)")
                        let key = String(entry.path.dropLast(entry.path.hasSuffix(".npy") ? 4 : 0))
                        let a = try NPYArrayReader.read(bytes, name: "\(file)/\(entry.path)", limits: limits)
                        switch key {
                        case "shape": state.set(.string("_shape"), .tuple(try a.int64s().map { .int($0) }))
                        case "format": state.set(.string("format"), .string(String(decoding: a.data.filter { $0 != 0 }, as: UTF8.self)))
                        default: state.set(.string(key), .ndarray(a))
                        }
                    }
                    let o = PyObject(className: "\(module).\(cls)", args: [], viaNew: true)
                    o.state = .dict(state)
                    value = .object(o)
                case "MethodNode":
                    // A bound method: the function's name and the object it is bound to.
                    let c = try n.member("content")
                    let funcName = try c.member("func").string()
                    let o = PyObject(className: "builtins.method", args: [.string(funcName), try node(try c.member("obj"))], viaNew: false)
                    value = .object(o)
                case "SliceNode":
                    // start, stop and step are plain JSON (an int or null), not nodes.
                    let c = try n.member("content")
                    func bound(_ key: String) throws -> PyValue {
                        guard let v = try c.optionalMember(key) else { return .none }
                        return v.keys.contains("__loader__") ? try node(v) : try Self.json(v.value, path: v.path)
                    }
                    value = .slice(start: try bound("start"), stop: try bound("stop"), step: try bound("step"))
                case "RandomGeneratorNode":
                    // numpy.random.Generator: content maps names (bit_generator) to nodes.
                    let state = PyDict()
                    for (key, child) in try n.member("content").members() { state.set(.string(key), try node(child)) }
                    let o = PyObject(className: "\(module).\(cls)", args: [], viaNew: true)
                    o.state = .dict(state)
                    value = .object(o)
                case "DTypeNode":
                    // A dtype is saved as an empty array of that dtype.
                    guard case .ndarray(let a) = try node(try n.member("content")) else { throw fail(n, "a DTypeNode whose content is not an array") }
                    value = .dtype(a.dtype)
                case "PartialNode":
                    // As pickle gives functools.partial: built from (func,), then its state
                    // (func, args, keywords, __dict__). Nothing is ever called.
                    let c = try n.member("content")
                    let function = try node(try c.member("func"))
                    let o = PyObject(className: "functools.partial", args: [function], viaNew: false)
                    let args = try c.optionalMember("args").map { try node($0) } ?? .tuple([])
                    let keywords = try c.optionalMember("kwds").map { try node($0) } ?? .none
                    o.state = .tuple([function, args, keywords, .none])
                    value = .object(o)
                default:
                    throw fail(n, "skops loader '\(loader)' (\(module).\(cls)) is not read by this reader")
                }
            } catch let e as DocumentError {
                throw fail(n, e.description)
            }
            if let id = try? n.member("__id__").integer() { byID[id] = value }
            return value
        }

        mutating func elements(_ n: DocumentNode) throws -> [PyValue] {
            try n.member("content").elements().map { try node($0) }
        }

        static func json(_ v: DocumentValue, path: String) throws -> PyValue {
            switch v {
            case .null: return .none
            case .bool(let b): return .bool(b)
            case .number(let n): return n.integer.map { PyValue.int($0) } ?? .float(n.double)
            case .string(let s): return .string(s)
            case .array(let a): return .list(PyList(try a.map { try json($0, path: path) }))
            case .numbers(let n): return .list(PyList(n.doubles.enumerated().map { n.allIntegers ? .int(Int64($1)) : .float($1) }))
            case .object(let members):
                let d = PyDict()
                for (k, m) in members { d.set(.string(k), try json(m, path: path)) }
                return .dict(d)
            }
        }
    }
}
