import ONNX

/// DFT: the discrete Fourier transform along one axis of a real ([..., 1]) or complex
/// ([..., 2], real and imaginary parts) signal. The signal is zero-padded or truncated
/// to `dft_length`. `onesided` keeps the first n/2+1 bins of a forward transform; with
/// `inverse` it reads such a half spectrum and returns the real signal (irfft). The
/// inverse transform scales by 1/n. Opset 17 takes the axis as an attribute (default
/// 1), opset 20 as an optional third input (default -2).
struct DFT: Operator {
    static let opType = "DFT"
    static let sinceVersions: [Int64] = [17, 20]
    let inverse: Bool
    let onesided: Bool
    /// The opset-17 attribute; nil from opset 20 on.
    let axisAttribute: Int64?

    init(_ c: OpContext) throws {
        inverse = try c.int("inverse", default: 0) != 0
        onesided = try c.int("onesided", default: 0) != 0
        axisAttribute = c.sinceVersion < 20 ? try c.int("axis", default: 1) : nil
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        try MiscSupport.requireReal(x, "input", context)
        let r = x.rank
        guard r >= 2, let comps = x.shape.last, comps == 1 || comps == 2 else {
            throw context.invalid("input must have rank 2 or more and a last dimension of 1 or 2 (shape \(x.shape))")
        }
        var axisValue = axisAttribute ?? -2
        if axisAttribute == nil, let a = try context.optionalTensor(inputs, 2) {
            axisValue = try MiscSupport.scalarInt(a, "axis", context)
        }
        guard axisValue >= -Int64(r), axisValue < Int64(r) else {
            throw context.invalid("axis \(axisValue) is out of range for rank \(r)")
        }
        let axis = Int(axisValue < 0 ? axisValue + Int64(r) : axisValue)
        guard axis < r - 1 else { throw context.invalid("axis \(axisValue) is the last (real/imaginary) axis") }
        let m = x.shape[axis]
        var n = (inverse && onesided) ? 2 * (m - 1) : m
        if let l = try context.optionalTensor(inputs, 1) {
            let v = try MiscSupport.scalarInt(l, "dft_length", context)
            guard v > 0, v <= 1 << 30 else { throw context.invalid("dft_length \(v) must be positive") }
            n = Int(v)
        }
        guard n > 0 else { throw context.invalid("the DFT length is \(n); it must be positive") }

        let outer = x.shape[..<axis].reduce(1, *)
        let inner = x.shape[(axis + 1)..<(r - 1)].reduce(1, *)
        let irfft = inverse && onesided
        let outLen = irfft ? n : (onesided ? n / 2 + 1 : n)
        let outComps = irfft ? 1 : 2
        var outShape = x.shape
        outShape[axis] = outLen
        outShape[r - 1] = outComps
        let total = try MiscSupport.count(outShape, context)
        let xv = try x.doubles()
        var out = [Double](repeating: 0, count: total)
        let fourier = MiscFourier(length: n, inverse: inverse)
        let scale = inverse ? 1 / Double(n) : 1
        var re = [Double](repeating: 0, count: n), im = [Double](repeating: 0, count: n)
        for o in 0..<outer {
            for i in 0..<inner {
                for t in 0..<n { re[t] = 0; im[t] = 0 }
                func load(_ t: Int) -> (Double, Double) {
                    let p = ((o * m + t) * inner + i) * comps
                    return (xv[p], comps == 2 ? xv[p + 1] : 0)
                }
                if irfft {
                    // Rebuild the full Hermitian spectrum from bins 0...n/2.
                    for k in 0...(n / 2) where k < m { (re[k], im[k]) = load(k) }
                    for k in (n / 2 + 1)..<max(n, n / 2 + 1) { re[k] = re[n - k]; im[k] = -im[n - k] }
                } else {
                    for t in 0..<min(m, n) { (re[t], im[t]) = load(t) }
                }
                fourier.transform(&re, &im)
                for k in 0..<outLen {
                    let p = ((o * outLen + k) * inner + i) * outComps
                    out[p] = re[k] * scale
                    if outComps == 2 { out[p + 1] = im[k] * scale }
                }
            }
        }
        return [.tensor(try MiscSupport.real(out, x.dataType, shape: outShape))]
    }
}
