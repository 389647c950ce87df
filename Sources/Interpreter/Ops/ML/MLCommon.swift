import Foundation
import ONNX

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The score transforms of the ai.onnx.ml classifiers and regressors, with
/// onnxruntime's formulas (float32 arithmetic throughout, as its CPU kernels do).
enum MLPostTransform: Sendable, Equatable {
    case none, logistic, softmax, softmaxZero, probit

    /// The string form (`post_transform` of the v1..v3 ops).
    static func parse(_ s: String, _ c: OpContext) throws -> MLPostTransform {
        switch s {
        case "NONE": return .none
        case "LOGISTIC": return .logistic
        case "SOFTMAX": return .softmax
        case "SOFTMAX_ZERO": return .softmaxZero
        case "PROBIT": return .probit
        default:
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "post_transform",
                                                message: "'\(s)' is not one of NONE, LOGISTIC, SOFTMAX, SOFTMAX_ZERO, PROBIT")
        }
    }

    /// The integer form of TreeEnsemble (ml opset 5), as onnxruntime 1.32 reads it:
    /// 0 NONE, 1 LOGISTIC, 2 SOFTMAX, 3 SOFTMAX_ZERO, 4 PROBIT. The ONNX spec (and
    /// onnx's reference evaluator) number them 1 SOFTMAX, 2 LOGISTIC; onnxruntime maps
    /// the integer through its own enum order instead. The interpreter follows
    /// onnxruntime so that a model it checks gives the same numbers there; converters
    /// should not rely on 1 or 2 (emit NONE and an explicit Softmax/Sigmoid node).
    static func parse(_ v: Int64, _ c: OpContext) throws -> MLPostTransform {
        switch v {
        case 0: return .none
        case 1: return TreeEnsemble.onnxruntimePostTransformNumbering ? .logistic : .softmax
        case 2: return TreeEnsemble.onnxruntimePostTransformNumbering ? .softmax : .logistic
        case 3: return .softmaxZero
        case 4: return .probit
        default:
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "post_transform", message: "\(v) is not in 0...4")
        }
    }
}

/// onnxruntime's scalar helpers (ml_common.h), in float32.
enum MLMath {
    /// 1 / (1 + exp(-|v|)), mirrored for negative v.
    @inline(__always)
    static func logistic(_ v: Float) -> Float {
        let e = 1 / (1 + expf(-abs(v)))
        return v < 0 ? 1 - e : e
    }

    /// The erfinv approximation onnxruntime uses (Winitzki, a = 0.147), in float32.
    static func erfinv(_ x0: Float) -> Float {
        let sgn: Float = x0 < 0 ? -1 : 1
        let x = (1 - x0) * (1 + x0)
        let lg = logf(x)
        let a: Float = 0.147
        let v = 2 / (Float(Double.pi) * a) + 0.5 * lg
        let v2 = 1 / a * lg
        let v3 = -v + sqrtf(v * v - v2)
        return sgn * sqrtf(v3)
    }

    /// sqrt(2) * erfinv(2p - 1).
    @inline(__always)
    static func probit(_ p: Float) -> Float { Float(2.0.squareRoot()) * erfinv(2 * p - 1) }

    /// Softmax in place: max subtracted, float32 sum in order.
    static func softmax(_ v: inout [Float]) {
        var m = -Float.greatestFiniteMagnitude
        for x in v where x > m { m = x }
        var sum: Float = 0
        for i in v.indices { v[i] = expf(v[i] - m); sum += v[i] }
        for i in v.indices { v[i] = v[i] / sum }
    }

    /// Softmax that leaves (near-)zero scores at zero.
    static func softmaxZero(_ v: inout [Float]) {
        var m = -Float.greatestFiniteMagnitude
        for x in v where x > m { m = x }
        let expNegMax = expf(-m)
        var sum: Float = 0
        for i in v.indices {
            if v[i] > 0.0000001 || v[i] < -0.0000001 {
                v[i] = expf(v[i] - m)
                sum += v[i]
            } else {
                v[i] = v[i] * expNegMax
            }
        }
        for i in v.indices { v[i] = v[i] / sum }
    }

    /// Applies a transform to a row of two or more scores (onnxruntime's write_scores).
    static func transformRow(_ v: inout [Float], _ t: MLPostTransform) {
        switch t {
        case .none: break
        case .probit: for i in v.indices { v[i] = probit(v[i]) }
        case .logistic: for i in v.indices { v[i] = logistic(v[i]) }
        case .softmax: softmax(&v)
        case .softmaxZero: softmaxZero(&v)
        }
    }

    /// onnxruntime's batched score update for one score that stands for two classes
    /// (LinearClassifier, SVMClassifier): [1 - p, p] with p = logistic(s) under
    /// LOGISTIC, else p = s; PROBIT gives probit(s) in the first column only.
    static func binaryPair(_ s: Float, _ t: MLPostTransform) -> [Float] {
        switch t {
        case .probit: return [probit(s), 0]
        case .logistic: let p = logistic(s); return [1 - p, p]
        default: return [1 - s, s]
        }
    }

    /// The binary-classifier expansion of one score to two (onnxruntime's
    /// `add_second_class`): 0/1 give [1-s, s]; 2/3 give [-s, s], or with LOGISTIC
    /// [logistic(-s), logistic(s)]; PROBIT gives [probit(s)] only.
    static func secondClass(_ s: Float, mode: Int, _ t: MLPostTransform) -> [Float] {
        if t == .probit { return [probit(s)] }
        switch mode {
        case 0, 1: return [1 - s, s]
        case 2, 3: return t == .logistic ? [logistic(-s), logistic(s)] : [-s, s]
        default: return [s]
        }
    }
}

/// Attribute helpers shared by the ML ops.
extension OpContext {
    /// A TENSOR attribute's elements as Doubles (nil when absent), with its element type.
    func mlTensorDoubles(_ name: String) throws -> (values: [Double], type: DataType)? {
        guard has(name), let t = try tensorIfPresent(name) else { return nil }
        return (try t.doubles(), t.dataType)
    }

    /// A FLOATS attribute, or its `*_as_tensor` twin (ml opset 3) as Doubles; the flag
    /// says whether the values came from a double tensor.
    func mlFloatsOrTensor(_ name: String, tensor tensorName: String) throws -> (values: [Double], isDouble: Bool) {
        if sinceVersion >= 3, let t = try mlTensorDoubles(tensorName) {
            if has(name), !(try floats(name, default: [])).isEmpty {
                throw InterpreterError.badAttribute(node: nodeName, attribute: name, message: "only one of \(name) and \(tensorName) may be given")
            }
            return (t.values, t.type == .double)
        }
        return (try floats(name, default: [Double]()) { Double($0) }, false)
    }
}

/// Splits an input of shape [N, C] (or [C], one row) into rows and columns.
func mlRowsAndColumns(_ x: TensorValue, _ context: RunContext, maxRank: Int = 2) throws -> (rows: Int, cols: Int) {
    switch x.rank {
    case 0: throw context.invalid("the input needs at least one dimension")
    case 1: return (1, x.shape[0])
    default:
        guard x.rank <= maxRank else { throw context.invalid("the input has rank \(x.rank); at most \(maxRank) is supported") }
        return (x.shape[0], x.shape.dropFirst().reduce(1, *))
    }
}

/// Class labels of a classifier: int64 or strings.
enum MLLabels: Sendable {
    case ints([Int64])
    case strings([String])

    var count: Int {
        switch self {
        case .ints(let a): return a.count
        case .strings(let a): return a.count
        }
    }

    /// Labels picked by index (indices must be in range).
    func tensor(_ indices: [Int], shape: [Int]) -> TensorValue {
        switch self {
        case .ints(let a): return TensorValue(int64s: indices.map { a[$0] }, shape: shape)
        case .strings(let a): return TensorValue(strings: indices.map { a[$0] }, shape: shape)
        }
    }
}

/// A value made on first use, once, safely from concurrent runs (ops must not mutate
/// themselves in `run`, so lazily built state lives in a box).
final class MLLazy<V>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: V?
    private let make: () throws -> V

    init(_ make: @escaping () throws -> V) { self.make = make }

    func get() throws -> V {
        lock.lock()
        defer { lock.unlock() }
        if let v = value { return v }
        let v = try make()
        value = v
        return v
    }
}
