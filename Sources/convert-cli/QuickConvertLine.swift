import ArgumentParser

/// The command line that `make convert` runs for every file, and that people type most:
/// `INPUT -o OUTPUT` followed by a few common flags, read without ArgumentParser (and
/// the `list-models DIR` and `report DIR` that make runs around the conversions).
///
/// ArgumentParser builds its picture of the commands by reflection and protocol lookups,
/// about 3 ms of every start, when a small model's whole conversion takes 5. Only a
/// line whose every token is understood here is taken: the input first (not a
/// subcommand's name, not starting with `-`), then any of the flags below, each at
/// most once, values as separate tokens that do not start with `-`. Anything else
/// (another option, `--flag=value`, help, a subcommand, a repeated flag) returns nil
/// and goes through ArgumentParser, so its messages and rules stay the only ones.
/// `QuickConvertLineTests` checks that a line read here gives the same command, in
/// every property, as ArgumentParser gives.
enum QuickConvertLine {
    /// Options that take a value, and the flags without one.
    static let valued: Set<String> = ["-o", "--output", "--result-file", "--options-file"]
    static let flags: Set<String> = ["--quiet", "--json", "--no-verify", "--strict", "--timings"]

    /// The subcommands' names (and help): an input spelled like one is ArgumentParser's
    /// to read. Written out, because asking the commands for their configurations costs
    /// a third of what this shortcut saves; the test compares them.
    static let subcommandNames: Set<String> = ["convert", "inspect", "check", "pack", "run", "dump", "formats", "list-models", "report", "help"]

    /// The command for `arguments` (without the program name): a convert line as
    /// below, or `list-models DIR` / `report DIR`, the two that `make convert` runs
    /// once each; nil for any other line.
    static func command(_ arguments: [String]) -> ParsableCommand? {
        if arguments.count == 2, !arguments[1].hasPrefix("-") {
            switch arguments[0] {
            case "list-models":
                var c = ListModels()
                c.folder = arguments[1]
                return c
            case "report":
                var c = Report()
                c.folder = arguments[1]
                return c
            default: break
            }
        }
        return parse(arguments)
    }

    /// The `Convert` command for `arguments` (without the program name), or nil when
    /// the line is not one of the quick kind.
    static func parse(_ arguments: [String]) -> Convert? {
        guard let input = arguments.first, !input.hasPrefix("-"), !input.isEmpty, !subcommandNames.contains(input) else { return nil }
        var values: [String: String] = [:]
        var given: Set<String> = []
        var i = 1
        while i < arguments.count {
            let token = arguments[i]
            if flags.contains(token) {
                guard given.insert(token).inserted else { return nil }
                i += 1
            } else if valued.contains(token) {
                let key = token == "-o" ? "--output" : token
                guard i + 1 < arguments.count, !arguments[i + 1].hasPrefix("-"), given.insert(key).inserted else { return nil }
                values[key] = arguments[i + 1]
                i += 2
            } else {
                return nil
            }
        }
        // Every stored property gets its value: ArgumentParser's defaults for the rest
        // (the test compares them with what ArgumentParser sets).
        var c = Convert()
        c.input = input
        c.output = values["--output"]
        c.format = nil
        c.opset = 21
        c.mlOpset = 5
        c.dtype = "float32"
        c.inputName = "input"
        c.zipmap = false
        c.objective = nil
        c.baseScore = nil
        c.numClass = nil
        c.numFeatures = nil
        c.numParallelTree = nil
        c.numIterations = nil
        c.config = nil
        c.featureNames = nil
        c.fmap = nil
        c.inputSchema = nil
        c.weights = nil
        c.verifyData = nil
        c.noVerify = given.contains("--no-verify")
        c.quiet = given.contains("--quiet")
        c.json = given.contains("--json")
        c.strict = given.contains("--strict")
        c.name = nil
        c.doc = nil
        c.optionsFile = values["--options-file"]
        c.timings = given.contains("--timings")
        c.threads = nil
        c.resultFile = values["--result-file"]
        c.maxMemory = nil
        return c
    }
}
