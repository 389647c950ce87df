import ONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// MelWeightMatrix: [dft_length/2 + 1, num_mel_bins] triangular filters that map a
/// linear spectrum to mel bins. num_mel_bins + 2 points are spaced evenly on the mel
/// scale (mel = 2595 log10(1 + hz/700), step (high - low) / (num_mel_bins + 2), as the
/// onnx reference and onnxruntime compute it) and mapped to spectrum bins
/// floor((dft_length + 1) hz / sample_rate); filter i rises from point i to point i+1
/// and falls to point i+2.
struct MelWeightMatrix: Operator {
    static let opType = "MelWeightMatrix"
    static let sinceVersions: [Int64] = [17]
    let outputType: DataType
    init(_ c: OpContext) throws {
        outputType = try MiscSupport.dataType(try c.int("output_datatype", default: 1), "output_datatype", c)
        guard outputType != .string, outputType != .complex64, outputType != .complex128 else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "output_datatype", message: "\(outputType) is not a real type")
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let melBins = try MiscSupport.scalarInt(try context.tensor(inputs, 0), "num_mel_bins", context)
        let dftLength = try MiscSupport.scalarInt(try context.tensor(inputs, 1), "dft_length", context)
        let sampleRate = try MiscSupport.scalarInt(try context.tensor(inputs, 2), "sample_rate", context)
        let lower = try MiscSupport.scalarDouble(try context.tensor(inputs, 3), "lower_edge_hertz", context)
        let upper = try MiscSupport.scalarDouble(try context.tensor(inputs, 4), "upper_edge_hertz", context)
        guard melBins >= 0, melBins <= 1 << 20 else { throw context.invalid("num_mel_bins \(melBins) is out of range") }
        guard dftLength > 0, dftLength <= 1 << 30 else { throw context.invalid("dft_length \(dftLength) must be positive") }
        guard sampleRate > 0 else { throw context.invalid("sample_rate \(sampleRate) must be positive") }
        let mels = Int(melBins)
        let spectrumBins = Int(dftLength) / 2 + 1
        let points = mels + 2
        func mel(_ hz: Double) -> Double { 2595 * log1p(hz / 700) / log(10.0) }
        let lowMel = mel(lower), highMel = mel(upper)
        let step = (highMel - lowMel) / Double(points)
        var bins = [Int](repeating: 0, count: points)
        for i in 0..<points {
            let hz = 700 * expm1((Double(i) * step + lowMel) / 2595 * log(10.0))
            let b = (Double(dftLength + 1) * hz / Double(sampleRate)).rounded(.down)
            guard b.isFinite, b >= 0, b < Double(spectrumBins) else {
                throw context.invalid("mel point \(i) (\(hz) Hz) falls outside the \(spectrumBins) spectrum bins")
            }
            bins[i] = Int(b)
        }
        var out = [Double](repeating: 0, count: spectrumBins * mels)
        for i in 0..<mels {
            let (lo, center, hi) = (bins[i], bins[i + 1], bins[i + 2])
            if center == lo {
                out[center * mels + i] = 1
            } else if center > lo {
                for j in lo...center { out[j * mels + i] = Double(j - lo) / Double(center - lo) }
            }
            if hi > center {
                for j in center..<hi { out[j * mels + i] = Double(hi - j) / Double(hi - center) }
            }
        }
        return [.tensor(try TensorValue.converting(out, to: outputType, shape: [spectrumBins, mels]))]
    }
}
