/// A parsed JSON or UBJSON document: the data model both readers produce, so a frontend
/// reads XGBoost's `model.json` and `model.ubj` (or any other JSON-shaped source) with one
/// piece of code.
///
/// Numbers keep enough to be exact in both float64 and float32: a JSON literal is parsed
/// straight to each type (never float64 first and then float32, which can round twice),
/// and a UBJSON float32 is kept as the float it is. Arrays whose elements are all numbers
/// are stored packed (`NumberArray`), which is how XGBoost's per-node arrays arrive.
public indirect enum DocumentValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(DocumentNumber)
    case string(String)
    case array([DocumentValue])
    /// A packed array of numbers (JSON arrays of numbers, UBJSON typed arrays).
    case numbers(NumberArray)
    /// Members in document order (keys may repeat in JSON; lookups take the last).
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

/// A packed array of numbers; `doubles` and `floats` hold each element as `DocumentNumber`
/// would, and `allIntegers` says whether every element was an integer.
public struct NumberArray: Sendable, Equatable {
    /// Each element as float64.
    public var doubles: [Double]
    /// Each element as float32, rounded once from the source.
    public var floats: [Float]
    /// Whether every element is an integer (literal without fraction or exponent, or a
    /// UBJSON integer type).
    public var allIntegers: Bool

    /// A packed array.
    public init(doubles: [Double], floats: [Float], allIntegers: Bool) {
        self.doubles = doubles
        self.floats = floats
        self.allIntegers = allIntegers
    }

    /// The number of elements.
    public var count: Int { doubles.count }
}
