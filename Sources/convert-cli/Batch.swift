import ArgumentParser
import ConversionKit
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
            let url = URL(fileURLWithPath: root + "/" + relative)
            guard let format = try? FormatSniffer.sniff(url: url), ConverterRegistry.shared.converter(for: format) != nil else { continue }
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

/// Gathers the per-file results of `make convert` into OUT/report.json and OUT/report.md.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write report.json and report.md from the *.onnx.result.json files under a folder.",
        discussion: """
            Each conversion in `make convert` leaves its --json result beside its output;
            this gathers them, one row per model, failures with their message.
            Example:
              convert-cli report build-data/converted
            """)

    @Argument(help: "The output folder of `make convert`.")
    var folder: String

    func run() throws {
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        var rows: [[String: Any]] = []
        if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where url.lastPathComponent.hasSuffix(".onnx.result.json") {
                guard let data = FileManager.default.contents(atPath: url.path),
                      var row = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                    rows.append(["output": url.path, "status": "error", "error": "unreadable result file \(url.path)"])
                    continue
                }
                row["model"] = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1).dropLast(".onnx.result.json".count))
                rows.append(row)
            }
        }
        rows.sort { ($0["model"] as? String ?? "") < ($1["model"] as? String ?? "") }
        let failed = rows.filter { $0["status"] as? String != "ok" }.count
        let summary: [String: Any] = ["models": rows.count, "converted": rows.count - failed, "failed": failed, "results": rows]
        let json = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .prettyPrinted])
        try json.write(to: root.appendingPathComponent("report.json"), options: .atomic)
        var md = "# Conversion report\n\n\(rows.count) models: \(rows.count - failed) converted, \(failed) failed.\n\n"
        md += "| model | status | format | ops | size | verification | time |\n|---|---|---|---|---|---|---|\n"
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        for r in rows {
            let ok = r["status"] as? String == "ok"
            let verification: String
            if let v = r["verification"] as? [String: Any] {
                verification = (v["passed"] as? Bool == true ? "OK" : "MISMATCH") + ", max abs error " + String(format: "%.3g", v["max_abs_error"] as? Double ?? 0)
            } else {
                verification = ok ? "not verified" : ""
            }
            let size = (r["bytes"] as? Int).map { String($0) } ?? ""
            let ops = (r["ops"] as? [String] ?? []).joined(separator: ", ")
            let time = (r["seconds"] as? Double).map { String(format: "%.3f s", $0) } ?? ""
            md += "| \(cell(r["model"] as? String ?? "")) | \(ok ? "ok" : "FAILED") | \(r["format"] as? String ?? "") | \(cell(ops)) | \(size) | \(verification) | \(time) |\n"
        }
        let failures = rows.filter { $0["status"] as? String != "ok" }
        if !failures.isEmpty {
            md += "\n## Failures\n\n"
            for r in failures { md += "- `\(r["model"] as? String ?? "")`: \(cell(r["error"] as? String ?? "unknown error"))\n" }
        }
        try Data(md.utf8).write(to: root.appendingPathComponent("report.md"), options: .atomic)
        print("\(root.appendingPathComponent("report.md").path): \(rows.count) models, \(rows.count - failed) converted, \(failed) failed")
    }
}
