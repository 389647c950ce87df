import ArgumentParser
import Foundation
import ONNX
import ONNXSerialization

/// Re-serializes a model, moving large tensors into or out of an external data file.
struct Pack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Re-serialize a model; move large tensors into (or back out of) an external data file.",
        discussion: """
            Without --external-data every tensor is written inline (tensors the input kept in
            side files are read back in), unless the model would pass protobuf's 2 GiB limit.
            Examples:
              convert-cli pack model.onnx -o copy.onnx
              convert-cli pack model.onnx -o split.onnx --external-data --size-threshold 4096
              convert-cli pack split.onnx -o whole.onnx
            """)

    @Argument(help: "The .onnx file to read.")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the result.")
    var output: String

    @Flag(help: "Write tensors of at least --size-threshold bytes to OUTPUT.data.")
    var externalData = false

    @Option(help: "Smallest tensor (bytes) moved to the external data file.")
    var sizeThreshold: Int = 1024

    @Option(help: "Name of the external data file, in the output's folder (default: OUTPUT's name + .data).")
    var externalDataName: String?

    @Flag(help: "Print decode and encode times on standard error.")
    var timings = false

    func validate() throws {
        guard sizeThreshold >= 0 else { throw ValidationError("--size-threshold must be zero or more") }
    }

    func run() throws {
        let start = DispatchTime.now()
        let model: Model
        do { model = try Model(contentsOf: URL(fileURLWithPath: input)) } catch { throw CLIFailure.from(error, file: input) }
        let decoded = DispatchTime.now()
        let options = WriteOptions(
            externalData: externalData ? .always(threshold: sizeThreshold) : .automatic,
            externalDataFileName: externalDataName)
        let result: WriteResult
        do { result = try model.write(to: URL(fileURLWithPath: output), options: options) } catch { throw CLIFailure.from(error, file: output) }
        let encoded = DispatchTime.now()
        if timings {
            let d = Double(decoded.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let e = Double(encoded.uptimeNanoseconds - decoded.uptimeNanoseconds) / 1e9
            printError("decode_seconds=\(d) encode_seconds=\(e)")
        }
        var line = "wrote \(output) (\(result.modelBytes) bytes"
        if let f = result.externalDataFile {
            line += "; \(result.externalTensorCount) tensors, \(result.externalDataBytes) bytes in \(f.lastPathComponent)"
        }
        print(line + ")")
    }
}
