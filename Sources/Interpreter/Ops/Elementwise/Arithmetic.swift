import ONNX

/// Shared machinery for elementwise ops: each op states its function once per compute
/// type (Float for float/float16/bfloat16, Double, Int64 for every integer type, and
/// UInt64 where unsigned 64-bit values need unsigned arithmetic) and this applies it
/// with broadcasting, converting back to the input's element type.
enum Arithmetic {
    enum Family { case float, double, integer, bool, string }

    static func family(_ t: DataType) -> Family? {
        switch t {
        case .float, .float16, .bfloat16: return .float
        case .double: return .double
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .int4, .uint4, .int2, .uint2: return .integer
        case .bool: return .bool
        case .string: return .string
        default: return nil
        }
    }

    /// True for the unsigned integer types.
    static func isUnsigned(_ t: DataType) -> Bool {
        switch t {
        case .uint8, .uint16, .uint32, .uint64, .uint4, .uint2: return true
        default: return false
        }
    }

    /// Bit width of an integer type.
    static func bitWidth(_ t: DataType) -> Int? {
        switch t {
        case .int8, .uint8: return 8
        case .int16, .uint16: return 16
        case .int32, .uint32: return 32
        case .int64, .uint64: return 64
        case .int4, .uint4: return 4
        case .int2, .uint2: return 2
        default: return nil
        }
    }

    /// The elements of a uint64 tensor (nil for other types).
    static func uint64s(_ t: TensorValue) -> [UInt64]? {
        if case .uint64(let a) = t.storage { return a }
        return nil
    }

    static func broadcastFailure(_ shapes: [[Int]], _ context: RunContext) -> InterpreterError {
        .shapeMismatch(node: context.nodeName, message: "shapes \(shapes.map { "\($0)" }.joined(separator: ", ")) do not broadcast")
    }

    static func unsupported(_ t: DataType, _ context: RunContext) -> InterpreterError {
        .unsupportedType(t, context: context.nodeName)
    }

    /// `f(a, b)` elementwise with broadcasting; the result has a's element type.
    /// `unsigned` (when given) computes uint64 elements; otherwise uint64 goes through
    /// `integer` on the bit patterns (right for wrapping +, -, * and bitwise ops).
    static func binary(
        _ a: TensorValue, _ b: TensorValue, _ context: RunContext,
        float: (Float, Float) -> Float, double: (Double, Double) -> Double,
        integer: ((Int64, Int64) throws -> Int64)?,
        unsigned: ((UInt64, UInt64) throws -> UInt64)? = nil
    ) throws -> TensorValue {
        guard a.dataType == b.dataType else {
            throw context.invalid("inputs have different element types (\(a.dataType) and \(b.dataType))")
        }
        let fail = { broadcastFailure([a.shape, b.shape], context) }
        switch family(a.dataType) {
        case .float?:
            if case .float(let x) = a.storage, case .float(let y) = b.storage {
                if a.shape == b.shape { return TensorValue(floats: zipFloats(x, y, float), shape: a.shape) }
                guard let r = Broadcast.binary(x, a.shape, y, b.shape, float) else { throw fail() }
                return TensorValue(floats: r.values, shape: r.shape)
            }
            guard let r = Broadcast.binary(try a.floats(), a.shape, try b.floats(), b.shape, float) else { throw fail() }
            return try .converting(r.values, to: a.dataType, shape: r.shape)
        case .double?:
            guard let r = Broadcast.binary(try a.doubles(), a.shape, try b.doubles(), b.shape, double) else { throw fail() }
            return TensorValue(doubles: r.values, shape: r.shape)
        case .integer?:
            var failure: Error?
            if let unsigned, let x = uint64s(a), let y = uint64s(b) {
                guard let r = Broadcast.binary(x, a.shape, y, b.shape, { p, q -> UInt64 in
                    do { return try unsigned(p, q) } catch { if failure == nil { failure = error }; return 0 }
                }) else { throw fail() }
                if let failure { throw failure }
                return TensorValue(unchecked: .uint64, shape: r.shape, storage: .uint64(r.values))
            }
            guard let integer else { throw unsupported(a.dataType, context) }
            guard let r = Broadcast.binary(try a.int64s(), a.shape, try b.int64s(), b.shape, { x, y -> Int64 in
                do { return try integer(x, y) } catch { if failure == nil { failure = error }; return 0 }
            }) else { throw fail() }
            if let failure { throw failure }
            return try integerTensor(r.values, a.dataType, r.shape)
        default:
            throw unsupported(a.dataType, context)
        }
    }

    /// `f(x)` elementwise; the result has x's element type.
    static func unary(
        _ t: TensorValue, _ context: RunContext,
        float: (Float) -> Float, double: (Double) -> Double,
        integer: ((Int64) -> Int64)? = nil, unsigned: ((UInt64) -> UInt64)? = nil
    ) throws -> TensorValue {
        switch family(t.dataType) {
        case .float?:
            if case .float(let x) = t.storage { return TensorValue(floats: mapFloats(x, float), shape: t.shape) }
            return try .converting(mapFloats(try t.floats(), float), to: t.dataType, shape: t.shape)
        case .double?:
            return TensorValue(doubles: try t.doubles().map(double), shape: t.shape)
        case .integer?:
            if let unsigned, let x = uint64s(t) {
                return TensorValue(unchecked: .uint64, shape: t.shape, storage: .uint64(x.map(unsigned)))
            }
            guard let integer else { throw unsupported(t.dataType, context) }
            return try integerTensor(try t.int64s().map(integer), t.dataType, t.shape)
        default:
            throw unsupported(t.dataType, context)
        }
    }

    /// Tensors at least this large are split over the cores.
    static let parallelThreshold = 1 << 15

    /// `x.map(f)`, on several cores for large arrays.
    static func mapFloats(_ x: [Float], _ f: (Float) -> Float) -> [Float] {
        let n = x.count
        guard n >= parallelThreshold, Parallel.workers > 1 else { return x.map(f) }
        return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            guard let out = buffer.baseAddress else { initialized = 0; return }
            x.withUnsafeBufferPointer { src in
                guard let inp = src.baseAddress else { return }
                Parallel.forChunks(n, minimumChunk: parallelThreshold / 2) { r in
                    for i in r { (out + i).initialize(to: f(inp[i])) }
                }
            }
            initialized = n
        }
    }

    /// `zip(x, y).map(f)` for arrays of one length, on several cores for large arrays.
    static func zipFloats(_ x: [Float], _ y: [Float], _ f: (Float, Float) -> Float) -> [Float] {
        let n = x.count
        guard n >= parallelThreshold, Parallel.workers > 1, y.count == n else { return zip(x, y).map(f) }
        return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            guard let out = buffer.baseAddress else { initialized = 0; return }
            x.withUnsafeBufferPointer { xs in
                y.withUnsafeBufferPointer { ys in
                    guard let a = xs.baseAddress, let b = ys.baseAddress else { return }
                    Parallel.forChunks(n, minimumChunk: parallelThreshold / 2) { r in
                        for i in r { (out + i).initialize(to: f(a[i], b[i])) }
                    }
                }
            }
            initialized = n
        }
    }

    /// A float-only unary op (math functions): float types keep their type.
    static func floatUnary(_ t: TensorValue, _ context: RunContext, float: (Float) -> Float, double: (Double) -> Double) throws -> TensorValue {
        try unary(t, context, float: float, double: double)
    }

    /// An integer tensor of `type` from Int64 values, wrapping to the type's width
    /// (sub-byte types too).
    static func integerTensor(_ v: [Int64], _ type: DataType, _ shape: [Int]) throws -> TensorValue {
        // Core's conversion wraps every integer width, sub-byte ones included.
        try .converting(v, to: type, shape: shape)
    }

    // MARK: comparisons

    enum Comparison {
        case equal, less, greater, lessOrEqual, greaterOrEqual

        @inline(__always) func test<T: Comparable>(_ x: T, _ y: T) -> Bool {
            switch self {
            case .equal: return x == y
            case .less: return x < y
            case .greater: return x > y
            case .lessOrEqual: return x <= y
            case .greaterOrEqual: return x >= y
            }
        }
    }

    /// A comparison with broadcasting; the result is a bool tensor. Unsigned 64-bit
    /// values compare as unsigned; strings (and bools) only for equality.
    static func compare(_ a: TensorValue, _ b: TensorValue, _ op: Comparison, _ context: RunContext) throws -> TensorValue {
        guard a.dataType == b.dataType else {
            throw context.invalid("inputs have different element types (\(a.dataType) and \(b.dataType))")
        }
        func run<T>(_ x: [T], _ y: [T], _ f: (T, T) -> Bool) throws -> TensorValue {
            guard let r = Broadcast.binary(x, a.shape, y, b.shape, f) else { throw broadcastFailure([a.shape, b.shape], context) }
            return TensorValue(bools: r.values, shape: r.shape)
        }
        switch family(a.dataType) {
        case .float?:
            if case .float(let x) = a.storage, case .float(let y) = b.storage { return try run(x, y, op.test) }
            return try run(try a.floats(), try b.floats(), op.test)
        case .double?:
            return try run(try a.doubles(), try b.doubles(), op.test)
        case .integer?:
            if let x = uint64s(a), let y = uint64s(b) { return try run(x, y, op.test) }
            return try run(try a.int64s(), try b.int64s(), op.test)
        case .bool?:
            return try run(try a.int64s(), try b.int64s(), op.test)
        case .string?:
            guard op == .equal else { throw unsupported(a.dataType, context) }
            return try run(try a.strings(), try b.strings(), ==)
        default:
            throw unsupported(a.dataType, context)
        }
    }

    /// Bool inputs combined elementwise with broadcasting (And, Or, Xor).
    static func logical(_ a: TensorValue, _ b: TensorValue, _ context: RunContext, _ f: (Bool, Bool) -> Bool) throws -> TensorValue {
        guard a.dataType == .bool, b.dataType == .bool else {
            throw context.invalid("inputs must be bool tensors (got \(a.dataType) and \(b.dataType))")
        }
        guard let r = Broadcast.binary(try a.bools(), a.shape, try b.bools(), b.shape, f) else {
            throw broadcastFailure([a.shape, b.shape], context)
        }
        return TensorValue(bools: r.values, shape: r.shape)
    }

    /// Folds one or more inputs pairwise with broadcasting (Sum, Min, Max, Mean).
    static func variadic(
        _ inputs: [Value?], _ context: RunContext,
        float: (Float, Float) -> Float, double: (Double, Double) -> Double,
        integer: ((Int64, Int64) throws -> Int64)?, unsigned: ((UInt64, UInt64) throws -> UInt64)? = nil
    ) throws -> (result: TensorValue, count: Int) {
        var tensors: [TensorValue] = []
        for i in inputs.indices where inputs[i] != nil { tensors.append(try context.tensor(inputs, i)) }
        guard var acc = tensors.first else { throw context.invalid("needs at least one input") }
        if tensors.count == 1 {
            guard family(acc.dataType) != nil, family(acc.dataType) != .string else { throw unsupported(acc.dataType, context) }
            return (acc, 1)
        }
        for t in tensors.dropFirst() {
            acc = try binary(acc, t, context, float: float, double: double, integer: integer, unsigned: unsigned)
        }
        return (acc, tensors.count)
    }

    /// NaN-propagating minimum and maximum (numpy's minimum/maximum).
    @inline(__always) static func nanMin<T: FloatingPoint>(_ x: T, _ y: T) -> T { x.isNaN || y.isNaN ? .nan : (y < x ? y : x) }
    @inline(__always) static func nanMax<T: FloatingPoint>(_ x: T, _ y: T) -> T { x.isNaN || y.isNaN ? .nan : (y > x ? y : x) }
}

/// Opset 1-6 broadcasting of binary ops: with `broadcast=1`, B's shape matches a
/// contiguous run of A's dimensions starting at `axis` (by default, A's trailing
/// dimensions); with `broadcast=0`, the shapes must be equal.
struct LegacyBroadcast {
    let active: Bool
    let broadcast: Bool
    let axis: Int64?

    /// Active when the schema in force is older than `newStyleSince`.
    init(_ c: OpContext, newStyleSince: Int64 = 7) throws {
        active = c.sinceVersion < newStyleSince
        if active {
            broadcast = try c.int("broadcast", default: 0) != 0
            axis = c.has("axis") ? try c.int("axis") : nil
        } else {
            broadcast = false
            axis = nil
        }
    }

    /// The two operands, B reshaped so that numpy-style broadcasting gives the legacy result.
    func operands(_ inputs: [Value?], _ context: RunContext) throws -> (TensorValue, TensorValue) {
        let a = try context.tensor(inputs, 0), b = try context.tensor(inputs, 1)
        guard active else { return (a, b) }
        guard broadcast else {
            guard a.shape == b.shape else {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "shapes \(a.shape) and \(b.shape) differ and broadcast is 0")
            }
            return (a, b)
        }
        guard b.rank <= a.rank else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "B \(b.shape) has a higher rank than A \(a.shape)")
        }
        if b.count == 1 { return (a, try b.reshaped([])) }
        var start = a.rank - b.rank
        if let axis {
            let ax = axis < 0 ? Int(axis) + a.rank : Int(axis)
            guard ax >= 0, ax + b.rank <= a.rank else {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "B \(b.shape) does not fit A \(a.shape) at axis \(axis)")
            }
            start = ax
        }
        for (i, d) in b.shape.enumerated() where d != 1 && d != a.shape[start + i] {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "B \(b.shape) does not broadcast to A \(a.shape) at axis \(start)")
        }
        let newShape = b.shape + [Int](repeating: 1, count: a.rank - start - b.rank)
        return (a, try b.reshaped(newShape))
    }
}
