import Foundation
import ReaderFuzzTargets

/// `reader-fuzz`: the readers' fuzz targets (Sources/ReaderFuzzTargets).
///
///     reader-fuzz list                      the targets: name, leak check, summary
///     reader-fuzz seed TARGET DIR           copies the target's seed fixtures and its
///                                           regression files into DIR
///     reader-fuzz TARGET [libFuzzer args]   built with `make fuzz-build`: libFuzzer
///     reader-fuzz TARGET FILE|DIR...        a normal build: replays the files through
///                                           the target (exit 1 when one is missing)
///
/// The target can also come from the environment (`FUZZ_TARGET=name`), which is how
/// libFuzzer's own child processes (`-fork`, `-minimize_crash`) find it again. Fixtures
/// are read from `$FUZZ_FIXTURES`, or ./Fixtures; inputs that must be files are written
/// to `$FUZZ_WORK`, or a folder in the temporary directory.
@main
struct ReaderFuzz {
    static func main() {
        let args = CommandLine.arguments
        let environment = ProcessInfo.processInfo.environment
        let fixtures = URL(fileURLWithPath: environment["FUZZ_FIXTURES"] ?? "Fixtures")
        if args.count >= 2, args[1] == "list" {
            for t in FuzzTarget.all { print("\(t.name)\t\(t.detectsLeaks ? 1 : 0)\t\(t.summary)") }
            return
        }
        if args.count == 4, args[1] == "seed" {
            guard let target = FuzzTarget.named(args[2]) else { usage("no target named '\(args[2])'") }
            seed(target, fixtures: fixtures, into: URL(fileURLWithPath: args[3]))
            return
        }
        let name: String
        if let n = environment["FUZZ_TARGET"], !n.isEmpty {
            name = n
        } else if args.count >= 2, !args[1].hasPrefix("-") {
            name = args[1]
            setenv("FUZZ_TARGET", name, 1)
        } else {
            usage("name a target (reader-fuzz list shows them)")
        }
        let dropFirstArgument = args.count >= 2 && args[1] == name
        guard let target = FuzzTarget.named(name) else { usage("no target named '\(name)'") }
        let workspace: FuzzWorkspace
        do {
            let folder = environment["FUZZ_WORK"].map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("reader-fuzz-\(getpid())")
            workspace = try FuzzWorkspace(folder: folder, fixtures: fixtures)
        } catch {
            usage("cannot make a scratch folder: \(error)")
        }
        #if FUZZING
        exit(LibFuzzer.run(target, in: workspace, droppingFirstArgument: dropFirstArgument))
        #else
        let status = replay(target, Array(args.dropFirst(dropFirstArgument ? 2 : 1)), in: workspace)
        try? FileManager.default.removeItem(at: workspace.folder)
        exit(status)
        #endif
    }

    /// Copies the seeds and the regression files, named after their path under Fixtures/.
    static func seed(_ target: FuzzTarget, fixtures: URL, into dir: URL) {
        let fm = FileManager.default
        try? fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let files = target.seedFiles(in: fixtures) + target.regressionFiles(in: fixtures)
        let prefix = fixtures.standardizedFileURL.path + "/"
        for url in files {
            let path = url.standardizedFileURL.path
            let name = (path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : url.lastPathComponent).replacingOccurrences(of: "/", with: "_")
            let out = dir.appendingPathComponent("seed_" + name)
            try? fm.removeItem(at: out)
            do { try fm.copyItem(at: url, to: out) } catch { usage("cannot copy \(url.path): \(error)") }
        }
        print("\(target.name): \(files.count) seed files in \(dir.path)")
    }

    /// Runs every file (folders: every file in them) through the target, one line each.
    static func replay(_ target: FuzzTarget, _ paths: [String], in workspace: FuzzWorkspace) -> Int32 {
        guard !paths.isEmpty else { usage("name the files or folders to replay") }
        var files: [URL] = []
        for p in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isFolder) else {
                FileHandle.standardError.write(Data("reader-fuzz: no such file: \(p)\n".utf8))
                return 1
            }
            if isFolder.boolValue {
                files += SeedFiles(folder: "", suffixes: [""]).files(in: URL(fileURLWithPath: p)).sorted { $0.path < $1.path }
            } else {
                files.append(URL(fileURLWithPath: p))
            }
        }
        for url in files {
            guard let data = FileManager.default.contents(atPath: url.path) else { print("unreadable \(url.path)"); continue }
            let started = Date()
            let error = target.run([UInt8](data), in: workspace)
            let ms = Int(Date().timeIntervalSince(started) * 1000)
            print("\(error == nil ? "accepted" : "refused ") \(ms) ms \(url.path)\(error.map { ": \($0)".prefix(300) } ?? "")")
        }
        return 0
    }

    static func usage(_ message: String) -> Never {
        FileHandle.standardError.write(Data("reader-fuzz: \(message)\nusage: reader-fuzz list | seed TARGET DIR | TARGET [FILE|DIR... or libFuzzer arguments]\n".utf8))
        exit(2)
    }
}
