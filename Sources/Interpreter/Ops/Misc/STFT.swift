import ONNX

/// STFT: the short-time Fourier transform of signals [batch, length, 1 or 2]. Frame f
/// starts at f * frame_step; its samples are multiplied by the window (ones when
/// omitted) and transformed with a DFT of frame_length points (the window length when
/// frame_length is omitted). Output [batch, frames, bins, 2], with frames =
/// 1 + (length - frame_length) / frame_step and bins = frame_length/2 + 1 when
/// onesided, frame_length otherwise.
struct STFT: Operator {
    static let opType = "STFT"
    static let sinceVersions: [Int64] = [17]
    let onesided: Bool
    init(_ c: OpContext) throws { onesided = try c.int("onesided", default: 1) != 0 }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        try MiscSupport.requireReal(x, "signal", context)
        guard x.rank == 3, x.shape[2] == 1 || x.shape[2] == 2 else {
            throw context.invalid("signal must be [batch, length, 1 or 2] (shape \(x.shape))")
        }
        let (batch, length, comps) = (x.shape[0], x.shape[1], x.shape[2])
        let step = try MiscSupport.scalarInt(try context.tensor(inputs, 1), "frame_step", context)
        guard step > 0 else { throw context.invalid("frame_step \(step) must be positive") }
        let windowTensor = try context.optionalTensor(inputs, 2)
        var window: [Double]?
        if let w = windowTensor {
            guard w.rank == 1 else { throw context.invalid("window must be 1-D (shape \(w.shape))") }
            window = try w.doubles()
        }
        var frameLength: Int
        if let fl = try context.optionalTensor(inputs, 3) {
            let v = try MiscSupport.scalarInt(fl, "frame_length", context)
            guard v > 0, v <= 1 << 30 else { throw context.invalid("frame_length \(v) must be positive") }
            frameLength = Int(v)
        } else if let window {
            frameLength = window.count
        } else {
            frameLength = length
        }
        guard frameLength > 0 else { throw context.invalid("frame length is 0") }
        // Samples taken per frame (the window's length when given).
        let taken = window?.count ?? frameLength
        let frames = length >= frameLength ? 1 + (length - frameLength) / Int(step) : 0
        let bins = onesided ? frameLength / 2 + 1 : frameLength
        let outShape = [batch, frames, bins, 2]
        let xv = try x.doubles()
        var out = [Double](repeating: 0, count: try MiscSupport.count(outShape, context))
        let fourier = MiscFourier(length: frameLength, inverse: false)
        var re = [Double](repeating: 0, count: frameLength), im = [Double](repeating: 0, count: frameLength)
        for b in 0..<batch {
            for f in 0..<frames {
                let begin = f * Int(step)
                for t in 0..<frameLength { re[t] = 0; im[t] = 0 }
                for t in 0..<min(taken, frameLength) where begin + t < length {
                    let p = (b * length + begin + t) * comps
                    let w = window?[t] ?? 1
                    re[t] = xv[p] * w
                    if comps == 2 { im[t] = xv[p + 1] * w }
                }
                fourier.transform(&re, &im)
                for k in 0..<bins {
                    let p = ((b * frames + f) * bins + k) * 2
                    out[p] = re[k]
                    out[p + 1] = im[k]
                }
            }
        }
        return [.tensor(try MiscSupport.real(out, x.dataType, shape: outShape))]
    }
}
