import ArgumentParser
import ConversionKit
import Foundation
import PythonObjects
import ReaderLimits

/// Prints the object tree of a pickle or joblib file, read as data (nothing in it runs).
struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print what a pickle, joblib or skops file holds (classes, arrays, values) without running it.",
        discussion: """
            The file is read by a pickle machine that never imports or calls anything; a
            file that would run code (os.system, eval, subprocess, ...) is refused with the
            callable's name and byte offset.
            Examples:
              convert-cli dump model.pkl
              convert-cli dump forest.joblib --depth 3
            """)

    @Argument(help: "A pickle (protocols 0-5), joblib (plain, zlib or gzip) or skops file.")
    var file: String

    @Option(help: "How many levels to print.")
    var depth: Int = 8

    func run() throws {
        guard depth >= 1 else { throw CLIFailure(message: "error: --depth must be at least 1", code: 2) }
        let value: PyValue
        do { value = try PythonObjectFile.read(contentsOf: URL(fileURLWithPath: file)) } catch let e as PythonObjectsError {
            throw CLIFailure(message: "error: \(file): \(e)")
        } catch let e as ReaderLimitBreach {
            throw CLIFailure(message: "error: \(file): \(e)")
        }
        print(PyValueDump(depth: depth).text(value))
        value.dismantle()
    }
}
