import Foundation
import ONNX

/// The kernel shared by SVMClassifier and SVMRegressor (onnxruntime's SVMCommon):
/// LINEAR x.v (+ c), POLY (gamma x.v + coef0)^degree, RBF exp(-gamma |x - v|^2),
/// SIGMOID tanh(gamma x.v + coef0), all in float32; `kernel_params` is
/// [gamma, coef0, degree].
struct SVMKernel: Sendable {
    enum Kind: Sendable { case linear, poly, rbf, sigmoid }
    var kind: Kind
    var gamma: Float = 0
    var coef0: Float = 0
    var degree: Float = 0

    init(_ c: OpContext) throws {
        switch try c.string("kernel_type", default: "LINEAR") {
        case "LINEAR": kind = .linear
        case "POLY": kind = .poly
        case "RBF": kind = .rbf
        case "SIGMOID": kind = .sigmoid
        case let s: throw InterpreterError.badAttribute(node: c.nodeName, attribute: "kernel_type", message: "'\(s)' is not one of LINEAR, POLY, RBF, SIGMOID")
        }
        let p = try c.floats("kernel_params", default: [])
        if p.count >= 1 { gamma = p[0] }
        if p.count >= 2 { coef0 = p[1] }
        if p.count >= 3 { degree = p[2] }
    }

    /// K(x, v) for each of `count` vectors of length f (row-major); `linearOffset` is
    /// added for LINEAR (the liblinear mode's rho).
    func apply(_ x: UnsafePointer<Float>, _ vectors: UnsafePointer<Float>, count: Int, f: Int, linearOffset: Float = 0,
               into out: UnsafeMutablePointer<Float>) {
        for v in 0..<count {
            let sv = vectors + v * f
            switch kind {
            case .rbf:
                var sum: Float = 0
                for k in 0..<f { let d = x[k] - sv[k]; sum += d * d }
                out[v] = expf(-gamma * sum)
            case .linear:
                var dot: Float = 0
                for k in 0..<f { dot += x[k] * sv[k] }
                out[v] = dot + linearOffset
            case .poly, .sigmoid:
                var dot: Float = 0
                for k in 0..<f { dot += x[k] * sv[k] }
                let s = gamma * dot + coef0
                if kind == .sigmoid {
                    out[v] = tanhf(s)
                } else if degree == 2 {
                    out[v] = s * s
                } else if degree == 3 {
                    out[v] = s * s * s
                } else {
                    out[v] = powf(s, degree)
                }
            }
        }
    }
}
