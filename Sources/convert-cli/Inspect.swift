import ArgumentParser
import Foundation
import ONNX
import ONNXSerialization

/// Prints what a model holds.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model's IR version, producer, opsets, inputs and outputs, ops and initializers.",
        discussion: """
            Examples:
              convert-cli inspect model.onnx
              convert-cli inspect model.onnx --json | jq .ops
            """)

    @Argument(help: "The .onnx file to inspect.")
    var input: String

    @Flag(help: "Print a JSON object instead of text.")
    var json = false

    func run() throws {
        let model: Model
        do { model = try Model(contentsOf: URL(fileURLWithPath: input), loadExternalData: false) } catch {
            throw CLIFailure.from(error, file: input)
        }
        let summary = ModelSummary(model)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(summary)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(summary.text)
        }
    }
}

/// The facts `inspect` reports, as JSON or text.
struct ModelSummary: Encodable {
    struct IO: Encodable {
        var name: String
        var type: String
        var dtype: String?
        var shape: [String]?
    }
    struct Opset: Encodable {
        var domain: String
        var version: Int64?
    }
    var irVersion: Int64?
    var producerName: String?
    var producerVersion: String?
    var opsets: [Opset]
    var inputs: [IO]
    var outputs: [IO]
    var ops: [String: Int]
    var nodeCount: Int
    var initializerCount: Int
    var initializerBytes: Int
    var externalInitializers: Int
    var functions: Int
    var metadata: [String: String]

    init(_ m: Model) {
        irVersion = m.irVersion
        producerName = m.producerName
        producerVersion = m.producerVersion
        opsets = m.opsetImport.map { Opset(domain: $0.domain ?? "", version: $0.version) }
        let g = m.graph ?? Graph()
        let initNames = Set(g.initializer.compactMap(\.name))
        func io(_ v: ValueInfo) -> IO {
            var r = IO(name: v.name ?? "", type: v.type?.description ?? "unknown")
            if case .tensor(let e, let s, _)? = v.type?.value {
                r.dtype = e?.description
                r.shape = s?.dims.map(\.description)
            }
            return r
        }
        inputs = g.input.filter { !initNames.contains($0.name ?? "") }.map(io)
        outputs = g.output.map(io)
        var hist: [String: Int] = [:]
        var count = 0
        func walk(_ graph: Graph) {
            for n in graph.node {
                let d = n.normalizedDomain
                hist[(d.isEmpty ? "" : d + ".") + (n.opType ?? "?"), default: 0] += 1
                count += 1
                n.subgraphs.forEach(walk)
            }
        }
        walk(g)
        ops = hist
        nodeCount = count
        initializerCount = g.initializer.count + g.sparseInitializer.count
        var bytes = 0
        var external = 0
        for t in g.initializer {
            if t.isExternal {
                external += 1
                bytes += Int(t.externalDataInfo["length"] ?? "") ?? 0
            } else {
                bytes += t.inlineByteCount
            }
        }
        initializerBytes = bytes
        externalInitializers = external
        functions = m.functions.count
        var meta: [String: String] = [:]
        for e in m.metadataProps { if let k = e.key { meta[k] = e.value ?? "" } }
        metadata = meta
    }

    var text: String {
        var lines: [String] = []
        lines.append("ir_version: \(irVersion.map(String.init) ?? "-")")
        lines.append("producer:   \(producerName ?? "-") \(producerVersion ?? "")")
        lines.append("opsets:     " + opsets.map { "\($0.domain.isEmpty ? "ai.onnx" : $0.domain) \($0.version.map(String.init) ?? "?")" }.joined(separator: ", "))
        func fmt(_ io: IO) -> String {
            "  \(io.name): " + (io.dtype.map { d in "\(d) [\((io.shape ?? []).joined(separator: ", "))]" } ?? io.type)
        }
        lines.append("inputs:")
        lines += inputs.map(fmt)
        lines.append("outputs:")
        lines += outputs.map(fmt)
        lines.append("ops (\(nodeCount) nodes):")
        lines += ops.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "  \($0.key): \($0.value)" }
        lines.append("initializers: \(initializerCount), \(initializerBytes) bytes" + (externalInitializers > 0 ? " (\(externalInitializers) external)" : ""))
        if functions > 0 { lines.append("functions: \(functions)") }
        for (k, v) in metadata.sorted(by: { $0.key < $1.key }) { lines.append("metadata \(k): \(v)") }
        return lines.joined(separator: "\n")
    }
}
