import Foundation
import ONNX

/// CastMap (ai.onnx.ml 1): a map from int64 to string or float becomes a [1, K] tensor
/// of float (TO_FLOAT), int64 (TO_INT64) or string (TO_STRING, floats printed with
/// six decimals like C's %f), in ascending key order (DENSE), or [1, max_map] with the
/// value of key i at column i and 0 ("0.f" for strings) elsewhere (SPARSE).
struct CastMap: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "CastMap"
    static let sinceVersions: [Int64] = [1]

    enum Target { case float, int64, string }
    let target: Target
    let sparse: Bool
    let maxMap: Int

    init(_ c: OpContext) throws {
        func bad(_ a: String, _ m: String) -> InterpreterError { .badAttribute(node: c.nodeName, attribute: a, message: m) }
        switch try c.string("cast_to", default: "TO_FLOAT") {
        case "TO_FLOAT": target = .float
        case "TO_INT64": target = .int64
        case "TO_STRING": target = .string
        case let s: throw bad("cast_to", "'\(s)' is not one of TO_FLOAT, TO_INT64, TO_STRING")
        }
        switch try c.string("map_form", default: "DENSE") {
        case "DENSE": sparse = false
        case "SPARSE": sparse = true
        case let s: throw bad("map_form", "'\(s)' is not one of DENSE, SPARSE")
        }
        let m = try c.int("max_map", default: 1)
        guard m >= 0, m < Int64(Int32.max) else { throw bad("max_map", "\(m) is out of range") }
        maxMap = Int(m)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        guard let v = inputs.first ?? nil, case .map(let keys, let values) = v else { throw context.invalid("CastMap takes a map") }
        guard keys.count == values.count, keys.dataType != .string else { throw context.invalid("CastMap takes a map with int64 keys") }
        let ks = try keys.int64s()
        // Entries by key (a repeated key keeps its last value), ascending.
        var byKey: [Int64: Value] = [:]
        for (i, k) in ks.enumerated() { byKey[k] = values[i] }
        let sortedKeys = byKey.keys.sorted()
        func element(_ value: Value) throws -> (float: Float, int: Int64, string: String) {
            guard case .tensor(let t) = value, t.count == 1 else { throw context.invalid("a map value is not a scalar tensor") }
            if t.dataType == .string {
                let s = try t.strings()[0]
                let trimmed = s.trimmingCharacters(in: .whitespaces)
                switch target {
                case .string: return (0, 0, s)
                case .float:
                    guard let f = Float(trimmed) ?? Double(trimmed).map(Float.init) else { throw context.invalid("'\(s)' is not a number") }
                    return (f, 0, s)
                case .int64:
                    guard let i = Int64(trimmed) ?? Double(trimmed).flatMap({ Int64(exactly: $0.rounded(.towardZero)) }) else { throw context.invalid("'\(s)' is not an integer") }
                    return (0, i, s)
                }
            }
            let f = try t.floats()[0]
            let i: Int64 = f.isFinite && abs(f) < 9.2e18 ? Int64(f) : Int64.min
            return (f, i, String(format: "%f", Double(f)))
        }
        let count = sparse ? maxMap : sortedKeys.count
        if sparse, let first = sortedKeys.first, first < 0 { throw context.invalid("SPARSE needs non-negative keys; the first is \(first)") }
        var floats: [Float] = [], ints: [Int64] = [], strings: [String] = []
        for j in 0..<count {
            let e: (float: Float, int: Int64, string: String)
            if sparse {
                if let value = byKey[Int64(j)] { e = try element(value) } else { e = (0, 0, "0.f") }
            } else {
                e = try element(byKey[sortedKeys[j]]!)
            }
            floats.append(e.float); ints.append(e.int); strings.append(e.string)
        }
        switch target {
        case .float: return [.tensor(TensorValue(floats: floats, shape: [1, count]))]
        case .int64: return [.tensor(TensorValue(int64s: ints, shape: [1, count]))]
        case .string: return [.tensor(TensorValue(strings: strings, shape: [1, count]))]
        }
    }
}
