import ONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A discrete Fourier transform of one fixed length, for DFT and STFT: an iterative
/// radix-2 FFT when the length is a power of two; for other lengths the direct sum
/// over a table of twiddle factors when short, and Bluestein's chirp-z algorithm
/// (a convolution done with power-of-two FFTs) when long.
struct MiscFourier {
    let n: Int
    let inverse: Bool
    private let cosTable: [Double]
    private let sinTable: [Double]
    private let powerOfTwo: Bool
    /// Bluestein's data: the chirp w_k = e^(∓iπk²/n), the FFT of its conjugate
    /// zero-padded to `m`, and the power-of-two transforms of length m.
    private final class Chirp: @unchecked Sendable {
        let m: Int
        let wRe: [Double], wIm: [Double]
        let bRe: [Double], bIm: [Double]
        let forward: MiscFourier, backward: MiscFourier
        init(n: Int, inverse: Bool) {
            var m = 1
            while m < 2 * n - 1 { m <<= 1 }
            self.m = m
            let sign: Double = inverse ? 1 : -1
            var wr = [Double](repeating: 0, count: n), wi = [Double](repeating: 0, count: n)
            for k in 0..<n {
                // k² mod 2n keeps the angle small and exact.
                let q = (k * k) % (2 * n)
                let a = Double.pi * Double(q) / Double(n)
                wr[k] = cos(a)
                wi[k] = sign * sin(a)
            }
            wRe = wr
            wIm = wi
            forward = MiscFourier(length: m, inverse: false)
            backward = MiscFourier(length: m, inverse: true)
            var br = [Double](repeating: 0, count: m), bi = [Double](repeating: 0, count: m)
            for k in 0..<n {
                br[k] = wr[k]; bi[k] = -wi[k]
                if k > 0 { br[m - k] = wr[k]; bi[m - k] = -wi[k] }
            }
            forward.transform(&br, &bi)
            bRe = br
            bIm = bi
        }
    }
    private let chirp: Chirp?

    init(length n: Int, inverse: Bool) {
        self.n = n
        self.inverse = inverse
        powerOfTwo = n > 0 && n & (n - 1) == 0
        if !powerOfTwo && n > 64 {
            chirp = Chirp(n: n, inverse: inverse)
            cosTable = []
            sinTable = []
            return
        }
        chirp = nil
        let sign: Double = inverse ? 1 : -1
        var c = [Double](repeating: 0, count: n), s = [Double](repeating: 0, count: n)
        for k in 0..<n {
            let a = 2 * Double.pi * Double(k) / Double(n)
            c[k] = cos(a)
            s[k] = sign * sin(a)
        }
        cosTable = c
        sinTable = s
    }

    /// Transforms `re`/`im` (each of length n) in place; no 1/n scaling.
    func transform(_ re: inout [Double], _ im: inout [Double]) {
        if n <= 1 { return }
        if powerOfTwo { fft(&re, &im); return }
        if let chirp { bluestein(chirp, &re, &im); return }
        var outRe = [Double](repeating: 0, count: n), outIm = [Double](repeating: 0, count: n)
        for k in 0..<n {
            var sr = 0.0, si = 0.0
            var idx = 0
            for t in 0..<n {
                let c = cosTable[idx], s = sinTable[idx]
                sr += re[t] * c - im[t] * s
                si += re[t] * s + im[t] * c
                idx += k
                if idx >= n { idx -= n }
            }
            outRe[k] = sr
            outIm[k] = si
        }
        re = outRe
        im = outIm
    }

    /// X_k = w_k Σ_t (x_t w_t) conj(w_{k-t}), the sum being a circular convolution of
    /// length m.
    private func bluestein(_ c: Chirp, _ re: inout [Double], _ im: inout [Double]) {
        let m = c.m
        var ar = [Double](repeating: 0, count: m), ai = [Double](repeating: 0, count: m)
        for t in 0..<n {
            ar[t] = re[t] * c.wRe[t] - im[t] * c.wIm[t]
            ai[t] = re[t] * c.wIm[t] + im[t] * c.wRe[t]
        }
        c.forward.transform(&ar, &ai)
        for k in 0..<m {
            let r = ar[k] * c.bRe[k] - ai[k] * c.bIm[k]
            let i = ar[k] * c.bIm[k] + ai[k] * c.bRe[k]
            ar[k] = r
            ai[k] = i
        }
        c.backward.transform(&ar, &ai)
        let scale = 1 / Double(m)
        for k in 0..<n {
            let r = ar[k] * scale, i = ai[k] * scale
            re[k] = r * c.wRe[k] - i * c.wIm[k]
            im[k] = r * c.wIm[k] + i * c.wRe[k]
        }
    }

    private func fft(_ re: inout [Double], _ im: inout [Double]) {
        // Bit-reversal permutation.
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { re.swapAt(i, j); im.swapAt(i, j) }
        }
        var len = 2
        while len <= n {
            let step = n / len
            let half = len / 2
            var start = 0
            while start < n {
                for k in 0..<half {
                    let c = cosTable[k * step], s = sinTable[k * step]
                    let a = start + k, b = a + half
                    let tr = re[b] * c - im[b] * s
                    let ti = re[b] * s + im[b] * c
                    re[b] = re[a] - tr
                    im[b] = im[a] - ti
                    re[a] += tr
                    im[a] += ti
                }
                start += len
            }
            len <<= 1
        }
    }
}

/// The window-function ops (Hann, Hamming, Blackman): a window of `size` values
/// w(n), n = 0..<size, with N = size (periodic) or size - 1 (symmetric), in
/// `output_datatype`.
struct MiscWindow {
    let periodic: Bool
    let outputType: DataType

    init(_ c: OpContext) throws {
        periodic = try c.int("periodic", default: 1) != 0
        outputType = try MiscSupport.dataType(try c.int("output_datatype", default: 1), "output_datatype", c)
        guard outputType != .string, outputType != .complex64, outputType != .complex128 else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "output_datatype", message: "\(outputType) is not a real type")
        }
    }

    /// `f(n, N)` for every n; a one-point symmetric window (N = 0) is [1].
    func run(_ inputs: [Value?], _ context: RunContext, _ f: (Double, Double) -> Double) throws -> [Value] {
        let size = try MiscSupport.scalarInt(try context.tensor(inputs, 0), "size", context)
        guard size >= 0, size <= 1 << 30 else { throw context.invalid("size \(size) must be non-negative") }
        let count = Int(size)
        let big = Double(periodic ? count : count - 1)
        let values = (0..<count).map { big == 0 ? 1 : f(Double($0), big) }
        return [.tensor(try TensorValue.converting(values, to: outputType, shape: [count]))]
    }
}
