import Foundation
import ONNX
import PythonObjects
import ReaderLimits
import ZIPFoundation

/// A `torch.save` checkpoint (the zip format of torch >= 1.6): `<name>/data.pkl`, a
/// pickle whose tensors are `torch._utils._rebuild_tensor_v2(storage, offset, size,
/// stride, ...)` records with persistent ids `("storage", torch.FloatStorage, key,
/// location, numel)` naming the raw little-endian bytes in `<name>/data/<key>`. The
/// pickle is read as data by `PickleMachine`: nothing in it is imported or called.
/// Members inflate within `limits` (ratio, and the memory budget over all of them), and a
/// tensor's strides may not make it gather more than the file's size allows.
enum TorchCheckpointFile {
    static let storageTypes: [String: WeightDType] = [
        "FloatStorage": .f32, "DoubleStorage": .f64, "HalfStorage": .f16, "BFloat16Storage": .bf16, "LongStorage": .i64,
        "IntStorage": .i32, "ShortStorage": .i16, "CharStorage": .i8, "ByteStorage": .u8, "BoolStorage": .bool,
    ]

    static func read(_ url: URL, file: String, limits: ReaderLimits = .default) throws -> [String: WeightTensor] {
        func bad(_ r: String) -> LayerSpecError { .weights(file: file, reason: r) }
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        var allowance = ReaderAllowance(limits: limits, inputBytes: fileSize ?? 0)
        var extracted = 0
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch { throw bad("not a readable zip archive (\(error))") }
        let pickles = archive.map(\.path).filter { $0 == "data.pkl" || $0.hasSuffix("/data.pkl") }
        guard pickles.count == 1, let pkl = pickles.first else {
            throw bad(pickles.isEmpty ? "no data.pkl: not a torch.save checkpoint" : "several data.pkl members: \(pickles.joined(separator: ", "))")
        }
        let prefix = String(pkl.dropLast("data.pkl".count))
        func member(_ name: String) throws -> [UInt8] {
            guard let entry = archive[name] else { throw bad("the archive has no member '\(name)'") }
            let claimed = Int(clamping: entry.uncompressedSize)
            try limits.check(.memoryBudget, extracted + claimed, limits.memoryBudget, at: "member '\(name)'", detail: "the members so far and this one")
            try limits.checkDecompressed(claimed, from: Int(clamping: entry.compressedSize), at: "member '\(name)'", what: "a zip member that claims \(claimed) bytes")
            var out: [UInt8] = []
            out.reserveCapacity(claimed)
            var overrun = false
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    // A member may inflate past what its header claims.
                    guard out.count + chunk.count <= claimed else { overrun = true; throw CocoaError(.fileReadCorruptFile) }
                    out.append(contentsOf: chunk)
                }
            } catch {
                throw bad(overrun ? "member '\(name)' inflates past the \(claimed) bytes its header claims" : "cannot read member '\(name)': \(error)")
            }
            extracted += out.count
            return out
        }
        if archive[prefix + "byteorder"] != nil {
            let order = String(decoding: try member(prefix + "byteorder"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard order == "little" else { throw bad("byteorder is '\(order)'; only little-endian checkpoints are read") }
        }
        let root: PyValue
        var machine = PickleMachine()
        machine.limits = limits
        let pickle = try member(pkl)
        do { root = try machine.load(pickle).value } catch let e as PythonObjectsError { throw bad("\(pkl): \(e)") }
        defer { root.dismantle() }   // the tensors below hold bytes, not Python values
        guard let state = stateDict(root) else {
            throw bad("\(pkl) holds \(root.kindName), not a state_dict (a dict of tensors, possibly under 'state_dict' or 'model')")
        }
        var storages: [String: (WeightDType, ByteBuffer)] = [:]
        var out: [String: WeightTensor] = [:]
        for (k, v) in state.entries {
            guard case .string(let name) = k else { continue }
            guard let t = tensorRecord(v) else { continue }   // non-tensor entries (e.g. _metadata) are not weights
            let a = t.args
            guard a.count >= 4, case .persistent(let pid) = a[0], case .tuple(let p) = pid, p.count >= 3,
                  case .global(_, let typeName) = p[1], let key = p[2].stringValue else {
                throw bad("'\(name)': tensor record without a storage reference")
            }
            guard let dtype = storageTypes[typeName] else { throw bad("'\(name)': storage type \(typeName) is not supported") }
            if storages[key] == nil { storages[key] = (dtype, ByteBuffer(try member(prefix + "data/" + key))) }
            guard let (sdtype, sbytes) = storages[key], sdtype == dtype else { throw bad("'\(name)': storage \(key) is used with two types") }
            guard let offset = a[1].intValue, let size = a[2].intList, let stride = a[3].intList, size.count == stride.count,
                  offset >= 0, size.allSatisfy({ $0 >= 0 }) else {
                throw bad("'\(name)': malformed offset, size or stride")
            }
            // Strides of 0 repeat a storage's elements: what a tensor gathers must be backed by the file.
            let (count, overflow) = size.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d)
                return (p, acc.1 || o)
            }
            try allowance.spend(count: overflow ? Int.max : count, of: dtype.size, at: "tensor '\(name)'", detail: "its elements")
            out[name] = WeightTensor(dtype: dtype, shape: size, bytes: try gather(sbytes, dtype: dtype, offset: offset, size: size, stride: stride, name: name, bad: bad))
        }
        return out
    }

    /// The tensor's elements in row-major order: a slice when the strides are the
    /// contiguous ones, a gathered copy otherwise.
    static func gather(_ storage: ByteBuffer, dtype: WeightDType, offset: Int, size: [Int], stride: [Int], name: String,
                       bad: (String) -> LayerSpecError) throws -> ByteBuffer {
        let es = dtype.size
        let count = size.reduce(1, *)
        if count == 0 { return ByteBuffer() }
        // The furthest element any index reaches must lie inside the storage.
        var last = offset
        for (d, s) in zip(size, stride) {
            guard s >= 0 else { throw bad("'\(name)': negative stride") }
            last += (d - 1) * s
        }
        guard (last + 1) * es <= storage.count else { throw bad("'\(name)': reaches element \(last) of a storage of \(storage.count / es)") }
        var contiguous = true
        var expect = 1
        for (d, s) in zip(size, stride).reversed() where d != 1 {
            if s != expect { contiguous = false }
            expect *= d
        }
        if contiguous { return storage.slice(offset: offset * es, count: count * es) }
        var out = [UInt8](repeating: 0, count: count * es)
        var index = [Int](repeating: 0, count: size.count)
        storage.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                for k in 0..<count {
                    var e = offset
                    for (i, s) in zip(index, stride) { e += i * s }
                    dst.baseAddress!.advanced(by: k * es).copyMemory(from: src.baseAddress!.advanced(by: e * es), byteCount: es)
                    var d = size.count - 1
                    while d >= 0 {
                        index[d] += 1
                        if index[d] < size[d] { break }
                        index[d] = 0
                        d -= 1
                    }
                }
            }
        }
        return ByteBuffer(out)
    }

    /// The dict of tensors: the root, or its 'state_dict' / 'model' member.
    static func stateDict(_ v: PyValue) -> PyDict? {
        guard case .dict(let d) = v else { return nil }
        for key in ["state_dict", "model", "model_state_dict"] {
            if let inner = d.entries.first(where: { $0.key.stringValue == key })?.value, case .dict(let s) = inner { return s }
        }
        return d
    }

    /// The `_rebuild_tensor_v2` record of a tensor or a Parameter.
    static func tensorRecord(_ v: PyValue) -> PyObject? {
        guard case .object(let o) = v else { return nil }
        if o.className == "torch._utils._rebuild_tensor_v2" || o.className == "torch._utils._rebuild_tensor" { return o }
        if o.className == "torch._utils._rebuild_parameter", let first = o.args.first { return tensorRecord(first) }
        return nil
    }
}

extension PyValue {
    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    var intValue: Int? { if case .int(let i) = self { return Int(exactly: i) } else { return nil } }
    var intList: [Int]? {
        switch self {
        case .tuple(let t): let v = t.compactMap(\.intValue); return v.count == t.count ? v : nil
        case .list(let l): let v = l.items.compactMap(\.intValue); return v.count == l.items.count ? v : nil
        default: return nil
        }
    }
}
