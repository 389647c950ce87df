import Foundation
import Interpreter
import ONNX
import ONNXSerialization

/// Why a conversion failed. Every case names the file; the CLI prints the description
/// after `error: ` and exits 1.
public enum ConversionError: Error, CustomStringConvertible {
    /// The input file cannot be read.
    case unreadable(file: String, reason: String)
    /// No format matched the file's content.
    case unrecognisedFormat(file: String)
    /// The format is known but no converter for it is registered.
    case noConverter(file: String, format: SourceFormat, available: String)
    /// The frontend rejected the file (its error's description).
    case source(file: String, message: String)
    /// Rows given for verification do not fit the model.
    case verifyData(file: String, reason: String)
    /// The converted model does not agree with the source's evaluation.
    case verificationFailed(file: String, report: VerificationReport)
    /// Verification could not run (the interpreter failed).
    case verificationError(file: String, message: String)
    /// Writing the output failed.
    case write(file: String, message: String)
    /// `--strict`: the conversion gave warnings.
    case strict(file: String, warnings: [String])

    public var description: String {
        switch self {
        case .unreadable(let f, let r): return "\(f): cannot read the file (\(r))"
        case .unrecognisedFormat(let f): return "\(f): not a model format this toolkit recognises (see `convert-cli formats`; use --from to name one)"
        case .noConverter(let f, let fmt, let a): return "\(f): recognised as \(fmt.summary.name), but no converter for it is included yet (formats with converters: \(a))"
        case .source(let f, let m): return "\(f): \(m)"
        case .verifyData(let f, let r): return "\(f): \(r)"
        case .verificationFailed(let f, let r): return "\(f): the converted model disagrees with the source model; nothing was written (\(r.summary))"
        case .verificationError(let f, let m): return "\(f): verification could not run: \(m); nothing was written"
        case .write(let f, let m): return "\(f): \(m)"
        case .strict(let f, let w): return "\(f): --strict and \(w.count) warning\(w.count == 1 ? "" : "s"): \(w.joined(separator: "; ")); nothing was written"
        }
    }
}

/// The whole conversion: sniff, convert, write atomically, read back, verify, and only
/// then put the file in place. A failure at any step leaves no output file behind and
/// never replaces an existing one.
public enum Conversion {
    /// How to verify the written model.
    public enum Verification: Sendable {
        /// Skip verification (`--no-verify`).
        case off
        /// Synthetic rows that straddle every split (the default).
        case synthetic
        /// Rows from a file (`--verify-data X.npy` or `.csv`), one row per line.
        case rows(URL)
    }

    /// What a finished conversion did.
    public struct Outcome: Sendable {
        /// The format the input was read as.
        public var format: SourceFormat
        /// The converter's one-line summary.
        public var summary: String
        /// The converter's warnings.
        public var warnings: [String]
        /// The verification report; nil with `.off` or without a verifier.
        public var report: VerificationReport?
        /// Bytes written.
        public var bytesWritten: Int
        /// Wall time of each step in seconds: read and convert, write, read back, verify.
        public var timings: [(step: String, seconds: Double)]
        /// The op types the model uses (`domain:op` outside the default domain), sorted.
        public var ops: [String] = []
        /// The opsets it imports, `domain=version`, sorted.
        public var opsets: [String] = []
        /// The files besides the model the conversion depends on (weights, configuration,
        /// feature map, verification rows), as absolute paths, sorted.
        public var inputs: [String] = []
    }

    /// Converts `input` to `output`.
    ///
    /// - Parameters:
    ///   - format: the input format, or nil to recognise it from the content.
    ///   - registry: where converters are looked up.
    ///   - warn: called with each warning as soon as it is known.
    ///   - progress: called as each step starts, with what it does, and with counts
    ///     inside long steps ("lowering trees 250/500"); for a terminal.
    /// - Throws: `ConversionError`.
    public static func run(input: URL, output: URL, format: SourceFormat? = nil, options: ConversionOptions = ConversionOptions(),
                           verification: Verification = .synthetic, registry: ConverterRegistry = .shared,
                           warn: (String) -> Void = { _ in }, progress: @escaping @Sendable (String) -> Void = { _ in }) throws -> Outcome {
        let file = input.path
        var options = options
        options.progress = ConversionProgress(progress)
        progress("reading and converting \(input.lastPathComponent)")
        var timings: [(step: String, seconds: Double)] = []
        var clock = DispatchTime.now().uptimeNanoseconds
        func lap(_ step: String) {
            let now = DispatchTime.now().uptimeNanoseconds
            timings.append((step, Double(now - clock) / 1e9))
            clock = now
        }
        let (detected, result0) = try convertOnly(input, format: format, options: options, verification: verification, registry: registry, warn: warn)
        var result = result0
        lap("read and convert")

        var rows: [[Float]]? = nil
        if case .rows(let url) = verification, let verifier = result.verifier {
            rows = try readRows(url, featureCount: verifier.featureCount)
        }

        // Write beside the destination, verify what was written, then rename into place.
        progress("writing \(output.lastPathComponent)")
        let folder = output.deletingLastPathComponent()
        let staging = folder.appendingPathComponent(".\(output.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).verify.onnx")
        defer { try? FileManager.default.removeItem(at: staging) }
        let written: WriteResult
        do { written = try result.model.write(to: staging) } catch {
            throw ConversionError.write(file: output.path, message: "\(error)")
        }
        lap("write")
        let ops = Set((result.model.graph?.node ?? []).map { n in
            let d = n.normalizedDomain
            return d.isEmpty ? (n.opType ?? "") : "\(d):\(n.opType ?? "")"
        }).sorted()
        let opsets = result.model.opsetImport.map { o -> String in
            let d = Domain.normalize(o.domain ?? "")
            return "\(d.isEmpty ? "ai.onnx" : d)=\(o.version ?? 0)"
        }.sorted()
        result.model = Model()   // verification reads the file back; free the builder's copy
        returnFreedMemory()
        var report: VerificationReport? = nil
        if let verifier = result.verifier, !isOff(verification) {
            do {
                progress("reading back \(output.lastPathComponent)")
                let back = try Model(contentsOf: staging)
                lap("read back")
                progress("verifying in the interpreter")
                report = try verifier.verify(back, rows: rows)
                lap("verify")
            } catch {
                throw ConversionError.verificationError(file: file, message: "\(error)")
            }
            if let r = report, !r.passed { throw ConversionError.verificationFailed(file: file, report: r) }
        }
        do {
            if rename(staging.path, output.path) != 0 {
                throw ConversionError.write(file: output.path, message: "cannot move the verified file into place: \(String(cString: strerror(errno)))")
            }
        }
        var inputs = result.inputs + [options.hints.configFile, options.hints.featureMapFile, options.hints.weightsFile].compactMap { $0 }
        if case .rows(let url) = verification { inputs.append(url) }
        return Outcome(format: detected, summary: result.summary, warnings: result.warnings, report: report, bytesWritten: written.modelBytes,
                       timings: timings, ops: ops, opsets: opsets,
                       inputs: Set(inputs.map { $0.standardizedFileURL.path }).sorted())
    }

    /// Sniffs (unless `format` is given), converts, applies --strict and stamps provenance.
    static func convertOnly(_ input: URL, format: SourceFormat?, options: ConversionOptions, verification: Verification,
                            registry: ConverterRegistry, warn: (String) -> Void) throws -> (SourceFormat, ConversionResult) {
        let file = input.path
        let detected: SourceFormat
        if let format {
            detected = format
        } else {
            let sniffed: SourceFormat?
            do { sniffed = try FormatSniffer.sniff(url: input) } catch {
                throw ConversionError.unreadable(file: file, reason: FileManager.default.fileExists(atPath: file) ? "\(error)" : "no such file")
            }
            guard let s = sniffed else { throw ConversionError.unrecognisedFormat(file: file) }
            detected = s
        }
        guard let converter = registry.converter(for: detected) else {
            throw ConversionError.noConverter(file: file, format: detected, available: registry.supportedFormatsList)
        }
        var options = options
        if case .synthetic = verification { options.syntheticVerification = true } else { options.syntheticVerification = false }
        var result: ConversionResult
        do { result = try converter.convert(contentsOf: input, format: detected, options: options) } catch let e as ConversionError {
            throw e
        } catch {
            throw ConversionError.source(file: file, message: "\(error)")
        }
        result.warnings.forEach(warn)
        if options.strict && !result.warnings.isEmpty { throw ConversionError.strict(file: file, warnings: result.warnings) }
        Provenance.stamp(&result.model, input: input, format: detected, options: options, result: result)
        return (detected, result)
    }

    /// What `convert(contentsOf:)` gives: the model, how it was read and how it verified.
    public struct Converted: Sendable {
        /// The ONNX model, as decoded again from its own serialized bytes.
        public var model: Model
        /// The format the input was read as.
        public var format: SourceFormat
        /// The converter's one-line summary.
        public var summary: String
        /// The converter's warnings.
        public var warnings: [String]
        /// The verification report; nil with `.off` or for models without a native evaluator.
        public var report: VerificationReport?
    }

    /// Converts `input` for a Swift program, writing nothing: the model is serialized and
    /// decoded again in memory, and that copy is verified as `run` verifies a written file
    /// (and returned). Write it with `Model.write(to:)`.
    ///
    /// ```swift
    /// let converted = try Conversion.convert(contentsOf: URL(fileURLWithPath: "model.json"))
    /// guard converted.report?.passed ?? true else { ... }
    /// _ = try converted.model.write(to: URL(fileURLWithPath: "model.onnx"))
    /// ```
    /// - Throws: `ConversionError`; `.verificationFailed` when the model disagrees.
    public static func convert(contentsOf input: URL, format: SourceFormat? = nil, options: ConversionOptions = ConversionOptions(),
                               verification: Verification = .synthetic, registry: ConverterRegistry = .shared) throws -> Converted {
        let file = input.path
        let (detected, result) = try convertOnly(input, format: format, options: options, verification: verification, registry: registry, warn: { _ in })
        var rows: [[Float]]? = nil
        if case .rows(let url) = verification, let verifier = result.verifier { rows = try readRows(url, featureCount: verifier.featureCount) }
        let back: Model
        do { back = try Model(serializedBytes: try result.model.serializedBytes(), source: file) } catch {
            throw ConversionError.write(file: file, message: "\(error)")
        }
        var report: VerificationReport? = nil
        if let verifier = result.verifier, !isOff(verification) {
            do { report = try verifier.verify(back, rows: rows) } catch {
                throw ConversionError.verificationError(file: file, message: "\(error)")
            }
            if let r = report, !r.passed { throw ConversionError.verificationFailed(file: file, report: r) }
        }
        return Converted(model: back, format: detected, summary: result.summary, warnings: result.warnings, report: report)
    }

    /// Hands freed heap pages back to the system: readers free many small arrays (a
    /// parsed JSON model), which malloc would otherwise keep as resident memory while
    /// verification allocates its own.
    static func returnFreedMemory() {
        #if os(Linux)
        _ = glibcMallocTrim(0)
        #endif
    }

    static func isOff(_ v: Verification) -> Bool { if case .off = v { return true } else { return false } }

    /// Rows from a `.npy` (float32 or float64, [N, F]) or `.csv` file.
    static func readRows(_ url: URL, featureCount: Int) throws -> [[Float]] {
        let t: TensorValue
        do { t = url.pathExtension.lowercased() == "csv" ? try CSVFile.read(url) : try NPYFile.read(url) } catch {
            throw ConversionError.verifyData(file: url.path, reason: "\(error)")
        }
        guard t.shape.count == 2, t.shape[1] == featureCount else {
            throw ConversionError.verifyData(file: url.path, reason: "rows of shape \(t.shape) do not fit the model's \(featureCount) features (need [N, \(featureCount)])")
        }
        let values: [Double]
        do { values = try t.doubles() } catch { throw ConversionError.verifyData(file: url.path, reason: "\(error)") }
        let n = t.shape[0], f = featureCount
        return (0..<n).map { r in (0..<f).map { Float(values[r * f + $0]) } }
    }
}

#if os(Linux)
/// glibc's `malloc_trim` (not in the Glibc module map).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
