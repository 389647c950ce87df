/// A parsed JSON or UBJSON document: the data model both readers produce, so a frontend
/// reads XGBoost's `model.json` and `model.ubj` (or any other JSON-shaped source) with one
/// piece of code.
///
/// Numbers keep enough to be exact in both float64 and float32: a JSON literal is parsed
/// straight to each type (never float64 first and then float32, which can round twice),
/// and a UBJSON float32 is kept as the float it is. Arrays whose elements are all numbers
/// are stored packed (`NumberArray`), which is how XGBoost's per-node arrays arrive.
public enum DocumentValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(DocumentNumber)
    case string(String)
    case array([DocumentValue])
    /// A packed array of numbers (JSON arrays of numbers, UBJSON typed arrays).
    case numbers(NumberArray)
    /// Members in document order; the readers refuse an object whose names repeat.
    case object([(key: String, value: DocumentValue)])

    public static func == (a: DocumentValue, b: DocumentValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.numbers(let x), .numbers(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The kind of value, for error messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array, .numbers: return "an array"
        case .object: return "an object"
        }
    }
}

/// One number, exact in each representation it has.
public struct DocumentNumber: Sendable, Equatable {
    /// The value as float64 (correctly rounded from the literal, or exact).
    public var double: Double
    /// The value as float32 (correctly rounded from the literal itself, or exact).
    public var float: Float
    /// The value when it is an integer literal (or a UBJSON integer) that fits.
    public var integer: Int64?

    /// A number.
    public init(double: Double, float: Float, integer: Int64?) {
        self.double = double
        self.float = float
        self.integer = integer
    }
}

/// A packed array of numbers, stored as float64 with the few elements whose float32
/// value is not `Float(double)` kept aside (a decimal literal that rounds differently
/// through float64, or an integer beyond 2^53), so that `floats` is still each element
/// rounded once from its source. 8 bytes per element, which matters for models with
/// millions of nodes.
public struct NumberArray: Sendable, Equatable {
    /// Each element as float64.
    public var doubles: [Double]
    /// Elements whose float32 value differs from `Float(doubles[i])`, by index.
    public var float32Exceptions: [Int: Float]
    /// Whether every element is an integer (literal without fraction or exponent, or a
    /// UBJSON integer type).
    public var allIntegers: Bool

    /// A packed array.
    public init(doubles: [Double], float32Exceptions: [Int: Float] = [:], allIntegers: Bool) {
        self.doubles = doubles
        self.float32Exceptions = float32Exceptions
        self.allIntegers = allIntegers
    }

    /// A packed array from both representations of each element.
    public init(doubles: [Double], floats: [Float], allIntegers: Bool) {
        var exceptions: [Int: Float] = [:]
        for i in 0..<min(doubles.count, floats.count) where !NumberArray.same(Float(doubles[i]), floats[i]) { exceptions[i] = floats[i] }
        self.init(doubles: doubles, float32Exceptions: exceptions, allIntegers: allIntegers)
    }

    /// Each element as float32, rounded once from the source.
    public var floats: [Float] {
        var f = doubles.map { Float($0) }
        for (i, v) in float32Exceptions { f[i] = v }
        return f
    }

    /// Element `i` as float32.
    public func float(at i: Int) -> Float { float32Exceptions[i] ?? Float(doubles[i]) }

    /// The number of elements.
    public var count: Int { doubles.count }

    /// Bitwise equality, so NaN and -0.0 count as kept.
    static func same(_ a: Float, _ b: Float) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }
}
