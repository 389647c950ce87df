import ArgumentParser
import ConversionKit
import DocumentReaders
import Foundation

/// Lists the files under a folder that convert-cli can convert, for `make convert`.
struct ListModels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-models",
        abstract: "List the model files under a folder (relative paths, one per line), by their content.",
        discussion: """
            Files whose format has a converter are listed; weights, inputs (.npy), ONNX files,
            XGBoost configurations and option sidecars (*.convert.json) are not.
            Example:
              convert-cli list-models Fixtures
            """)

    @Argument(help: "The folder.")
    var folder: String

    func run() throws {
        let root = URL(fileURLWithPath: folder).standardizedFileURL.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue, opendir(root).map({ closedir($0) }) != nil else {
            throw CLIFailure(message: "error: \(folder): not a readable folder")
        }
        var found: [String] = []
        for relative in Self.regularFiles(under: root) {
            let name = relative.split(separator: "/").last.map(String.init) ?? relative
            if name.hasSuffix(".convert.json") || name.hasSuffix(".onnx") { continue }
            guard let format = try? FormatSniffer.sniff(path: root + "/" + relative),
                  ConverterRegistry.shared.converter(for: format) != nil else { continue }
            found.append(relative)
        }
        for f in found.sorted() { print(f) }
    }

    /// Paths (relative to `root`) of the regular files below it, hidden files and folders
    /// left out, symbolic links not followed. A walk with readdir: Foundation's URL
    /// enumerator and resource values took most of list-models' time.
    static func regularFiles(under root: String) -> [String] {
        var out: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let path = relative.isEmpty ? root : root + "/" + relative
            guard let dir = opendir(path) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                var type = Int32(entry.pointee.d_type)
                if type == Int32(DT_UNKNOWN) {
                    var st = stat()
                    guard lstat(root + "/" + child, &st) == 0 else { continue }
                    type = (st.st_mode & S_IFMT) == S_IFDIR ? Int32(DT_DIR) : (st.st_mode & S_IFMT) == S_IFREG ? Int32(DT_REG) : Int32(DT_LNK)
                }
                if type == Int32(DT_DIR) { pending.append(child) } else if type == Int32(DT_REG) { out.append(child) }
            }
        }
        return out
    }
}

/// Gathers the per-file results of `make convert` into OUT/report.json and OUT/report.md,
/// and the files each model read besides itself into OUT/inputs.mk for make.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.json and report.md from the *.onnx.result.json files under a folder.",
        discussion: """
            Each conversion in `make convert` leaves its --json result beside its output;
            this gathers them, one row per model, failures with their message. It also
            writes inputs.mk: for each converted model, the files it read besides itself
            and its sidecar (weights, --config, --fmap, --verify-data), as make
            prerequisites, so that the next `make convert` converts it again when one of
            them changes.
            Example:
              convert-cli report build-data/converted
            """)

    @Argument(help: "The output folder of `make convert`.")
    var folder: String

    func run() throws {
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        let suffix = ".onnx.result.json"
        // One row per result file, read with the toolkit's own JSON reader and written
        // with ResultJSON: Foundation's enumerator, JSONSerialization and `[String: Any]`
        // took 80 ms for 200 files, the serial tail of every `make convert`.
        var rows: [(model: String, fields: [String: ResultJSON])] = []
        for relative in ListModels.regularFiles(under: root.path) where relative.hasSuffix(suffix) {
            let model = String(relative.dropLast(suffix.count))
            let path = root.path + "/" + relative
            if let data = FileManager.default.contents(atPath: path), let parsed = try? JSONReader.parse([UInt8](data)),
               case .object(let fields) = ResultJSON(parsed) {
                rows.append((model, fields))
            } else {
                rows.append((model, ["output": .string(path), "status": "error", "error": .string("unreadable result file \(path)")]))
            }
        }
        rows.sort { $0.model < $1.model }
        for i in rows.indices { rows[i].fields["model"] = .string(rows[i].model) }
        let failures = rows.filter { $0.fields["status"]?.string != "ok" }
        let summary: ResultJSON = ["models": .int(rows.count), "converted": .int(rows.count - failures.count), "failed": .int(failures.count),
                                   "results": .array(rows.map { .object($0.fields) })]
        try Data((summary.indentedText + "\n").utf8).write(to: root.appendingPathComponent("report.json"), options: .atomic)
        var md = "# Conversion report\n\n\(rows.count) models: \(rows.count - failures.count) converted, \(failures.count) failed.\n\n"
        md += "| model | status | format | ops | size | verification | time |\n|---|---|---|---|---|---|---|\n"
        func cell(_ s: String) -> String {
            guard s.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "\n") }) else { return s }
            return s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        for (model, r) in rows {
            let ok = r["status"]?.string == "ok"
            let verification: String
            if case .object(let v)? = r["verification"] {
                verification = (v["passed"]?.bool == true ? "OK" : "MISMATCH") + ", max abs error " + String(format: "%.3g", v["max_abs_error"]?.number ?? 0)
            } else {
                verification = ok ? "not verified" : ""
            }
            let size = r["bytes"]?.number.map { String(Int($0)) } ?? ""
            let ops = r["ops"]?.strings?.joined(separator: ", ") ?? ""
            let time = r["seconds"]?.number.map { String(format: "%.3f s", $0) } ?? ""
            md += "| \(cell(model)) | \(ok ? "ok" : "FAILED") | \(r["format"]?.string ?? "") | \(cell(ops)) | \(size) | \(verification) | \(time) |\n"
        }
        if !failures.isEmpty {
            md += "\n## Failures\n\n"
            for (model, r) in failures { md += "- `\(model)`: \(cell(r["error"]?.string ?? "unknown error"))\n" }
        }
        try Data(md.utf8).write(to: root.appendingPathComponent("report.md"), options: .atomic)
        try Data(Self.makeInputs(rows.map(\.fields)).utf8).write(to: root.appendingPathComponent("inputs.mk"), options: .atomic)
        print("\(root.appendingPathComponent("report.md").path): \(rows.count) models, \(rows.count - failures.count) converted, \(failures.count) failed")
    }

    /// inputs.mk: `OUTPUT: INPUT...` for each converted model that read other files, and an
    /// empty rule for each of those files (as `gcc -MP` writes), so that a deleted one
    /// converts its models again instead of stopping make. A model that failed depends on
    /// a phony target, so it is tried again on every run even though the good output of
    /// an earlier run (which a failure never replaces) is newer than its source. A path
    /// make cannot spell (a newline or a colon in it) leaves its model untracked.
    static func makeInputs(_ results: [[String: ResultJSON]]) -> String {
        func spelled(_ path: String) -> String? {
            guard !path.contains(where: { $0 == "\n" || $0 == ":" }) else { return nil }
            var out = ""
            for c in path {
                switch c {
                case "$": out += "$$"
                case " ", "#", "\\": out += "\\" + String(c)
                default: out.append(c)
                }
            }
            return out
        }
        var text = "# Written by `convert-cli report`: what each converted model read besides itself and its sidecar.\n"
        var inputs = Set<String>()
        var failed = false
        for r in results {
            guard let output = r["output"]?.string.flatMap(spelled) else { continue }
            guard r["status"]?.string == "ok" else {
                text += "\(output): .convert-retry\n"
                failed = true
                continue
            }
            guard let read = r["inputs"]?.strings, !read.isEmpty else { continue }
            let spelledInputs = read.compactMap(spelled)
            guard spelledInputs.count == read.count else { continue }
            text += "\(output): \(spelledInputs.joined(separator: " "))\n"
            inputs.formUnion(spelledInputs)
        }
        for input in inputs.sorted() { text += "\(input):\n" }
        if failed { text += ".PHONY: .convert-retry\n.convert-retry:\n" }
        return text
    }
}
