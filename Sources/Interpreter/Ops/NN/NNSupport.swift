import ONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real number types the neural-network ops compute in: Float for float32,
/// float16 and bfloat16 inputs, Double for double.
protocol NNReal: BinaryFloatingPoint, Sendable {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func sqrt(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self
    static func erf(_ x: Self) -> Self
    init(_ v: Double)
    var double: Double { get }
}

extension Float: NNReal {
    static func exp(_ x: Float) -> Float { expf(x) }
    static func log(_ x: Float) -> Float { logf(x) }
    static func sqrt(_ x: Float) -> Float { x.squareRoot() }
    static func tanh(_ x: Float) -> Float { tanhf(x) }
    static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    static func erf(_ x: Float) -> Float { erff(x) }
    var double: Double { Double(self) }
}

extension Double: NNReal {
    static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    static func log(_ x: Double) -> Double { Glibc.log(x) }
    static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    static func tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    static func pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
    static func erf(_ x: Double) -> Double { Glibc.erf(x) }
    var double: Double { self }
}

/// Shared helpers of the neural-network ops.
enum NN {
    /// A possibly negative axis made non-negative, or an error when out of range.
    static func axis(_ a: Int64, rank: Int, _ context: RunContext) throws -> Int {
        let r = Int64(rank)
        guard a >= -r && a < max(r, 1) else { throw context.invalid("axis \(a) is out of range for rank \(rank)") }
        return Int(a < 0 ? a + r : a)
    }

    static func isReal(_ t: DataType) -> Bool {
        t == .float || t == .double || t == .float16 || t == .bfloat16
    }

    /// Computes a floating-point result in Float (float, float16, bfloat16) or Double
    /// and returns it in `type`.
    static func real(
        _ type: DataType, shape: [Int], _ context: RunContext,
        float: () throws -> [Float], double: () throws -> [Double]
    ) throws -> TensorValue {
        switch type {
        case .float: return TensorValue(floats: try float(), shape: shape)
        case .double: return TensorValue(doubles: try double(), shape: shape)
        case .float16, .bfloat16: return try .converting(try float(), to: type, shape: shape)
        default: throw InterpreterError.unsupportedType(type, context: context.nodeName)
        }
    }

    /// Builds a tensor of `type` from values computed in R.
    static func tensor<R: NNReal>(_ v: [R], _ type: DataType, shape: [Int]) throws -> TensorValue {
        if let f = v as? [Float] {
            if type == .float { return TensorValue(floats: f, shape: shape) }
            return try .converting(f, to: type, shape: shape)
        }
        if let d = v as? [Double] {
            if type == .double { return TensorValue(doubles: d, shape: shape) }
            return try .converting(d, to: type, shape: shape)
        }
        return try .converting(v.map { Double($0) }, to: type, shape: shape)
    }

    /// Product of a slice of a shape.
    static func product(_ s: ArraySlice<Int>) -> Int { s.reduce(1, *) }

    /// Spatial padding from auto_pad: (begin, end) pads per spatial axis for the given
    /// input sizes, kernel sizes (already dilated), strides.
    static func autoPads(
        _ mode: String, input: [Int], kernel: [Int], strides: [Int], explicit: [Int], _ context: RunContext
    ) throws -> (begin: [Int], end: [Int]) {
        let n = input.count
        switch mode {
        case "NOTSET", "":
            guard explicit.count == 2 * n || explicit.isEmpty else {
                throw context.invalid("pads has \(explicit.count) values for \(n) spatial axes")
            }
            if explicit.isEmpty { return ([Int](repeating: 0, count: n), [Int](repeating: 0, count: n)) }
            guard explicit.allSatisfy({ $0 >= 0 }) else { throw context.invalid("pads must not be negative, got \(explicit)") }
            return (Array(explicit[0..<n]), Array(explicit[n..<(2 * n)]))
        case "VALID":
            return ([Int](repeating: 0, count: n), [Int](repeating: 0, count: n))
        case "SAME_UPPER", "SAME_LOWER":
            var b = [Int](repeating: 0, count: n), e = b
            for i in 0..<n {
                let out = (input[i] + strides[i] - 1) / strides[i]
                let total = max(0, (out - 1) * strides[i] + kernel[i] - input[i])
                let small = total / 2
                if mode == "SAME_UPPER" { b[i] = small; e[i] = total - small } else { b[i] = total - small; e[i] = small }
            }
            return (b, e)
        default:
            throw context.invalid("unknown auto_pad '\(mode)'")
        }
    }
}
