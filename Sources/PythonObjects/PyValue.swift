/// A Python value as a pickle (or joblib, skops, jsonpickle) file describes it: data
/// only. Instances of classes are `object` records of the class name plus what they were
/// built from; nothing is ever called. Lists, dicts and objects are reference types,
/// because pickles share and even nest them (`l.append(l)`), and later opcodes fill
/// containers already referenced from the memo.
public enum PyValue: @unchecked Sendable {
    case none
    case bool(Bool)
    /// An int that fits in 64 bits.
    case int(Int64)
    /// A larger int: two's complement, little-endian bytes (pickle's LONG encoding).
    case bigInt([UInt8])
    case float(Double)
    case complex(real: Double, imag: Double)
    case string(String)
    case bytes([UInt8])
    case bytearray([UInt8])
    case tuple([PyValue])
    case list(PyList)
    case dict(PyDict)
    case set([PyValue])
    case frozenset([PyValue])
    indirect case slice(start: PyValue, stop: PyValue, step: PyValue)
    /// A reference to a class or function, by name (GLOBAL / STACK_GLOBAL).
    case global(module: String, name: String)
    /// Anything built by a constructor this reader does not interpret.
    case object(PyObject)
    /// A numpy array.
    case ndarray(NDArray)
    /// A numpy scalar (`numpy.float64(1.5)`): its dtype and bytes.
    case numpyScalar(NumpyDType, [UInt8])
    /// A numpy dtype.
    case dtype(NumpyDType)
    /// A persistent id the caller resolves (PyTorch storages).
    indirect case persistent(PyValue)

    /// The kind, for error messages.
    public var kindName: String {
        switch self {
        case .none: return "None"
        case .bool: return "a bool"
        case .int, .bigInt: return "an int"
        case .float: return "a float"
        case .complex: return "a complex"
        case .string: return "a str"
        case .bytes: return "bytes"
        case .bytearray: return "a bytearray"
        case .tuple(let t): return "a tuple of \(t.count)"
        case .list(let l): return "a list of \(l.items.count)"
        case .dict(let d): return "a dict of \(d.entries.count)"
        case .set: return "a set"
        case .frozenset: return "a frozenset"
        case .slice: return "a slice"
        case .global(let m, let n): return "the global \(m).\(n)"
        case .object(let o): return "a \(o.className) object"
        case .ndarray(let a): return "a \(a.shape.count)-d \(a.dtype.descr) array"
        case .numpyScalar(let d, _): return "a numpy \(d.descr) scalar"
        case .dtype(let d): return "the dtype \(d.descr)"
        case .persistent: return "a persistent id"
        }
    }
}

/// A Python list.
public final class PyList: @unchecked Sendable {
    public var items: [PyValue]
    public init(_ items: [PyValue] = []) { self.items = items }
    deinit { Teardown.release(&items) }
}

/// A Python dict, insertion ordered. Keys are compared by value for the hashable kinds
/// pickles use as keys (str, int, bytes, tuples of those, None, bool, float).
public final class PyDict: @unchecked Sendable {
    public private(set) var entries: [(key: PyValue, value: PyValue)] = []
    private var index: [PyKey: Int] = [:]

    public init() {}

    deinit {
        var flat = entries.flatMap { [$0.key, $0.value] }
        entries = []
        index = [:]
        Teardown.release(&flat)
    }

    /// Hands over the entries and empties the dict (`PyValue.dismantle`).
    func takeAll() -> [PyValue] {
        let flat = entries.flatMap { [$0.key, $0.value] }
        entries = []
        index = [:]
        return flat
    }

    /// Sets `key` to `value`, replacing an equal key's value in place.
    public func set(_ key: PyValue, _ value: PyValue) {
        if let k = PyKey(key) {
            if let i = index[k] { entries[i].value = value; return }
            index[k] = entries.count
        }
        entries.append((key, value))
    }

    /// The value for a string key.
    public subscript(_ key: String) -> PyValue? {
        guard let i = index[.string(key)] else { return nil }
        return entries[i].value
    }

    /// The value for any key this dict can compare.
    public func value(for key: PyValue) -> PyValue? {
        guard let k = PyKey(key), let i = index[k] else { return nil }
        return entries[i].value
    }
}

/// The hashable form of a dict key.
indirect enum PyKey: Hashable {
    case none, bool(Bool), int(Int64), big([UInt8]), float(UInt64), string(String), bytes([UInt8]), tuple([PyKey]), global(String)

    /// Most values one key may hold, counting those inside its tuples. Memo references
    /// let a short pickle build tuples that share their elements, whose expansion grows
    /// exponentially with their depth; a larger key is kept in the dict but not indexed.
    static let maximumValues = 4096

    init?(_ v: PyValue) {
        var budget = Self.maximumValues
        self.init(v, budget: &budget)
    }

    init?(_ v: PyValue, budget: inout Int) {
        budget -= 1
        guard budget >= 0 else { return nil }
        switch v {
        case .none: self = .none
        case .bool(let b): self = .int(b ? 1 : 0)   // True == 1 as a dict key
        case .int(let i): self = .int(i)
        case .bigInt(let b): self = .big(b)
        case .float(let d):
            if let i = Int64(exactly: d) { self = .int(i) } else { self = .float(d.bitPattern) }
        case .string(let s): self = .string(s)
        case .bytes(let b): self = .bytes(b)
        case .tuple(let t):
            var keys: [PyKey] = []
            for e in t { guard let k = PyKey(e, budget: &budget) else { return nil }; keys.append(k) }
            self = .tuple(keys)
        case .global(let m, let n): self = .global("\(m).\(n)")
        default: return nil
        }
    }
}

/// An instance the reader does not interpret: the class (or callable) and what it was
/// built from. `state` is what BUILD set (usually the instance `__dict__`); `listItems`
/// and `dictItems` are what APPENDS / SETITEMS added to it.
public final class PyObject: @unchecked Sendable {
    /// `module.qualname` of the class or callable.
    public let className: String
    /// The arguments of the constructor (REDUCE / NEWOBJ / INST / OBJ).
    public var args: [PyValue]
    /// Keyword arguments (NEWOBJ_EX).
    public var kwargs: PyValue?
    /// The state BUILD gave it.
    public var state: PyValue?
    /// Items appended to it (list subclasses).
    public var listItems: [PyValue] = []
    /// Items set on it (dict subclasses).
    public var dictItems: [(PyValue, PyValue)] = []
    /// Whether it was made by calling the class (`cls(*args)`) or by `cls.__new__`.
    public let viaNew: Bool

    public init(className: String, args: [PyValue], kwargs: PyValue? = nil, viaNew: Bool) {
        self.className = className
        self.args = args
        self.kwargs = kwargs
        self.viaNew = viaNew
    }

    deinit {
        var flat = args + [kwargs ?? .none, state ?? .none] + listItems + dictItems.flatMap { [$0.0, $0.1] }
        args = []; kwargs = nil; state = nil; listItems = []; dictItems = []
        Teardown.release(&flat)
    }

    /// The attribute `name` from the state dict (or from the dict of a `(dict, slots)`
    /// state tuple).
    public func attribute(_ name: String) -> PyValue? {
        switch state {
        case .dict(let d)?: return d[name]
        case .tuple(let t)?:
            for part in t { if case .dict(let d) = part, let v = d[name] { return v } }
            return nil
        default: return nil
        }
    }
}

extension PyValue {
    /// The decimal text of an int (two's complement little-endian bytes for big ints).
    /// Ints beyond Python's own 4300-digit limit for text (about 1786 bytes) come out as
    /// `<int of N bytes>`: the conversion is quadratic in the length.
    public static func decimal(ofTwosComplement bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "0" }
        guard bytes.count <= 1786 else { return "<int of \(bytes.count) bytes>" }
        let negative = bytes.last! & 0x80 != 0
        var mag = bytes
        if negative {   // magnitude = -value = ~bytes + 1
            var carry = 1
            for k in mag.indices { let v = Int(~mag[k]) + carry; mag[k] = UInt8(truncatingIfNeeded: v); carry = v >> 8 }
        }
        // Repeated division by 10^9 on base-256 big-endian digits.
        var digits = Array(mag.reversed())
        var parts: [UInt32] = []
        while digits.contains(where: { $0 != 0 }) {
            var rem: UInt64 = 0
            var next: [UInt8] = []
            next.reserveCapacity(digits.count)
            for d in digits {
                let cur = rem << 8 | UInt64(d)
                let q = cur / 1_000_000_000
                rem = cur % 1_000_000_000
                if !next.isEmpty || q != 0 { next.append(UInt8(q)) }
            }
            parts.append(UInt32(rem))
            digits = next
        }
        guard let top = parts.last else { return "0" }
        var s = String(top)
        for p in parts.dropLast().reversed() { let t = String(p); s += String(repeating: "0", count: 9 - t.count) + t }
        return (negative ? "-" : "") + s
    }
}
