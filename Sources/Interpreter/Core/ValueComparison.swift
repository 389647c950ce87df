import ONNX

/// Compares a computed value with an expected one, the way onnx's backend runner does
/// (`|actual - expected| <= atol + rtol * |expected|`, NaN equal to NaN, exact for
/// integers, bools and strings), and reports the worst element.
public enum ValueComparison {
    public struct Mismatch: CustomStringConvertible, Sendable {
        public var path: String
        public var message: String
        public var description: String { path.isEmpty ? message : "\(path): \(message)" }
    }

    public static func compare(_ actual: Value, _ expected: Value, rtol: Double, atol: Double, path: String = "") -> Mismatch? {
        switch (actual, expected) {
        case (.tensor(let a), .tensor(let e)):
            return compare(a, e, rtol: rtol, atol: atol, path: path)
        case (.sequence(let a, _), .sequence(let e, _)):
            guard a.count == e.count else { return Mismatch(path: path, message: "sequence has \(a.count) elements, expected \(e.count)") }
            for i in a.indices { if let m = compare(a[i], e[i], rtol: rtol, atol: atol, path: "\(path)[\(i)]") { return m } }
            return nil
        case (.map(let ka, let va), .map(let ke, let ve)):
            if let m = compare(ka, ke, rtol: 0, atol: 0, path: path + ".keys") { return m }
            guard va.count == ve.count else { return Mismatch(path: path, message: "map has \(va.count) values, expected \(ve.count)") }
            for i in va.indices { if let m = compare(va[i], ve[i], rtol: rtol, atol: atol, path: "\(path){\(i)}") { return m } }
            return nil
        case (.optional(let a, _), .optional(let e, _)):
            switch (a, e) {
            case (nil, nil): return nil
            case (let x?, let y?): return compare(x, y, rtol: rtol, atol: atol, path: path)
            default: return Mismatch(path: path, message: a == nil ? "optional is empty, expected a value" : "optional has a value, expected none")
            }
        case (.optional(let a?, _), _): return compare(a, expected, rtol: rtol, atol: atol, path: path)
        case (_, .optional(let e?, _)): return compare(actual, e, rtol: rtol, atol: atol, path: path)
        default:
            return Mismatch(path: path, message: "got \(actual), expected \(expected)")
        }
    }

    public static func compare(_ a: TensorValue, _ e: TensorValue, rtol: Double, atol: Double, path: String = "") -> Mismatch? {
        guard a.dataType == e.dataType else { return Mismatch(path: path, message: "element type \(a.dataType), expected \(e.dataType)") }
        guard a.shape == e.shape else { return Mismatch(path: path, message: "shape \(a.shape), expected \(e.shape)") }
        switch a.storage {
        case .string(let x):
            guard case .string(let y) = e.storage else { return Mismatch(path: path, message: "storage differs") }
            for i in x.indices where x[i] != y[i] { return Mismatch(path: path, message: "element \(i): \"\(x[i])\", expected \"\(y[i])\"") }
            return nil
        case .bool, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
            guard let x = try? a.int64s(), let y = try? e.int64s() else { return Mismatch(path: path, message: "unreadable") }
            for i in x.indices where x[i] != y[i] { return Mismatch(path: path, message: "element \(i): \(x[i]), expected \(y[i])") }
            return nil
        case .complex64, .complex128:
            let x: [Double], y: [Double]
            if case .complex64(let p) = a.storage, case .complex64(let q) = e.storage { x = p.map(Double.init); y = q.map(Double.init) }
            else if case .complex128(let p) = a.storage, case .complex128(let q) = e.storage { x = p; y = q }
            else { return Mismatch(path: path, message: "storage differs") }
            return worst(x, y, rtol: rtol, atol: atol, path: path)
        default:
            guard let x = try? a.doubles(), let y = try? e.doubles() else { return Mismatch(path: path, message: "unreadable") }
            return worst(x, y, rtol: rtol, atol: atol, path: path)
        }
    }

    static func worst(_ x: [Double], _ y: [Double], rtol: Double, atol: Double, path: String) -> Mismatch? {
        var worstIndex = -1
        var worstExcess = 0.0
        var bad = 0
        for i in x.indices {
            let a = x[i], b = y[i]
            if a.isNaN && b.isNaN { continue }
            if a == b { continue }
            let diff = abs(a - b)
            let allowed = atol + rtol * abs(b)
            if !(diff <= allowed) {
                bad += 1
                let excess = diff.isNaN ? .infinity : diff - allowed
                if worstIndex < 0 || excess > worstExcess { worstIndex = i; worstExcess = excess }
            }
        }
        guard worstIndex >= 0 else { return nil }
        return Mismatch(path: path, message: "\(bad) of \(x.count) elements differ; worst at \(worstIndex): \(x[worstIndex]), expected \(y[worstIndex]) (|diff| \(abs(x[worstIndex] - y[worstIndex])), allowed \(atol + rtol * abs(y[worstIndex])))")
    }
}
