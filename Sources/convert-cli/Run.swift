import ArgumentParser
import Foundation
import Interpreter
import ONNX
import ONNXSerialization

/// Runs a model with the bundled interpreter.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model with the bundled reference interpreter.",
        discussion: """
            Inputs come from .npy files, TensorProto .pb files or .csv files (rows of numbers,
            read as float32 [rows, columns]). With --test-data, DIR is a backend-style test case
            folder (test_data_set_*/input_N.pb and output_N.pb) and the outputs are compared.
            Exit status: 0 success (and every output matched), 1 bad input or a mismatch,
            3 an op the interpreter does not implement.
            Examples:
              convert-cli run model.onnx --input x=x.npy
              convert-cli run model.onnx --input x=rows.csv --output-dir out/
              convert-cli run case/model.onnx --test-data case --rtol 1e-3 --atol 1e-7
            """)

    @Argument(help: "The .onnx model.")
    var model: String

    @Option(name: .customLong("input"), help: "NAME=FILE for a graph input (.npy, .pb or .csv); repeatable.")
    var inputs: [String] = []

    @Option(help: "Write each output as NAME.npy into this folder.")
    var outputDir: String?

    @Option(help: "A backend-style test case folder whose test_data_set_* are run and compared.")
    var testData: String?

    @Option(help: "Relative tolerance for --test-data (default: the case's tolerance.json, else 1e-3).")
    var rtol: Double?

    @Option(help: "Absolute tolerance for --test-data (default: the case's tolerance.json, else 1e-7).")
    var atol: Double?

    @Option(help: "How many leading values of each output to print.")
    var show: Int = 8

    @Option(name: .customLong("repeat"), help: "Run the model this many times (for timing; the outputs of the last run are shown).")
    var repeats: Int = 1

    @Option(help: "Worker threads for batch-parallel ops (default: one per core).")
    var threads: Int?

    @Flag(help: "Print prepare_seconds and run_seconds (best of --repeat) on standard error.")
    var timings = false

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeat must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        Self.setMmapThreshold(128 * 1024)
        let url = URL(fileURLWithPath: model)
        var loaded: Model?
        do { loaded = try Model(contentsOf: url, deferLargeAttributeArrays: true) } catch { throw CLIFailure.from(error, file: model) }
        if let threads { Parallel.workers = threads }
        let prepareStart = DispatchTime.now()
        let session: Session
        do { session = try Session(model: loaded!) } catch let e as InterpreterError {
            if case .unsupportedOperator = e { throw CLIFailure(message: "error: \(model): \(e)", code: 3) }
            throw CLIFailure(message: "error: \(model): \(e)")
        }
        // Keep only the graph's signature: the prepared session has what it needs, and
        // the model's attribute arrays (a large tree ensemble's are megabytes) can go.
        var graph = loaded?.graph ?? Graph()
        let initializers = Set(graph.initializer.compactMap(\.name))
        graph.node = []
        graph.initializer = []
        graph.valueInfo = []
        loaded = nil
        // Running allocates the same large tensors again and again: from the heap they are
        // reused, where fresh mappings would fault every page in on every run.
        Self.setMmapThreshold(32 << 20)
        let feedInputs = graph.input.filter { !initializers.contains($0.name ?? "") }
        if let testData { try runTestData(session, feedInputs: feedInputs, outputs: graph.output, dir: testData); return }

        var feeds: [String: Value] = [:]
        for spec in inputs {
            guard let eq = spec.firstIndex(of: "=") else { throw CLIFailure(message: "error: --input \(spec): expected NAME=FILE", code: 2) }
            let name = String(spec[..<eq]), file = String(spec[spec.index(after: eq)...])
            let type = graph.input.first { $0.name == name }?.type
            guard graph.input.contains(where: { $0.name == name }) else {
                throw CLIFailure(message: "error: \(model): the model has no input '\(name)' (inputs: \(feedInputs.compactMap(\.name).joined(separator: ", ")))")
            }
            do { feeds[name] = try readValue(file, type: type) } catch { throw CLIFailure.from(error, file: file) }
        }
        let prepared = DispatchTime.now()
        var outputs: [String: Value] = [:]
        var best = Double.infinity
        for _ in 0..<repeats {
            let t0 = DispatchTime.now()
            do { outputs = try session.run(feeds) } catch { throw CLIFailure(message: "error: \(model): \(error)") }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9)
        }
        if timings {
            printError("prepare_seconds=\(Double(prepared.uptimeNanoseconds - prepareStart.uptimeNanoseconds) / 1e9) run_seconds=\(best)")
        }
        for name in session.outputNames {
            guard let v = outputs[name] else { continue }
            print(describe(name, v))
            if let outputDir, case .tensor(let t) = v {
                let file = URL(fileURLWithPath: outputDir).appendingPathComponent(name + ".npy")
                do {
                    try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
                    try Data(try NPYFile.encode(t)).write(to: file, options: .atomic)
                } catch { throw CLIFailure(message: "error: \(file.path): \(error)") }
            }
        }
    }

    /// Fixes glibc's mmap threshold (allocations from this size on get their own mapping,
    /// given back on free). Preparing keeps it at glibc's initial 128 KiB: glibc would
    /// otherwise raise it after each large free, and the arrays a large model is prepared
    /// through (a few MB each, freed in turn) would stay in the heap instead of going
    /// back to the system. `mallopt` is looked up because Swift's Glibc module leaves
    /// malloc.h out.
    static func setMmapThreshold(_ bytes: Int32) {
        #if canImport(Glibc)
        typealias MalloptFunction = @convention(c) (Int32, Int32) -> Int32
        let M_MMAP_THRESHOLD: Int32 = -3   // from glibc's malloc.h
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MalloptFunction.self)(M_MMAP_THRESHOLD, bytes)
        #endif
    }

    func readValue(_ file: String, type: TypeProto?) throws -> Value {
        let url = URL(fileURLWithPath: file)
        switch url.pathExtension.lowercased() {
        case "npy": return .tensor(try NPYFile.read(url))
        case "csv": return .tensor(try CSVFile.read(url))
        default: return try Value(data: try DataValueCodec.read(url, as: DataValue.kind(for: type)), type: type)
        }
    }

    func describe(_ name: String, _ v: Value) -> String {
        guard case .tensor(let t) = v else { return "\(name): \(v)" }
        var head = ""
        if let d = try? t.doubles() { head = d.prefix(show).map { String(describing: $0) }.joined(separator: ", ") }
        else if let s = try? t.strings() { head = s.prefix(show).map { "\"\($0)\"" }.joined(separator: ", ") }
        return "\(name): \(t.dataType) \(t.shape) [\(head)\(t.count > show ? ", ..." : "")]"
    }

    func runTestData(_ session: Session, feedInputs: [ValueInfo], outputs: [ValueInfo], dir: String) throws {
        let base = URL(fileURLWithPath: dir)
        var rtol = self.rtol ?? 1e-3, atol = self.atol ?? 1e-7
        if self.rtol == nil || self.atol == nil, let data = FileManager.default.contents(atPath: base.appendingPathComponent("tolerance.json").path),
           let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Double] {
            if self.rtol == nil, let r = obj["rtol"] { rtol = r }
            if self.atol == nil, let a = obj["atol"] { atol = a }
        }
        let sets = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("test_data_set_") }.sorted()
        guard !sets.isEmpty else { throw CLIFailure(message: "error: \(dir): no test_data_set_* folders") }
        for set in sets {
            let folder = base.appendingPathComponent(set)
            var feeds: [String: Value] = [:]
            for (i, info) in feedInputs.enumerated() {
                let f = folder.appendingPathComponent("input_\(i).pb")
                guard FileManager.default.fileExists(atPath: f.path) else { continue }
                do { feeds[info.name ?? ""] = try Value(data: try DataValueCodec.read(f, as: DataValue.kind(for: info.type)), type: info.type) } catch {
                    throw CLIFailure.from(error, file: f.path)
                }
            }
            let got: [Value]
            do { got = try session.runOrdered(feeds) } catch let e as InterpreterError {
                if case .unsupportedOperator = e { throw CLIFailure(message: "error: \(model): \(e)", code: 3) }
                throw CLIFailure(message: "error: \(model): \(set): \(e)")
            }
            for (i, info) in outputs.enumerated() {
                let f = folder.appendingPathComponent("output_\(i).pb")
                guard FileManager.default.fileExists(atPath: f.path) else { continue }
                let expected: Value
                do { expected = try Value(data: try DataValueCodec.read(f, as: DataValue.kind(for: info.type)), type: info.type) } catch {
                    throw CLIFailure.from(error, file: f.path)
                }
                guard i < got.count else { throw CLIFailure(message: "error: \(model): \(set): output \(i) was not produced") }
                if let m = ValueComparison.compare(got[i], expected, rtol: rtol, atol: atol) {
                    throw CLIFailure(message: "error: \(model): \(set): output '\(info.name ?? "\(i)")' differs: \(m)")
                }
            }
        }
        print("\(dir): \(sets.count) data set\(sets.count == 1 ? "" : "s") matched (rtol \(rtol), atol \(atol))")
    }
}
