/// A `PyValue` with its path from the root (`Pipeline.steps[1][1].coef_`), for
/// converters: typed accessors whose errors name the place and what was found.
public struct PyNode: @unchecked Sendable {
    /// The value.
    public let value: PyValue
    /// Where it is.
    public let path: String

    /// A node; the root's path is usually the class name.
    public init(_ value: PyValue, path: String) {
        self.value = value
        self.path = path
    }

    /// The root node of a file's object, named after its class.
    public init(root: PyValue) {
        if case .object(let o) = root { self.init(root, path: String(o.className.split(separator: ".").last ?? "")) } else { self.init(root, path: "$") }
    }

    func wrong(_ expected: String) -> PythonObjectsError { .wrongType(path: path, expected: expected, found: value.kindName) }

    /// The class name of an object.
    public var className: String? { if case .object(let o) = value { return o.className } else { return nil } }

    /// The attribute `name` of an object (from its state), or the value of a string key.
    /// - Throws: `PythonObjectsError.wrongType` when absent.
    public func attribute(_ name: String) throws -> PyNode {
        guard let v = optionalAttribute(name) else {
            throw PythonObjectsError.wrongType(path: "\(path).\(name)", expected: "an attribute", found: "nothing (\(value.kindName) has no '\(name)')")
        }
        return v
    }

    /// The attribute `name`, or nil when absent.
    public func optionalAttribute(_ name: String) -> PyNode? {
        switch value {
        case .object(let o): return o.attribute(name).map { PyNode($0, path: "\(path).\(name)") }
        case .dict(let d): return d[name].map { PyNode($0, path: "\(path)[\"\(name)\"]") }
        default: return nil
        }
    }

    /// Element `i` of a list or tuple (or the i-th element of an object array).
    /// - Throws: when out of range or not a sequence.
    public func item(_ i: Int) throws -> PyNode {
        let items: [PyValue]
        switch value {
        case .list(let l): items = l.items
        case .tuple(let t): items = t
        case .ndarray(let a) where a.objects != nil: items = a.objects!
        default: throw wrong("a list or tuple")
        }
        guard i >= 0, i < items.count else { throw PythonObjectsError.wrongType(path: "\(path)[\(i)]", expected: "an element", found: "\(items.count) elements") }
        return PyNode(items[i], path: "\(path)[\(i)]")
    }

    /// The elements of a list, tuple or object array.
    public func items() throws -> [PyNode] {
        switch value {
        case .list(let l): return l.items.enumerated().map { PyNode($1, path: "\(path)[\($0)]") }
        case .tuple(let t): return t.enumerated().map { PyNode($1, path: "\(path)[\($0)]") }
        case .ndarray(let a) where a.objects != nil: return a.objects!.enumerated().map { PyNode($1, path: "\(path)[\($0)]") }
        default: throw wrong("a list or tuple")
        }
    }

    /// A float: a Python float or int, or a numpy scalar of a numeric dtype.
    public func double() throws -> Double {
        switch value {
        case .float(let d): return d
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .numpyScalar(let d, let raw) where d.isNumeric:
            return try NDArray(dtype: d, shape: [], fortranOrder: false, data: raw).doubles(path: path)[0]
        default: throw wrong("a number")
        }
    }

    /// An integer: a Python int or bool, or an integer numpy scalar.
    public func int() throws -> Int {
        switch value {
        case .int(let i): if let v = Int(exactly: i) { return v }
        case .bool(let b): return b ? 1 : 0
        case .numpyScalar(let d, let raw) where d.isNumeric && d.kind != "f":
            if let v = Int(exactly: try NDArray(dtype: d, shape: [], fortranOrder: false, data: raw).doubles(path: path)[0]) { return v }
        default: break
        }
        throw wrong("an integer")
    }

    /// A string.
    public func string() throws -> String {
        guard case .string(let s) = value else { throw wrong("a str") }
        return s
    }

    /// Whether the value is None.
    public var isNone: Bool { if case .none = value { return true } else { return false } }

    /// A numeric array, checked for rank when given (`rank: 2` for coef_).
    /// - Throws: `PythonObjectsError.wrongType` naming the path, the expectation and
    ///   what was found ("expected a 2-d numeric array, found a 1-d <f8 array").
    public func array(rank: Int? = nil) throws -> NDArray {
        guard case .ndarray(let a) = value else { throw wrong(rank.map { "a \($0)-d numeric array" } ?? "a numeric array") }
        if let rank, a.shape.count != rank {
            throw PythonObjectsError.wrongType(path: path, expected: "a \(rank)-d numeric array", found: "a \(a.shape.count)-d \(a.dtype.descr) array of shape \(a.shape)")
        }
        return a
    }

    /// A numeric array's elements as float64, in C order.
    public func doubles(rank: Int? = nil) throws -> [Double] { try array(rank: rank).doubles(path: path) }

    /// A numeric array's elements as Int64, in C order.
    public func int64s(rank: Int? = nil) throws -> [Int64] { try array(rank: rank).int64s(path: path) }
}
