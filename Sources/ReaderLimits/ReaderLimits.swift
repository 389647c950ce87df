/// The bounds every model reader enforces, so that a hostile or broken file fails fast
/// with a clear error instead of exhausting the stack, the memory or the clock.
///
/// One policy serves all readers (JSON, UBJSON, pickle, joblib, skops, jsonpickle, .npy,
/// safetensors, torch checkpoints, YAML specs, XGBoost and LightGBM models). The defaults
/// are far above anything a real model reaches (the largest fixtures and benchmarks: a
/// 500-tree XGBoost model, a 500 x 63-leaf LightGBM model, a 100M-parameter layer spec
/// with 400 MB of safetensors) and low enough that a small file cannot make a reader
/// allocate gigabytes. Breaching one throws `ReaderLimitBreach`.
///
/// Sizes come in two kinds. `memoryBudget` is absolute: what one read may hold for the
/// model's data (the file's bytes, decompressed bytes, arrays, tensors, tree nodes);
/// `--max-memory` sets it. `maxBytesPerInputByte` is relative: what a file makes a reader
/// allocate must be backed by bytes in that file, so a 10-byte file cannot declare an
/// 8 GB array.
public struct ReaderLimits: Sendable, Equatable {
    /// Deepest nesting of containers: JSON and UBJSON arrays and objects, pickle tuples,
    /// jsonpickle values, skops nodes, YAML collections, protobuf messages. Readers recurse
    /// per level, so this bounds their stack.
    public var maxDepth: Int
    /// Most elements in one collection: an array, object, list, dict, tuple or set, and
    /// the pickle machine's stack, memo and open marks.
    public var maxElements: Int
    /// Longest string, key or header, in bytes (a safetensors or .npy header, a JSON or
    /// pickle string). Raw array bytes are not strings: they count against the memory
    /// limits instead.
    public var maxStringBytes: Int
    /// Most bytes one read may hold for the model's data: the file itself, decompressed
    /// bytes, arrays and tensors, tree nodes. An accounting of the data, not of every
    /// allocation. `--max-memory` sets it.
    public var memoryBudget: Int
    /// Most bytes a file may make a reader allocate per byte the file holds, beyond
    /// `baseAllowance`: arrays, tensors, node tables and expanded aliases must be backed by
    /// the file's own bytes.
    public var maxBytesPerInputByte: Int
    /// What any file may declare regardless of its size (so a tiny file can still hold a
    /// small array of zeros that a stride or a count expands).
    public var baseAllowance: Int
    /// Most output bytes per compressed byte (zlib, gzip, zip members), once the output
    /// passes `decompressionFloor`. Deflate by itself cannot pass about 1032; what does is
    /// a bomb.
    public var maxDecompressionRatio: Int
    /// Output any compressed stream may reach whatever its ratio.
    public var decompressionFloor: Int
    /// Most trees in one ensemble.
    public var maxTrees: Int
    /// Most nodes (splits and leaves) in one tree, and the highest node id plus one.
    public var maxNodesPerTree: Int
    /// Most nodes in all the trees of one ensemble.
    public var maxTotalNodes: Int

    /// The defaults (see the README's table).
    public init(maxDepth: Int = 512, maxElements: Int = 1 << 24, maxStringBytes: Int = 100 << 20, memoryBudget: Int = 8 << 30,
                maxBytesPerInputByte: Int = 64, baseAllowance: Int = 1 << 20, maxDecompressionRatio: Int = 200,
                decompressionFloor: Int = 1 << 20, maxTrees: Int = 1_000_000, maxNodesPerTree: Int = 1 << 24, maxTotalNodes: Int = 1 << 28) {
        self.maxDepth = maxDepth
        self.maxElements = maxElements
        self.maxStringBytes = maxStringBytes
        self.memoryBudget = memoryBudget
        self.maxBytesPerInputByte = maxBytesPerInputByte
        self.baseAllowance = baseAllowance
        self.maxDecompressionRatio = maxDecompressionRatio
        self.decompressionFloor = decompressionFloor
        self.maxTrees = maxTrees
        self.maxNodesPerTree = maxNodesPerTree
        self.maxTotalNodes = maxTotalNodes
    }

    /// The defaults every reader uses unless told otherwise.
    public static let `default` = ReaderLimits()

    /// The limits by name, for messages: each is a stored property of this type.
    public enum Limit: String, Sendable, Equatable, CaseIterable {
        case maxDepth, maxElements, maxStringBytes, memoryBudget, maxBytesPerInputByte, maxDecompressionRatio
        case maxTrees, maxNodesPerTree, maxTotalNodes

        /// What the limit bounds, in words.
        public var meaning: String {
            switch self {
            case .maxDepth: return "nesting depth"
            case .maxElements: return "elements in one collection"
            case .maxStringBytes: return "bytes in one string or header"
            case .memoryBudget: return "bytes held for the model's data"
            case .maxBytesPerInputByte: return "bytes allocated for what the file declares"
            case .maxDecompressionRatio: return "decompressed bytes"
            case .maxTrees: return "trees in one ensemble"
            case .maxNodesPerTree: return "nodes in one tree"
            case .maxTotalNodes: return "nodes in all trees"
            }
        }

        /// How a user raises it.
        public var howToRaise: String {
            switch self {
            case .memoryBudget: return "raise it with --max-memory SIZE (or ReaderLimits.memoryBudget)"
            default: return "no real model comes near it, so the file is probably corrupt or hostile; ReaderLimits.\(rawValue) sets it for library callers"
            }
        }
    }
}

extension ReaderLimits {
    /// Throws when `value` passes `maximum` for `limit`.
    @inlinable
    public func check(_ limit: Limit, _ value: Int, _ maximum: Int, at place: @autoclosure () -> String, detail: @autoclosure () -> String? = nil) throws {
        if value > maximum { throw ReaderLimitBreach(limit, value: value, maximum: maximum, at: place(), detail: detail()) }
    }

    /// Throws when a nesting depth passes `maxDepth`.
    @inlinable
    public func checkDepth(_ depth: Int, at place: @autoclosure () -> String) throws {
        if depth > maxDepth { throw ReaderLimitBreach(.maxDepth, value: depth, maximum: maxDepth, at: place()) }
    }

    /// Throws when a collection's element count passes `maxElements`.
    @inlinable
    public func checkElements(_ count: Int, at place: @autoclosure () -> String, detail: @autoclosure () -> String? = nil) throws {
        if count > maxElements { throw ReaderLimitBreach(.maxElements, value: count, maximum: maxElements, at: place(), detail: detail()) }
    }

    /// Throws when a string or header passes `maxStringBytes`.
    @inlinable
    public func checkString(_ bytes: Int, at place: @autoclosure () -> String, detail: @autoclosure () -> String? = nil) throws {
        if bytes > maxStringBytes { throw ReaderLimitBreach(.maxStringBytes, value: bytes, maximum: maxStringBytes, at: place(), detail: detail()) }
    }

    /// Throws when a file of `bytes` bytes does not fit the memory budget (readers hold
    /// the whole file).
    public func checkInputSize(_ bytes: Int, file: String) throws {
        try check(.memoryBudget, bytes, memoryBudget, at: "reading \(file), which is read whole")
    }

    /// Throws when decompressing `compressed` bytes would give more than `output` bytes
    /// allow: over the memory budget, or past `maxDecompressionRatio` times the input once
    /// past `decompressionFloor`. `output` may be a running count or a claimed size.
    public func checkDecompressed(_ output: Int, from compressed: Int, at place: @autoclosure () -> String, what: String) throws {
        try check(.memoryBudget, output, memoryBudget, at: place(), detail: "decompressing \(what)")
        let (allowed, overflow) = max(compressed, 1).multipliedReportingOverflow(by: maxDecompressionRatio)
        let cap = overflow ? Int.max : max(decompressionFloor, allowed)
        if output > cap {
            throw ReaderLimitBreach(.maxDecompressionRatio, value: output, maximum: cap, at: place(),
                                    detail: "\(what) of \(compressed) bytes; more than \(maxDecompressionRatio) times its size")
        }
    }
}

extension ReaderLimits {
    /// These limits with `memoryBudget` set to `bytes` (what `--max-memory` does). The
    /// other limits are structural (depth, counts, ratios) and stay: data that does not
    /// fit the budget fails on the budget itself.
    public func withMemoryBudget(_ bytes: Int) -> ReaderLimits {
        var l = self
        l.memoryBudget = bytes
        return l
    }

    /// A size as people write it: plain bytes (`1048576`), or a number with a binary
    /// suffix `K`, `M`, `G`, `T` (optionally followed by `B` or `iB`, any case): `512M`,
    /// `4G`, `1.5GiB`. Nil when it is not one, is not positive, or overflows.
    public static func byteCount(_ text: String) -> Int? {
        var t = Substring(text.uppercased()).drop(while: { $0 == " " })
        while t.last == " " { t = t.dropLast() }
        if t.hasSuffix("IB") { t = t.dropLast(2) } else if t.hasSuffix("B") { t = t.dropLast() }
        var shift = 0
        if let last = t.last, let k = ["K": 10, "M": 20, "G": 30, "T": 40][String(last)] {
            shift = k
            t = t.dropLast()
        }
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), t.filter({ $0 == "." }).count <= 1 else { return nil }
        if shift == 0 {
            guard let v = Int(t), v > 0 else { return nil }
            return v
        }
        guard let v = Double(t), v > 0 else { return nil }
        let bytes = v * Double(1 << shift)
        guard bytes >= 1, bytes < 9.2e18 else { return nil }
        return Int(bytes)
    }
}
