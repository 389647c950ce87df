import Foundation
import PythonObjects
import XCTest

/// Compares a `PyValue` with the JSON description Python wrote (Fixtures/python/README.md),
/// arrays byte for byte with the .npy files beside it.
struct ExpectationChecker {
    let root: URL

    static func json(_ url: URL) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any], url.path)
    }

    func double(hex: String) -> Double? {
        switch hex { case "nan": return .nan; case "inf": return .infinity; case "-inf": return -.infinity; default: return Double(hex) }
    }

    /// The data bytes of a .npy file (after its header).
    func npyData(_ name: String) -> [UInt8]? {
        guard let d = try? [UInt8](Data(contentsOf: root.appendingPathComponent(name))), d.count > 10 else { return nil }
        let major = d[6]
        let headerLength = major == 1 ? Int(d[8]) | Int(d[9]) << 8 : Int(d[8]) | Int(d[9]) << 8 | Int(d[10]) << 16 | Int(d[11]) << 24
        let start = (major == 1 ? 10 : 12) + headerLength
        return Array(d[start...])
    }

    func sameDType(_ d: NumpyDType, _ e: Any?) -> Bool {
        if let s = e as? String {
            if s == "|O" { return d.kind == "O" }
            return d.descr == s
        }
        if let fields = e as? [[Any]] {
            let named = fields.filter { ($0.first as? String) != "" }
            guard let f = d.fields, f.count == named.count else { return false }
            return zip(f, named).allSatisfy { $0.name == ($1[0] as? String) && sameDType($0.dtype, $1[1]) }
        }
        return false
    }

    func compare(_ v: PyValue, _ e: [String: Any], path: String, problems: inout [String], ids: inout [Int: ObjectIdentifier]) {
        func bad(_ m: String) { problems.append("\(path): \(m)") }
        let type = e["type"] as? String ?? ""
        func items() -> [[String: Any]] { e["items"] as? [[String: Any]] ?? [] }
        func remember(_ id: ObjectIdentifier) { if let k = e["id"] as? Int { ids[k] = id } }
        switch (type, v) {
        case ("none", .none): return
        case ("bool", .bool(let b)): if b != (e["value"] as? Bool) { bad("bool \(b)") }
        case ("int", .int(let i)): if String(i) != e["value"] as? String { bad("int \(i) vs \(e["value"] ?? "")") }
        case ("int", .bigInt(let b)): if PyValue.decimal(ofTwosComplement: b) != e["value"] as? String { bad("big int \(PyValue.decimal(ofTwosComplement: b))") }
        case ("int", .bool(let b)): if (b ? "1" : "0") != e["value"] as? String { bad("bool as int") }
        case ("float", .float), ("float", .numpyScalar):
            // numpy.float64 is a float subclass; Python describes it as a float.
            var x: Double = .nan
            if case .float(let f) = v { x = f }
            if case .numpyScalar(let t, let raw) = v {
                guard t.kind == "f", let y = try? NDArray(dtype: t, shape: [], fortranOrder: false, data: raw).doubles().first else { bad("\(v.kindName), expected a float"); return }
                x = y
            }
            guard let want = double(hex: e["hex"] as? String ?? "") else { bad("bad expected float"); return }
            if !(x.bitPattern == want.bitPattern || (x.isNaN && want.isNaN)) { bad("float \(x) vs \(want)") }
        case ("complex", .complex(let r, let i)):
            func same(_ a: Double, _ h: Any?) -> Bool { guard let b = double(hex: h as? String ?? "") else { return false }; return a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }
            if !same(r, e["real"]) || !same(i, e["imag"]) { bad("complex(\(r), \(i))") }
        case ("str", .string(let s)): if s != e["value"] as? String { bad("str '\(s.prefix(40))'") }
        case ("bytes", .bytes(let b)), ("bytearray", .bytearray(let b)), ("bytes", .bytearray(let b)), ("buffer", .bytearray(let b)), ("buffer", .bytes(let b)):
            if b.map({ String(format: "%02x", $0) }).joined() != e["hex"] as? String { bad("\(type) of \(b.count)") }
        case ("tuple", .tuple(let t)):
            let x = items()
            guard t.count == x.count else { bad("tuple of \(t.count), expected \(x.count)"); return }
            for (k, (a, b)) in zip(t, x).enumerated() { compare(a, b, path: "\(path)[\(k)]", problems: &problems, ids: &ids) }
        case ("list", .list(let l)):
            remember(ObjectIdentifier(l))
            let x = items()
            guard l.items.count == x.count else { bad("list of \(l.items.count), expected \(x.count)"); return }
            for (k, (a, b)) in zip(l.items, x).enumerated() { compare(a, b, path: "\(path)[\(k)]", problems: &problems, ids: &ids) }
        case ("dict", .dict(let d)), ("object", .dict(let d)):
            if type == "object", e["class"] as? String != "collections.OrderedDict" { bad("dict for \(e["class"] ?? "")"); return }
            remember(ObjectIdentifier(d))
            let x = e["items"] as? [[Any]] ?? []
            guard d.entries.count == x.count else { bad("dict of \(d.entries.count), expected \(x.count)"); return }
            for (k, (entry, pair)) in zip(d.entries, x).enumerated() {
                guard pair.count == 2, let ek = pair[0] as? [String: Any], let ev = pair[1] as? [String: Any] else { bad("bad expected pair"); continue }
                compare(entry.key, ek, path: "\(path).key[\(k)]", problems: &problems, ids: &ids)
                compare(entry.value, ev, path: "\(path).value[\(k)]", problems: &problems, ids: &ids)
            }
        case ("set", .set(let s)), ("frozenset", .frozenset(let s)):
            let x = items()
            guard s.count == x.count else { bad("\(type) of \(s.count), expected \(x.count)"); return }
            for (k, want) in x.enumerated() {
                let found = s.contains { got in
                    var p: [String] = [], i = ids
                    compare(got, want, path: "", problems: &p, ids: &i)
                    return p.isEmpty
                }
                if !found { bad("set element \(k) not found") }
            }
        case ("slice", .slice(let a, let b, let c)):
            for (name, part) in [("start", a), ("stop", b), ("step", c)] {
                if let n = e[name] as? [String: Any] { compare(part, n, path: "\(path).\(name)", problems: &problems, ids: &ids) }
            }
        case ("persistent_id", .persistent(let pid)):
            if let p = e["pid"] as? [String: Any] { compare(pid, p, path: "\(path).pid", problems: &problems, ids: &ids) }
        case ("ref", .list(let l)): if ids[e["id"] as? Int ?? -1] != ObjectIdentifier(l) { bad("list is not the shared one") }
        case ("ref", .dict(let d)): if ids[e["id"] as? Int ?? -1] != ObjectIdentifier(d) { bad("dict is not the shared one") }
        case ("ref", _): return   // arrays, sets and bytearrays are values here
        case ("object", .object(let o)):
            if o.className != e["class"] as? String { bad("class \(o.className) vs \(e["class"] ?? "")") }
        case ("ndarray", .ndarray(let a)) where e["classes"] != nil:
            let names = (a.objects ?? []).map { v -> String in if case .object(let o) = v { return o.className } else { return v.kindName } }
            if names != (e["classes"] as? [String] ?? []) { bad("object array classes \(names)") }
        case ("ndarray", .ndarray(let a)):
            if !sameDType(a.dtype, e["dtype"]) { bad("dtype \(a.dtype.descr) vs \(e["dtype"] ?? "")") }
            if a.shape != (e["shape"] as? [Int] ?? []) { bad("shape \(a.shape)") }
            if a.fortranOrder != (e["fortran"] as? Bool ?? false), a.shape.count > 1 { bad("fortran \(a.fortranOrder)") }
            if let npy = e["npy"] as? String {
                guard let want = npyData(npy) else { bad("cannot read \(npy)"); return }
                if a.data != want { bad("array bytes differ from \(npy) (\(a.data.count) vs \(want.count) bytes)") }
            } else if let x = e["items"] as? [[String: Any]] {
                let objects = a.objects ?? []
                guard objects.count == x.count else { bad("object array of \(objects.count)"); return }
                for (k, (o, w)) in zip(objects, x).enumerated() { compare(o, w, path: "\(path){\(k)}", problems: &problems, ids: &ids) }
            }
        case ("npscalar", .numpyScalar(let d, let raw)):
            if !sameDType(d, e["dtype"]) { bad("scalar dtype \(d.descr)") }
            if raw.map({ String(format: "%02x", $0) }).joined() != e["hex"] as? String { bad("scalar bytes") }
        case ("dtype", .dtype(let d)):
            if !sameDType(d, e["descr"]) { bad("dtype \(d.descr) vs \(e["descr"] ?? "")") }
            if let size = e["itemsize"] as? Int, size != d.itemSize { bad("itemsize \(d.itemSize) vs \(size)") }
        default:
            bad("\(v.kindName), expected \(type)")
        }
    }
}
