/// The constructors a pickle may name that this reader interprets as data, and the
/// callables it refuses because their effect is code.
enum SafeConstructors {
    static let arrayPlaceholder = "numpy.ndarray"
    static let dtypePlaceholder = "numpy.dtype"

    /// `functools.partial`, the one member of a forbidden module read as data: building
    /// one calls nothing (scikit-learn pickles a FunctionTransformer of
    /// `partial(check_array, ...)` inside every HistGradientBoosting with categorical
    /// features). A partial of a forbidden callable is refused like the callable.
    static let partial = "functools.partial"

    /// Modules whose every member runs code or touches the system.
    static let forbiddenModules: Set<String> = [
        "os", "posix", "nt", "posixpath", "ntpath", "subprocess", "sys", "shutil", "socket", "importlib", "runpy", "pty",
        "ctypes", "multiprocessing", "threading", "_thread", "signal", "pickle", "_pickle", "marshal", "code", "codeop",
        "pdb", "webbrowser", "asyncio", "tempfile", "glob", "io", "_io", "pathlib", "zipimport", "types", "inspect",
        "operator", "functools", "sqlite3", "urllib", "http", "ftplib", "smtplib", "telnetlib", "builtins.eval",
        "torch.serialization", "dill", "cloudpickle", "joblib.numpy_pickle_compat",
    ]
    /// Builtins that run code or reach into objects.
    static let forbiddenBuiltins: Set<String> = [
        "eval", "exec", "compile", "open", "__import__", "getattr", "setattr", "delattr", "globals", "locals", "vars",
        "input", "breakpoint", "exit", "quit", "help", "memoryview", "super", "type", "classmethod", "staticmethod",
        "property", "object.__reduce__", "print", "apply", "execfile", "reload", "file",
    ]

    /// Attribute names that reach into objects, classes, functions or modules.
    static let introspection: Set<String> = [
        "__class__", "__subclasses__", "__globals__", "__builtins__", "__dict__", "__getattribute__", "__getattr__",
        "__import__", "__code__", "__func__", "__self__", "__mro__", "__bases__", "__base__", "__call__", "__init__",
        "__new__", "__reduce__", "__reduce_ex__", "__setattr__", "__delattr__", "__loader__", "__spec__", "__closure__",
        "__defaults__", "__kwdefaults__", "__module__", "__qualname__", "__wrapped__", "__setstate__", "__getitem__",
    ]

    /// `isForbidden` for a GLOBAL's module and (possibly dotted) name: a dotted name
    /// walks attributes from the module ("numpy" + "testing._private.utils.os.system"
    /// reaches os through numpy), so a forbidden module along that walk refuses it.
    static func isForbidden(module: String, name: String) -> Bool {
        if isForbidden("\(module).\(name)") { return true }
        let walk = name.split(separator: ".").dropLast().map(String.init)
        return walk.contains { forbiddenModules.contains($0) || $0 == "builtins" || $0 == "__builtins__" || introspection.contains($0) }
    }

    static func isForbidden(_ name: String) -> Bool {
        if name == partial { return false }
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let module = parts.first else { return false }
        let rest = parts.count > 1 ? parts[1] : ""
        if module == "builtins" || module == "__builtin__" { return forbiddenBuiltins.contains(rest) || rest.contains(".") }
        if forbiddenModules.contains(module) { return true }
        for m in forbiddenModules where name.hasPrefix(m + ".") { return true }

        // Reaching into objects through a dotted name ("x.__class__.__subclasses__") is
        // never data; module functions such as numpy's __bit_generator_ctor are.
        return rest.split(separator: ".").contains { introspection.contains(String($0)) }
    }

    static func isPlaceholder(_ o: PyObject) -> Bool { o.className == arrayPlaceholder || o.className == dtypePlaceholder }

    static func numpyName(_ n: String, _ tail: String) -> Bool {
        n == "numpy.core.\(tail)" || n == "numpy._core.\(tail)"
    }

    static func bytesOf(_ v: PyValue) -> [UInt8]? {
        switch v {
        case .bytes(let b), .bytearray(let b): return b
        case .string(let s): return s.unicodeScalars.allSatisfy { $0.value < 256 } ? s.unicodeScalars.map { UInt8($0.value) } : nil
        default: return nil
        }
    }

    static func ints(_ v: PyValue) -> [Int]? {
        guard case .tuple(let t) = v else { if case .list(let l) = v { return ints(.tuple(l.items)) }; return nil }
        var out: [Int] = []
        for e in t { guard case .int(let i) = e, let x = Int(exactly: i) else { return nil }; out.append(x) }
        return out
    }

    /// REDUCE of a known data constructor; nil for other callables.
    static func apply(_ n: String, _ a: [PyValue], offset: Int) throws -> PyValue? {
        func bad(_ r: String) -> PythonObjectsError { .pickle(offset: offset, reason: "\(n)\(r)") }
        switch n {
        case _ where numpyName(n, "multiarray._reconstruct"):
            return .object(PyObject(className: arrayPlaceholder, args: a, viaNew: true))
        case _ where n == "numpy.dtype" || numpyName(n, "multiarray.dtype"):
            return .object(PyObject(className: dtypePlaceholder, args: a, viaNew: false))
        case _ where numpyName(n, "multiarray.scalar"):
            guard a.count >= 1, case .dtype(let d) = a[0] else { throw bad(": expected (dtype, bytes)") }
            if a.count == 1 { return .numpyScalar(d, []) }
            guard let raw = bytesOf(a[1]) else { throw bad(": the scalar's data is \(a[1].kindName)") }
            return .numpyScalar(d, raw)
        case _ where numpyName(n, "numeric._frombuffer"):
            guard a.count >= 3, let raw = bytesOf(a[0]), case .dtype(let d) = a[1], let shape = ints(a[2]) else { throw bad(": expected (buffer, dtype, shape, order)") }
            var fortran = false
            if a.count > 3, case .string(let o) = a[3] { fortran = o == "F" }
            return .ndarray(try makeArray(d, shape, fortran, raw, path: n, offset: offset))
        case "_codecs.encode":
            guard a.count >= 1, case .string(let s) = a[0] else { throw bad(": expected (str, encoding)") }
            let enc = a.count > 1 ? { if case .string(let e) = a[1] { return e.lowercased() } else { return "utf-8" } }() : "utf-8"
            if enc == "latin1" || enc == "latin-1" || enc == "iso-8859-1" {
                guard let b = bytesOf(.string(s)) else { throw bad(": text outside latin-1") }
                return .bytes(b)
            }
            return .bytes(Array(s.utf8))
        case "builtins.set", "__builtin__.set":
            return .set(a.first.map(items) ?? [])
        case "builtins.frozenset", "__builtin__.frozenset":
            return .frozenset(a.first.map(items) ?? [])
        case "builtins.bytearray", "__builtin__.bytearray":
            if a.isEmpty { return .bytearray([]) }
            if let b = bytesOf(a[0]) { return .bytearray(b) }
            return .bytearray(items(a[0]).compactMap { if case .int(let i) = $0 { return UInt8(truncatingIfNeeded: i) } else { return nil } })
        case "builtins.bytes", "__builtin__.bytes":
            if a.isEmpty { return .bytes([]) }
            if let b = bytesOf(a[0]) { return .bytes(b) }
            return .bytes(items(a[0]).compactMap { if case .int(let i) = $0 { return UInt8(truncatingIfNeeded: i) } else { return nil } })
        case "builtins.complex", "__builtin__.complex":
            func d(_ v: PyValue?) -> Double { switch v { case .float(let x)?: return x; case .int(let i)?: return Double(i); default: return 0 } }
            return .complex(real: d(a.first), imag: d(a.count > 1 ? a[1] : nil))
        case "builtins.slice", "__builtin__.slice":
            let p = a + Array(repeating: .none, count: max(0, 3 - a.count))
            return a.count == 1 ? .slice(start: .none, stop: a[0], step: .none) : .slice(start: p[0], stop: p[1], step: p[2])
        case "collections.OrderedDict", "builtins.dict", "__builtin__.dict":
            let d = PyDict()
            for pair in a.first.map(items) ?? [] {
                if case .tuple(let kv) = pair, kv.count == 2 { d.set(kv[0], kv[1]) } else if case .list(let l) = pair, l.items.count == 2 { d.set(l.items[0], l.items[1]) }
            }
            return .dict(d)
        case "builtins.list", "__builtin__.list":
            return .list(PyList(a.first.map(items) ?? []))
        case "builtins.tuple", "__builtin__.tuple":
            return .tuple(a.first.map(items) ?? [])
        case partial:
            try refuseForbiddenWrapped(a.first, offset: offset)
            return nil
        case "copyreg._reconstructor", "copy_reg._reconstructor":
            guard let cls = a.first, case .global(let m, let c) = cls else { throw bad(": expected a class") }
            if isForbidden(module: m, name: c) { throw PythonObjectsError.forbiddenCallable(name: "\(m).\(c)", offset: offset) }
            return .object(PyObject(className: "\(m).\(c)", args: Array(a.dropFirst()), viaNew: true))
        default:
            return nil
        }
    }

    /// Throws when `callable` (what a partial wraps) is a forbidden global.
    static func refuseForbiddenWrapped(_ callable: PyValue?, offset: Int) throws {
        if case .global(let m, let c)? = callable, isForbidden(module: m, name: c) {
            throw PythonObjectsError.forbiddenCallable(name: "\(m).\(c)", offset: offset)
        }
    }

    /// NEWOBJ of a known builtin type; nil for classes (which become records).
    static func applyNew(_ n: String, _ a: [PyValue]) throws -> PyValue? {
        switch n {
        case "builtins.set", "builtins.frozenset", "builtins.bytearray", "builtins.complex", "collections.OrderedDict",
             "builtins.dict", "builtins.list", "builtins.tuple":
            return try apply(n, a, offset: 0)
        default: return nil
        }
    }

    static func items(_ v: PyValue) -> [PyValue] {
        switch v {
        case .list(let l): return l.items
        case .tuple(let t), .set(let t), .frozenset(let t): return t
        default: return []
        }
    }

    /// BUILD on a placeholder: the array or dtype it stands for; nil for other objects.
    static func build(_ o: PyObject, _ state: PyValue, offset: Int) throws -> PyValue? {
        func bad(_ r: String) -> PythonObjectsError { .pickle(offset: offset, reason: r) }
        if o.className == partial, case .tuple(let t) = state { try refuseForbiddenWrapped(t.first, offset: offset) }
        switch o.className {
        case dtypePlaceholder:
            guard case .string(let code) = o.args.first ?? .none else { throw bad("numpy.dtype without its type code") }
            guard var d = NumpyDType(typeString: code) else { throw bad("numpy.dtype('\(code)') is not a dtype this reader knows") }
            guard case .tuple(let s) = state, s.count >= 8 else { throw bad("numpy.dtype state is \(state.kindName)") }
            if case .string(let e) = s[1] {
                d.byteOrder = e == ">" ? .big : (e == "|" ? .notApplicable : .little)
            }
            if case .tuple(let names) = s[3], case .dict(let fields) = s[4] {
                var out: [NumpyDType.Field] = []
                for nameValue in names {
                    guard case .string(let name) = nameValue, case .tuple(let f)? = fields[name], f.count >= 2,
                          case .dtype(let fd) = f[0], case .int(let off) = f[1] else { throw bad("numpy.dtype field \(nameValue.kindName) is not (dtype, offset)") }
                    out.append(.init(name: name, dtype: fd, offset: Int(off)))
                }
                d.fields = out
                d.kind = "V"
            }
            if case .int(let size) = s[5], size > 0, d.kind == "V" || d.kind == "U" || d.kind == "S" { d.itemSize = Int(size) }
            return .dtype(d)
        case arrayPlaceholder:
            guard case .tuple(let s) = state, s.count >= 5, let shape = ints(s[1]), case .dtype(let d) = s[2] else {
                throw bad("numpy array state is \(state.kindName), not (version, shape, dtype, fortran, data)")
            }
            var fortran = false
            if case .bool(let f) = s[3] { fortran = f } else if case .int(let f) = s[3] { fortran = f != 0 }
            if d.kind == "O" {
                let objects = items(s[4])
                guard objects.count == shape.reduce(1, *) else { throw bad("object array of shape \(shape) holds \(objects.count) elements") }
                return .ndarray(NDArray(dtype: d, shape: shape, fortranOrder: fortran, data: [], objects: objects))
            }
            guard let raw = bytesOf(s[4]) else { throw bad("numpy array data is \(s[4].kindName)") }
            return .ndarray(try makeArray(d, shape, fortran, raw, path: "numpy array", offset: offset))
        default:
            return nil
        }
    }

    /// An array whose byte count must match its shape (a 1 KB file cannot claim a huge array).
    static func makeArray(_ d: NumpyDType, _ shape: [Int], _ fortran: Bool, _ raw: [UInt8], path: String, offset: Int) throws -> NDArray {
        var count = 1
        for s in shape {
            guard s >= 0 else { throw PythonObjectsError.invalidArray(path: path, reason: "negative dimension in shape \(shape)") }
            let (c, o) = count.multipliedReportingOverflow(by: s)
            guard !o else { throw PythonObjectsError.invalidArray(path: path, reason: "shape \(shape) overflows") }
            count = c
        }
        let (need, o) = count.multipliedReportingOverflow(by: d.itemSize)
        guard !o, need == raw.count else {
            throw PythonObjectsError.invalidArray(path: path, reason: "shape \(shape) of \(d.descr) needs \(o ? "more than 2^63" : String(need)) bytes and the file holds \(raw.count) (at byte \(offset))")
        }
        return NDArray(dtype: d, shape: shape, fortranOrder: fortran, data: raw)
    }
}
