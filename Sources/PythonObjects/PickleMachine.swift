import Foundation
import ReaderLimits

/// The pickle virtual machine: reads protocols 0-5 and builds `PyValue`s. It never
/// imports or calls anything: GLOBAL gives a name, REDUCE of a known data constructor
/// (numpy arrays, dtypes and scalars, set, frozenset, bytearray, complex, slice,
/// OrderedDict, `_codecs.encode`, `copyreg._reconstructor`) builds the value, REDUCE of
/// a callable that runs code (os.system, eval, subprocess, importlib, getattr, ...) is an
/// error, and every other REDUCE/NEWOBJ/INST/OBJ makes a `PyObject` record.
///
/// `limits` bound the stack, the memo and the open MARKs (`maxElements`), how deeply
/// tuples nest (`maxDepth`), text arguments (`maxStringBytes`), and what arrays and
/// copies of memoized containers may allocate (the input-relative allowance and the
/// memory budget), so a hostile pickle fails with a `ReaderLimitBreach`.
public struct PickleMachine {
    /// Out-of-band buffers (protocol 5 `NEXT_BUFFER`), in order.
    public var buffers: [[UInt8]] = []
    /// Resolves persistent ids (PyTorch storages); by default they stay `.persistent`.
    public var persistentLoad: ((PyValue) throws -> PyValue)?
    /// Called after BUILD on an object of the class `hookClassName` with the stream and
    /// position; returns the value that replaces the object and the new position
    /// (joblib's NumpyArrayWrapper reads its array bytes from the stream there).
    public var buildHook: ((PyObject, [UInt8], Int) throws -> (PyValue, Int))?
    /// The class `buildHook` is for.
    public var hookClassName = "joblib.numpy_pickle.NumpyArrayWrapper"
    /// Bounds.
    public var limits = ReaderLimits.default

    public init() {}

    /// Reads one pickle starting at `offset`; returns the value and where it ended.
    /// - Throws: `PythonObjectsError`.
    public func load(_ b: [UInt8], at offset: Int = 0) throws -> (value: PyValue, end: Int) {
        var run = PickleRun(m: self, b: b, i: offset)
        let v: PyValue
        do { v = try run.execute() } catch {
            // What the stream built before failing: nobody will dismantle it, and a hostile
            // pickle can make cycles in it, so it is dismantled here.
            run.dismantleLeftovers(keeping: nil)
            throw error
        }
        run.dismantleLeftovers(keeping: v)
        return (v, run.i)
    }
}

struct PickleRun {
    let m: PickleMachine
    let b: [UInt8]
    var i: Int
    var stack: [PyValue] = []
    var marks: [Int] = []
    var memo: [Int: PyValue] = [:]
    var nextBuffer = 0
    var opcodeOffset = 0
    /// Placeholders that BUILD turns into values (numpy arrays and dtypes, joblib
    /// wrappers), with the memo keys that hold them, so the memo sees the result too.
    var placeholderMemo: [ObjectIdentifier: [Int]] = [:]
    /// Nesting depth of the tuples built so far, by their element storage (alive for the
    /// whole run: the stack or memo holds them).
    var tupleDepth: [UnsafeRawPointer: Int] = [:]
    /// Memo keys of a set, by the stack slot that held the set when it was memoized:
    /// ADDITEMS fills that set, and the memo must see the filled one (Python's memo holds
    /// the object itself; here a set is a value).
    var setMemo: [Int: [Int]] = [:]
    /// What arrays and copies of memoized containers allocate, against the input's size.
    var allowance: ReaderAllowance
    /// Every list, dict and object pushed (with repeats), for `dismantleLeftovers`;
    /// persistent ids resolved by the caller are the caller's and are not listed.
    var built: [PyValue] = []

    init(m: PickleMachine, b: [UInt8], i: Int) {
        self.m = m
        self.b = b
        self.i = i
        allowance = ReaderAllowance(limits: m.limits, inputBytes: b.count - min(i, b.count))
    }

    var place: String { "byte \(opcodeOffset)" }

    /// Charges what a constructor or BUILD made from values the stream only referenced
    /// (a memoized list copied by `list(...)`, an array's bytes), so repeating a cheap
    /// reference cannot make the run allocate without bound or take quadratic time.
    mutating func account(_ v: PyValue) throws {
        let stride = MemoryLayout<PyValue>.stride
        let offset = opcodeOffset
        switch v {
        case .ndarray(let a): try allowance.spend(a.data.count + (a.objects?.count ?? 0) * stride, at: "byte \(offset)", detail: "numpy array data")
        case .list(let l): try allowance.spend(count: l.items.count, of: stride, at: "byte \(offset)")
        case .dict(let d): try allowance.spend(count: d.entries.count, of: 2 * stride, at: "byte \(offset)")
        case .tuple(let t), .set(let t), .frozenset(let t): try allowance.spend(count: t.count, of: stride, at: "byte \(offset)")
        case .bytes(let x), .bytearray(let x): try allowance.spend(x.count, at: "byte \(offset)")
        default: break
        }
    }

    func fail(_ r: String) -> PythonObjectsError { .pickle(offset: opcodeOffset, reason: r) }

    /// Dismantles the lists, dicts and objects the stream built that `kept` (the result)
    /// does not reach: a cycle among them (a list appended to itself, then popped, or
    /// built before an error) would never be freed. Nothing to do for the usual pickle,
    /// all of whose containers are parts of its result, beyond one walk over the result.
    mutating func dismantleLeftovers(keeping kept: PyValue?) {
        let leftovers = built
        built = []
        stack = []
        memo = [:]
        guard !leftovers.isEmpty else { return }
        PyValue.dismantle(leftovers: leftovers, keeping: kept)
    }

    mutating func byte() throws -> UInt8 {
        guard i < b.count else { throw fail("the stream ends inside an opcode (truncated file?)") }
        defer { i += 1 }
        return b[i]
    }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= b.count - i else { throw fail("needs \(n) bytes but \(b.count - i) remain (truncated file?)") }
        defer { i += n }
        return b[i..<(i + n)]
    }

    mutating func uint(_ n: Int) throws -> UInt64 {
        let s = try take(n)
        var v: UInt64 = 0
        for (k, x) in s.enumerated() { v |= UInt64(x) << (8 * UInt64(k)) }
        return v
    }

    mutating func line(latin1: Bool = false) throws -> String {
        var k = i
        while k < b.count, b[k] != 0x0A { k += 1 }
        guard k < b.count else { throw fail("a text argument without its newline (truncated file?)") }
        try m.limits.checkString(k - i, at: place)
        // Protocol 0 text is latin-1 bytes (UNICODE adds raw-unicode-escape on top).
        let s = latin1 ? Self.latin1(b[i..<k]) : String(decoding: b[i..<k], as: UTF8.self)
        i = k + 1
        return s.hasSuffix("\r") ? String(s.dropLast()) : s
    }

    mutating func push(_ v: PyValue, own: Bool = true) throws {
        if stack.count >= m.limits.maxElements { try m.limits.checkElements(stack.count + 1, at: place, detail: "values on the pickle machine's stack") }
        stack.append(v)
        if own {
            switch v {
            case .list, .dict, .object: built.append(v)
            default: break
            }
        }
    }

    mutating func pop() throws -> PyValue {
        if let mark = marks.last, stack.count <= mark { throw fail("pops across a MARK") }
        guard let v = stack.popLast() else { throw fail("pops an empty stack") }
        return v
    }

    mutating func popMark() throws -> [PyValue] {
        guard let mark = marks.popLast() else { throw fail("needs a MARK and there is none") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    mutating func top() throws -> PyValue {
        guard let v = stack.last, stack.count > (marks.last ?? 0) else { throw fail("needs a value and the stack is empty") }
        return v
    }

    mutating func memoize(_ key: Int) throws {
        let v = try top()
        if memo[key] == nil, memo.count >= m.limits.maxElements {
            try m.limits.checkElements(memo.count + 1, at: place, detail: "memo entries")
        }
        memo[key] = v
        if case .set = v { setMemo[stack.count - 1, default: []].append(key) }
        if case .object(let o) = v, SafeConstructors.isPlaceholder(o) || o.className == m.hookClassName {
            placeholderMemo[ObjectIdentifier(o), default: []].append(key)
        }
    }

    mutating func recall(_ key: Int) throws {
        guard let v = memo[key] else { throw fail("memo key \(key) was never stored") }
        try push(v)
    }

    static func int(fromLong bytes: ArraySlice<UInt8>) -> PyValue {
        if bytes.isEmpty { return .int(0) }
        if bytes.count <= 8 {
            var v: UInt64 = 0
            for (k, x) in bytes.enumerated() { v |= UInt64(x) << (8 * UInt64(k)) }
            let shift = UInt64(64 - 8 * bytes.count)
            return .int(Int64(bitPattern: v << shift) >> Int64(shift))
        }
        return .bigInt(Array(bytes))
    }

    mutating func execute() throws -> PyValue {
        while true {
            opcodeOffset = i
            let op = try byte()
            switch op {
            case 0x80: // PROTO
                let v = try byte()
                guard v <= 5 else { throw fail("protocol \(v) is newer than 5") }
            case 0x95: _ = try uint(8) // FRAME: the framing is only a hint
            case 0x2E: return try pop() // STOP
            case 0x28: // MARK
                if marks.count >= m.limits.maxElements { try m.limits.checkElements(marks.count + 1, at: place, detail: "open MARKs") }
                marks.append(stack.count)
            case 0x30: _ = try pop() // POP
            case 0x31: _ = try popMark() // POP_MARK
            case 0x32: try push(try top()) // DUP
            case 0x4E: try push(.none)
            case 0x88: try push(.bool(true))
            case 0x89: try push(.bool(false))
            case 0x49: // INT
                let s = try line()
                if s == "00" { try push(.bool(false)) } else if s == "01" { try push(.bool(true)) } else if let v = Int64(s) { try push(.int(v)) } else { try push(try Self.decimal(s, fail: fail)) }
            case 0x4A: try push(.int(Int64(Int32(bitPattern: UInt32(try uint(4))))))
            case 0x4B: try push(.int(Int64(try byte())))
            case 0x4D: try push(.int(Int64(try uint(2))))
            case 0x4C: // LONG
                var s = try line()
                if s.hasSuffix("L") { s.removeLast() }
                if let v = Int64(s) { try push(.int(v)) } else { try push(try Self.decimal(s, fail: fail)) }
            case 0x8A: let n = Int(try byte()); try push(Self.int(fromLong: try take(n)))
            case 0x8B:
                let n = Int(Int32(bitPattern: UInt32(try uint(4))))
                guard n >= 0 else { throw fail("LONG4 with a negative length") }
                try push(Self.int(fromLong: try take(n)))
            case 0x46: // FLOAT
                let s = try line()
                guard let d = Double(s) ?? (s == "nan" ? .nan : s == "inf" ? .infinity : s == "-inf" ? -.infinity : nil) else { throw fail("'\(s)' is not a float") }
                try push(.float(d))
            case 0x47: // BINFLOAT (big-endian)
                let s = try take(8)
                var v: UInt64 = 0
                for x in s { v = v << 8 | UInt64(x) }
                try push(.float(Double(bitPattern: v)))
            case 0x53: // STRING (protocol 0: a Python literal)
                try push(.string(try Self.unquote(try line(latin1: true), fail: fail)))
            case 0x54: let n = Int(Int32(bitPattern: UInt32(try uint(4)))); try m.limits.checkString(n, at: place); try push(.string(Self.latin1(try take(n))))
            case 0x55: let n = Int(try byte()); try push(.string(Self.latin1(try take(n))))
            case 0x56: // UNICODE (raw-unicode-escape)
                try push(.string(Self.rawUnicodeEscape(try line(latin1: true))))
            case 0x58: let n = Int(try uint(4)); try m.limits.checkString(n, at: place); try push(.string(String(decoding: try take(n), as: UTF8.self)))
            case 0x8C: let n = Int(try byte()); try push(.string(String(decoding: try take(n), as: UTF8.self)))
            case 0x8D:
                let n = Int(clamping: try uint(8))
                try m.limits.checkString(n, at: place)
                try push(.string(String(decoding: try take(n), as: UTF8.self)))
            case 0x42: let n = Int(try uint(4)); try push(.bytes(Array(try take(n))))
            case 0x43: let n = Int(try byte()); try push(.bytes(Array(try take(n))))
            case 0x8E: let n = try uint(8); try push(.bytes(Array(try take(Int(clamping: n)))))
            case 0x96: let n = try uint(8); try push(.bytearray(Array(try take(Int(clamping: n)))))
            case 0x97: // NEXT_BUFFER
                guard nextBuffer < m.buffers.count else { throw fail("NEXT_BUFFER: the pickle needs out-of-band buffer \(nextBuffer + 1) and \(m.buffers.count) were given") }
                try push(.bytearray(m.buffers[nextBuffer]))
                nextBuffer += 1
            case 0x98: // READONLY_BUFFER
                if case .bytearray(let a) = try pop() { try push(.bytes(a)) } else { throw fail("READONLY_BUFFER on something that is not a buffer") }
            case 0x29: try push(.tuple([]))
            case 0x74: try push(try tuple(try popMark()))
            case 0x85: let a = try pop(); try push(try tuple([a]))
            case 0x86: let b2 = try pop(), a = try pop(); try push(try tuple([a, b2]))
            case 0x87: let c = try pop(), b2 = try pop(), a = try pop(); try push(try tuple([a, b2, c]))
            case 0x5D: try push(.list(PyList()))
            case 0x6C: try push(.list(PyList(try popMark())))
            case 0x61: // APPEND
                let v = try pop()
                try append([v], to: try top())
            case 0x65: // APPENDS
                let items = try popMark()
                try append(items, to: try top())
            case 0x7D: try push(.dict(PyDict()))
            case 0x64: // DICT
                let items = try popMark()
                guard items.count % 2 == 0 else { throw fail("DICT with an odd number of items") }
                let d = PyDict()
                for k in stride(from: 0, to: items.count, by: 2) { d.set(items[k], items[k + 1]) }
                try push(.dict(d))
            case 0x73: // SETITEM
                let v = try pop(), k = try pop()
                try setItems([(k, v)], on: try top())
            case 0x75: // SETITEMS
                let items = try popMark()
                guard items.count % 2 == 0 else { throw fail("SETITEMS with an odd number of items") }
                try setItems(stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }, on: try top())
            case 0x8F: try push(.set([]))
            case 0x90: // ADDITEMS
                let items = try popMark()
                guard case .set(var s) = try pop() else { throw fail("ADDITEMS on something that is not a set") }
                // The memo's copies of this set step aside while it grows, so the append
                // happens in place (a copy per batch is quadratic), and then see the result.
                let keys = (setMemo[stack.count] ?? []).filter { Self.same(s, memo[$0]) }
                for k in keys { memo[k] = PyValue.none }
                s.append(contentsOf: items)
                for k in keys { memo[k] = .set(s) }
                try push(.set(s))
            case 0x91:
                let items = try popMark()
                _ = try tuple(items)   // frozensets nest like tuples; same depth bound
                try push(.frozenset(items))
            case 0x70: let n = try line(); guard let k = Int(n) else { throw fail("PUT '\(n)'") }; try memoize(k)
            case 0x71: try memoize(Int(try byte()))
            case 0x72: try memoize(Int(try uint(4)))
            case 0x94: try memoize(memo.count)
            case 0x67: let n = try line(); guard let k = Int(n) else { throw fail("GET '\(n)'") }; try recall(k)
            case 0x68: try recall(Int(try byte()))
            case 0x6A: try recall(Int(try uint(4)))
            case 0x63: // GLOBAL
                let module = try line(), name = try line()
                try push(.global(module: module, name: name))
            case 0x93: // STACK_GLOBAL
                guard case .string(let name) = try pop(), case .string(let module) = try pop() else { throw fail("STACK_GLOBAL needs two strings") }
                try push(.global(module: module, name: name))
            case 0x52: // REDUCE
                let args = try pop(), callable = try pop()
                let v = try reduce(callable, args)
                try account(v)
                try push(v)
            case 0x81: // NEWOBJ
                let args = try pop(), cls = try pop()
                let v = try newObject(cls, args, kwargs: nil)
                try account(v)
                try push(v)
            case 0x92: // NEWOBJ_EX
                let kwargs = try pop(), args = try pop(), cls = try pop()
                let v = try newObject(cls, args, kwargs: kwargs)
                try account(v)
                try push(v)
            case 0x69: // INST
                let module = try line(), name = try line()
                let args = try popMark()
                try push(try reduce(.global(module: module, name: name), .tuple(args)))
            case 0x6F: // OBJ
                var items = try popMark()
                guard !items.isEmpty else { throw fail("OBJ without a class") }
                let cls = items.removeFirst()
                try push(try reduce(cls, .tuple(items)))
            case 0x62: // BUILD
                let state = try pop()
                let target = try pop()
                try push(try build(target, state))
            case 0x50: try push(try persistent(.string(try line())), own: m.persistentLoad == nil)
            case 0x51: try push(try persistent(try pop()), own: m.persistentLoad == nil)
            case 0x82, 0x83, 0x84: throw fail("extension-registry opcodes (EXT1/2/4) are not supported")
            default:
                throw fail("unknown opcode 0x\(String(op, radix: 16))")
            }
        }
    }

    /// A tuple, after checking how deeply tuples (and frozensets) nest directly in one
    /// another: those are values whose release recurses, unlike lists, dicts and
    /// objects (see Teardown), so their nesting is bounded.
    mutating func tuple(_ items: [PyValue]) throws -> PyValue {
        var depth = 1
        for item in items {
            switch item {
            case .tuple(let t), .frozenset(let t):
                let key = t.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
                depth = max(depth, 1 + (key.flatMap { tupleDepth[$0] } ?? 1))
            default: break
            }
        }
        try m.limits.checkDepth(depth, at: place)
        if let key = items.withUnsafeBufferPointer({ UnsafeRawPointer($0.baseAddress) }) { tupleDepth[key] = depth }
        return .tuple(items)
    }

    mutating func persistent(_ pid: PyValue) throws -> PyValue {
        if let f = m.persistentLoad { return try f(pid) }
        return .persistent(pid)
    }

    func append(_ items: [PyValue], to target: PyValue) throws {
        switch target {
        case .list(let l): l.items.append(contentsOf: items)
        case .object(let o): o.listItems.append(contentsOf: items)
        default: throw fail("APPEND(S) on \(target.kindName)")
        }
    }

    func setItems(_ items: [(PyValue, PyValue)], on target: PyValue) throws {
        switch target {
        case .dict(let d): for (k, v) in items { d.set(k, v) }
        case .object(let o): o.dictItems.append(contentsOf: items)
        default: throw fail("SETITEM(S) on \(target.kindName)")
        }
    }

    func name(of callable: PyValue) throws -> String {
        switch callable {
        case .global(let module, let name): return "\(module).\(name)"
        case .object(let o): return o.className   // a callable built earlier (a nested REDUCE)
        default: throw fail("calls \(callable.kindName), which is not a class or function name")
        }
    }

    func forbidden(_ callable: PyValue) throws -> Bool {
        if case .global(let module, let name) = callable { return SafeConstructors.isForbidden(module: module, name: name) }
        return SafeConstructors.isForbidden(try self.name(of: callable))
    }

    mutating func reduce(_ callable: PyValue, _ args: PyValue) throws -> PyValue {
        guard case .tuple(let a) = args else { throw fail("REDUCE arguments are \(args.kindName), not a tuple") }
        if case .object(let o) = callable {
            // Calling the result of another call: only data constructors produce data.
            throw PythonObjectsError.forbiddenCallable(name: "the result of \(o.className)(...)", offset: opcodeOffset)
        }
        let n = try name(of: callable)
        if try forbidden(callable) { throw PythonObjectsError.forbiddenCallable(name: n, offset: opcodeOffset) }
        if let v = try SafeConstructors.apply(n, a, offset: opcodeOffset) { return v }
        return .object(PyObject(className: n, args: a, viaNew: false))
    }

    mutating func newObject(_ cls: PyValue, _ args: PyValue, kwargs: PyValue?) throws -> PyValue {
        guard case .tuple(let a) = args else { throw fail("NEWOBJ arguments are \(args.kindName), not a tuple") }
        let n = try name(of: cls)
        if try forbidden(cls) { throw PythonObjectsError.forbiddenCallable(name: n, offset: opcodeOffset) }
        if let v = try SafeConstructors.applyNew(n, a) { return v }
        return .object(PyObject(className: n, args: a, kwargs: kwargs, viaNew: true))
    }

    mutating func build(_ target: PyValue, _ state: PyValue) throws -> PyValue {
        guard case .object(let o) = target else {
            // BUILD on a dict or list: a __setstate__ that updates its items.
            if case .dict(let d) = target, case .dict(let s) = state {
                try account(state)   // a memoized state can be merged again and again
                for (k, v) in s.entries { d.set(k, v) }
                return target
            }
            throw fail("BUILD on \(target.kindName)")
        }
        var result: PyValue
        if o.className == m.hookClassName, let hook = m.buildHook {
            o.state = state
            let (value, end) = try hook(o, b, i)
            i = end
            result = value
        } else if let v = try SafeConstructors.build(o, state, offset: opcodeOffset) {
            result = v
        } else {
            if o.state != nil, case .dict(let existing) = o.state!, case .dict(let more) = state {
                try account(state)
                for (k, v) in more.entries { existing.set(k, v) }
            } else {
                o.state = state
            }
            return target
        }
        // The memo may hold the placeholder; give it the value instead.
        for k in placeholderMemo.removeValue(forKey: ObjectIdentifier(o)) ?? [] { memo[k] = result }
        try account(result)
        return result
    }

    /// Whether `v` is the set `s` (the same storage; two empty sets count as the same).
    static func same(_ s: [PyValue], _ v: PyValue?) -> Bool {
        guard case .set(let t)? = v, t.count == s.count else { return false }
        if s.isEmpty { return true }
        return s.withUnsafeBufferPointer { a in t.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
    }

    static func latin1(_ s: ArraySlice<UInt8>) -> String { String(s.map { Character(Unicode.Scalar($0)) }) }

    /// Python's default limit on the digits of an int read from text.
    static let maxDecimalDigits = 4300

    static func decimal(_ s: String, fail: (String) -> PythonObjectsError) throws -> PyValue {
        // Big decimal ints (protocol 0): two's complement little-endian bytes.
        var digits = Substring(s.trimmingCharacters(in: .whitespaces))
        var negative = false
        if digits.first == "-" { negative = true; digits = digits.dropFirst() } else if digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw fail("'\(s.prefix(40))' is not an integer") }
        // Converting decimal text is quadratic in its length; Python refuses the same ints.
        guard digits.count <= maxDecimalDigits else {
            throw fail("an int of \(digits.count) decimal digits; Python itself refuses more than \(maxDecimalDigits) (sys.int_info.default_max_str_digits)")
        }
        var mag: [UInt32] = [0]   // little-endian base 2^32
        for c in digits {
            var carry = UInt64(c.asciiValue! - 48)
            for k in mag.indices {
                let v = UInt64(mag[k]) * 10 + carry
                mag[k] = UInt32(truncatingIfNeeded: v)
                carry = v >> 32
            }
            if carry > 0 { mag.append(UInt32(carry)) }
        }
        var bytes: [UInt8] = []
        for w in mag { for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: w >> (8 * UInt32(k)))) } }
        bytes.append(0)
        if negative {
            var carry = 1
            for k in bytes.indices { let v = Int(~bytes[k]) + carry; bytes[k] = UInt8(truncatingIfNeeded: v); carry = v >> 8 }
        }
        while bytes.count > 1, (bytes.last == 0 && bytes[bytes.count - 2] & 0x80 == 0) || (bytes.last == 0xFF && bytes[bytes.count - 2] & 0x80 != 0) { bytes.removeLast() }
        return int(fromLong: bytes[...])
    }

    static func unquote(_ s: String, fail: (String) -> PythonObjectsError) throws -> String {
        guard s.count >= 2, let q = s.first, q == "'" || q == "\"", s.last == q else { throw fail("STRING argument \(s) is not quoted") }
        let body = s.dropFirst().dropLast().unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        var out: [UInt8] = []
        var k = 0
        while k < body.count {
            if body[k] == 0x5C, k + 1 < body.count {
                let e = body[k + 1]
                k += 2
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "x"):
                    guard k + 2 <= body.count, let v = UInt8(String(decoding: body[k..<(k + 2)], as: UTF8.self), radix: 16) else { throw fail("bad \\x escape") }
                    out.append(v); k += 2
                default: out.append(e)
                }
            } else { out.append(body[k]); k += 1 }
        }
        return latin1(out[...])
    }

    static func rawUnicodeEscape(_ s: String) -> String {
        var out = ""
        var it = Array(s.unicodeScalars)[...]
        while let c = it.first {
            it = it.dropFirst()
            if c == "\\", let n = it.first, n == "u" || n == "U" {
                let len = n == "u" ? 4 : 8
                let hex = String(String.UnicodeScalarView(it.dropFirst().prefix(len)))
                if hex.count == len, let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) {
                    out.unicodeScalars.append(u)
                    it = it.dropFirst(1 + len)
                    continue
                }
            }
            out.unicodeScalars.append(c)
        }
        return out
    }
}
