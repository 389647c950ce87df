/// Producer-consumer fusion decided when a graph is prepared: a Relu whose input is
/// the single output of a Conv and is read by nothing else is folded into the Conv,
/// which then clamps its results as it writes them; a 2x2 stride-2 MaxPool after such
/// a Conv is folded in the same way (the convolution's rows are pooled as they are
/// computed). The intermediate tensors are never allocated and the separate passes
/// over them disappear. Results are unchanged: the producer applies exactly Relu's
/// `x < 0 ? 0 : x` and MaxPool's maximum to the values it would have stored.
enum FusedActivation: Sendable, Equatable {
    case relu

    /// Applies the activation in place to `count` floats.
    static func relu(_ p: UnsafeMutablePointer<Float>, count: Int) { relu(from: UnsafePointer(p), to: p, count: count) }

    /// Writes relu of `count` floats from `src` to `dst` (which may be `src`; memory
    /// that is written is treated as initialized, as Float is trivial).
    static func relu(from src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let rs = UnsafeRawPointer(src), rd = UnsafeMutableRawPointer(dst)
        while i + 8 <= count {
            let v = rs.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            rd.storeBytes(of: v.replacing(with: 0, where: v .< 0), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { let v = src[i]; dst[i] = v < 0 ? 0 : v; i += 1 }
    }

    /// The activation applied to a float array (in place when it is uniquely held).
    static func relu(_ a: inout [Float]) {
        let n = a.count
        a.withUnsafeMutableBufferPointer { if let b = $0.baseAddress { relu(b, count: n) } }
    }

    /// The activation applied to a tensor of any type Relu accepts (for the producers'
    /// paths that do not clamp while they write).
    func apply(_ t: TensorValue, _ context: RunContext) throws -> TensorValue {
        if case .float(var a) = t.storage {
            FusedActivation.relu(&a)
            return TensorValue(floats: a, shape: t.shape)
        }
        return try Relu.apply(t, context)
    }
}

/// An op that can apply a consumer of its single output itself.
protocol ActivationFusable: Operator {
    /// This op with `activation` applied to its output, or nil when it cannot fuse.
    func fusing(_ activation: FusedActivation) -> (any Operator)?
    /// This op with `pool` (a MaxPool whose `fusable2x2` holds) applied to its output,
    /// or nil when it cannot fuse.
    func fusing(maxPool pool: MaxPool) -> (any Operator)?
}

extension ActivationFusable {
    func fusing(maxPool pool: MaxPool) -> (any Operator)? { nil }
}
