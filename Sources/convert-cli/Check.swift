import ArgumentParser
import Foundation
import ONNX
import ONNXSerialization

/// Runs the structural checker on a model.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a model against the structural rules of the ONNX specification.",
        discussion: """
            Exit status 0 when the model is valid, 1 when it is not (each issue is printed
            with its rule and the node or value involved).
            Example:
              convert-cli check model.onnx
            """)

    @Argument(help: "The .onnx file to check.")
    var input: String

    func run() throws {
        let model: Model
        do { model = try Model(contentsOf: URL(fileURLWithPath: input), loadExternalData: false) } catch {
            throw CLIFailure.from(error, file: input)
        }
        let issues = Checker().check(model)
        if issues.isEmpty {
            print("\(input): valid")
            return
        }
        for issue in issues { printError("error: \(input): \(issue)") }
        throw CLIFailure(message: "\(input): \(issues.count) issue\(issues.count == 1 ? "" : "s") found")
    }
}
