import ArgumentParser
import ConversionKit
import Foundation
import LightGBMConverter
import LayerSpecConverter
import SklearnConverter
import XGBoostConverter

/// `convert-cli`: converts trained models to ONNX and inspects, checks and repacks
/// ONNX files. Exit status: 0 success, 1 bad input or a failed check, 2 bad usage.
@main
struct ConvertCLI: ParsableCommand {
    // Every command names itself: otherwise ArgumentParser derives the name with
    // String(describing:) on the type, whose protocol lookups cost 2 ms of each start.
    static let configuration = CommandConfiguration(
        commandName: "convert-cli",
        abstract: "Convert trained models to ONNX, and inspect, check and repack ONNX files.",
        discussion: """
            Examples:
              convert-cli xgb-dump.txt -o model.onnx      (convert is the default subcommand)
              convert-cli inspect model.onnx --json
              convert-cli check model.onnx
              convert-cli pack big.onnx -o split.onnx --external-data --size-threshold 1024
              convert-cli dump model.joblib --depth 3
              convert-cli formats

            Exit status: 0 success, 1 bad input or failed check, 2 bad usage.
            """,
        subcommands: [Convert.self, Inspect.self, Check.self, Pack.self, Run.self, Dump.self, Formats.self, ListModels.self, Report.self],
        defaultSubcommand: Convert.self)

    /// Runs the command line with the project's exit codes (ArgumentParser would use 64
    /// for usage errors).
    static func main() {
        ConverterRegistry.shared.registerXGBoost()
        ConverterRegistry.shared.registerLightGBM()
        ConverterRegistry.shared.registerSklearn()
        ConverterRegistry.shared.registerLayerSpec()
        do {
            // The common convert line is read directly (QuickConvertLine); everything
            // else, and every usage error, is ArgumentParser's.
            var command: ParsableCommand
            if var quick = QuickConvertLine.command(Array(CommandLine.arguments.dropFirst())) {
                try quick.validate()
                command = quick
            } else {
                command = try parseAsRoot()
            }
            try command.run()
        } catch let failure as CLIFailure {
            FileHandle.standardError.write(Data((failure.message + "\n").utf8))
            Foundation.exit(failure.code)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            if code == .validationFailure { Foundation.exit(2) }
            Foundation.exit(code.rawValue == 0 ? 0 : 1)
        }
    }
}

/// A failure that has already been phrased for the user: `error: FILE: what (where)`.
struct CLIFailure: Error {
    var message: String
    var code: Int32 = 1

    /// Wraps any error thrown while handling `file`.
    static func from(_ error: Error, file: String) -> CLIFailure {
        if let f = error as? CLIFailure { return f }
        let text = String(describing: error)
        // Library errors already start with the file name.
        return CLIFailure(message: "error: " + (text.hasPrefix(file) ? text : "\(file): \(text)"))
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
