import ArgumentParser
@testable import convert_cli
import XCTest

/// The quick reading of a convert line must give exactly the command ArgumentParser
/// gives, in every property, and must leave every other line to ArgumentParser.
final class QuickConvertLineTests: XCTestCase {
    /// Each stored property of the command as text (an unset ArgumentParser property
    /// prints as its definition, so a property the quick path forgot shows up here).
    func properties(_ c: Convert) -> [String] {
        Mirror(reflecting: c).children.map { "\($0.label ?? "?") = \(String(describing: $0.value))" }
    }

    func testQuickLinesGiveArgumentParsersCommand() throws {
        let lines: [[String]] = [
            ["model.json", "-o", "out.onnx"],
            ["model.json", "--output", "out.onnx"],
            ["dir/dump.txt", "-o", "o/dump.txt.onnx", "--result-file", "o/dump.txt.onnx.result.json", "--options-file", "dir/dump.txt.convert.json"],
            ["m.pkl", "-o", "m.onnx", "--quiet", "--json", "--no-verify", "--strict", "--timings"],
            ["m.pkl", "--json"],
            ["m.pkl"],
        ]
        for line in lines {
            let quick = try XCTUnwrap(QuickConvertLine.parse(line), "\(line)")
            let parsed = try XCTUnwrap(try Convert.parse(line), "\(line)")
            XCTAssertEqual(properties(quick), properties(parsed), "\(line)")
            XCTAssertFalse(properties(quick).contains { $0.contains("definition") }, "\(properties(quick))")
            // parseAsRoot picks convert as the default subcommand for these lines.
            let root = try ConvertCLI.parseAsRoot(line)
            let rooted = try XCTUnwrap(root as? Convert, "\(line)")
            XCTAssertEqual(properties(quick), properties(rooted), "\(line)")
        }
    }

    func testListModelsAndReportLinesGiveArgumentParsersCommands() throws {
        func properties(_ c: ParsableCommand) -> [String] {
            Mirror(reflecting: c).children.map { "\($0.label ?? "?") = \(String(describing: $0.value))" }
        }
        for line in [["list-models", "some/folder"], ["report", "out"]] {
            let quick = try XCTUnwrap(QuickConvertLine.command(line), "\(line)")
            let parsed = try ConvertCLI.parseAsRoot(line)
            XCTAssertTrue(type(of: quick) == type(of: parsed), "\(line)")
            XCTAssertEqual(properties(quick), properties(parsed), "\(line)")
        }
        for line in [["list-models"], ["report", "--help"], ["report", "a", "b"], ["list-models", "-h"]] {
            XCTAssertNil(QuickConvertLine.command(line), "\(line)")
        }
        // A convert line is still read as one.
        XCTAssertTrue(QuickConvertLine.command(["m.json", "-o", "m.onnx"]) is Convert)
    }

    func testSubcommandNamesAreTheConfiguredOnes() {
        let configured = ConvertCLI.configuration.subcommands.compactMap { $0.configuration.commandName }
        XCTAssertEqual(configured.count, ConvertCLI.configuration.subcommands.count, "every subcommand names itself")
        XCTAssertEqual(QuickConvertLine.subcommandNames, Set(configured + ["help"]))
    }

    func testOtherLinesAreLeftToArgumentParser() {
        let lines: [[String]] = [
            [],
            ["inspect", "model.onnx"],
            ["convert", "model.json", "-o", "x.onnx"],
            ["help"],
            ["--help"],
            ["model.json", "-o"],
            ["model.json", "-o", "--quiet"],
            ["model.json", "--output=x.onnx"],
            ["model.json", "-o", "a.onnx", "-o", "b.onnx"],
            ["model.json", "-o", "a.onnx", "--output", "b.onnx"],
            ["model.json", "-o", "a.onnx", "--quiet", "--quiet"],
            ["model.json", "-o", "a.onnx", "--opset", "17"],
            ["model.json", "-o", "a.onnx", "extra.json"],
            ["-o", "a.onnx", "model.json"],
            ["model.json", "-h"],
        ]
        for line in lines { XCTAssertNil(QuickConvertLine.parse(line), "\(line)") }
    }
}
