import Foundation
/// What the ONNX specification says about one version of one operator: how many
/// inputs and outputs it takes and which attributes it accepts.
///
/// The table is generated from the onnx package's schema registry
/// (`scripts/gen_op_schemas.py`, `make schemas`); these are facts of the
/// specification, used by the checker and the graph builder.
public struct OpSchema: Hashable, Sendable {
    /// How a formal input or output may be supplied.
    public enum ParameterOption: Character, Sendable { case single = "s", optional = "o", variadic = "v" }
    public struct Parameter: Hashable, Sendable {
        public var name: String
        public var option: ParameterOption
    }
    public struct AttributeSpec: Hashable, Sendable {
        public var name: String
        public var type: AttributeType
        public var required: Bool
        /// The specification's default, when it gives one.
        public var defaultValue: Attribute.Value?
    }

    public var domain: String
    public var name: String
    public var sinceVersion: Int64
    public var deprecated: Bool
    public var minInputs: Int
    /// nil: unbounded (variadic).
    public var maxInputs: Int?
    public var minOutputs: Int
    public var maxOutputs: Int?
    public var attributes: [String: AttributeSpec]
    public var inputs: [Parameter]
    public var outputs: [Parameter]
}

/// Looks up operator schemas by domain, name and the opset version a model imports.
public enum OpSchemaRegistry {
    /// The onnx release the table was generated from.
    public static var sourceVersion: String { opSchemaSourceVersion }

    /// The byte ranges of the table's lines keyed by "domain|name", and the domains that
    /// occur. Lines are parsed into schemas only when their operator is first looked up:
    /// a conversion touches a handful of the ~1,000 operators. The index is built over
    /// the UTF-8 bytes; splitting the String by Characters cost 2 ms of every start.
    static let index: (lines: [String: [Range<Int>]], domains: Set<String>) = {
        var lines: [String: [Range<Int>]] = [:]
        var domains: Set<String> = []
        var text = opSchemaData
        text.withUTF8 { b in
            var start = 0, firstBar = -1, secondBar = -1
            for i in 0...b.count {
                let c = i < b.count ? b[i] : UInt8(ascii: "\n")
                if c == UInt8(ascii: "\n") {
                    if secondBar > firstBar, firstBar >= start {
                        lines[String(decoding: UnsafeBufferPointer(rebasing: b[start..<secondBar]), as: UTF8.self), default: []].append(start..<i)
                        domains.insert(String(decoding: UnsafeBufferPointer(rebasing: b[start..<firstBar]), as: UTF8.self))
                    }
                    start = i + 1
                    firstBar = -1
                    secondBar = -1
                } else if c == UInt8(ascii: "|") {
                    if firstBar < 0 { firstBar = i } else if secondBar < 0 { secondBar = i }
                }
            }
        }
        return (lines, domains)
    }()

    /// The table's text at these byte ranges, one line each.
    static func tableText(_ ranges: [Range<Int>]) -> String {
        var text = opSchemaData
        return text.withUTF8 { b in
            ranges.map { String(decoding: UnsafeBufferPointer(rebasing: b[$0]), as: UTF8.self) }.joined(separator: "\n")
        }
    }

    private static let parsedLock = NSLock()
    nonisolated(unsafe) private static var parsed: [String: [OpSchema]] = [:]

    /// Every version of the operator with this "domain|name" key, sorted by since version.
    static func entries(_ key: String) -> [OpSchema]? {
        parsedLock.lock()
        defer { parsedLock.unlock() }
        if let v = parsed[key] { return v }
        guard let ranges = index.lines[key] else { return nil }
        let v = parse(tableText(ranges))[key] ?? []
        parsed[key] = v
        return v
    }

    /// The schema in force for `name` in `domain` at opset `version`: the one with the
    /// greatest since-version not above it. nil when the op does not exist there.
    public static func schema(domain: String, name: String, version: Int64) -> OpSchema? {
        guard let versions = entries(Domain.normalize(domain) + "|" + name) else { return nil }
        return versions.last { $0.sinceVersion <= version }
    }

    /// Every version of an operator, oldest first.
    public static func versions(domain: String, name: String) -> [OpSchema] {
        entries(Domain.normalize(domain) + "|" + name) ?? []
    }

    /// True when the registry knows the domain at all.
    public static func knowsDomain(_ domain: String) -> Bool {
        let d = Domain.normalize(domain)
        return index.domains.contains(d)
    }

    static func parse(_ text: String) -> [String: [OpSchema]] {
        var out: [String: [OpSchema]] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 11, let since = Int64(f[2]) else { continue }
            func count(_ s: String) -> Int? { let v = Int(s) ?? -1; return v < 0 ? nil : v }
            var attrs: [String: OpSchema.AttributeSpec] = [:]
            for a in f[8].split(separator: ",") {
                let p = a.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard p.count == 3 || p.count == 4, let t = attributeTypes[p[1]] else { continue }
                let d = p.count == 4 && p[3].hasPrefix("=") ? defaultValue(String(p[3].dropFirst()), type: t) : nil
                attrs[p[0]] = .init(name: p[0], type: t, required: p[2] == "1", defaultValue: d)
            }
            func params(_ s: String) -> [OpSchema.Parameter] {
                s.split(separator: ",").compactMap { item in
                    let p = item.split(separator: ":")
                    guard p.count == 2, let c = p[1].first, let o = OpSchema.ParameterOption(rawValue: c) else { return nil }
                    return .init(name: String(p[0]), option: o)
                }
            }
            let s = OpSchema(
                domain: f[0], name: f[1], sinceVersion: since, deprecated: f[3] == "1",
                minInputs: Int(f[4]) ?? 0, maxInputs: count(f[5]), minOutputs: Int(f[6]) ?? 0,
                maxOutputs: count(f[7]), attributes: attrs, inputs: params(f[9]), outputs: params(f[10]))
            out[f[0] + "|" + f[1], default: []].append(s)
        }
        for k in out.keys { out[k]!.sort { $0.sinceVersion < $1.sinceVersion } }
        return out
    }

    /// Decodes a default written by scripts/gen_op_schemas.py.
    static func defaultValue(_ text: String, type: AttributeType) -> Attribute.Value? {
        func list(_ t: String) -> [String] { t.isEmpty ? [] : t.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
        switch type {
        case .float: return Float(text).map { .float($0) }
        case .int: return Int64(text).map { .int($0) }
        case .string: return .string(ByteBuffer(utf8: unescape(text)))
        case .floats: return .floats(list(text).compactMap { Float($0) })
        case .ints: return .ints(list(text).compactMap { Int64($0) })
        case .strings: return .strings(list(text).map { ByteBuffer(utf8: unescape($0)) })
        default: return nil
        }
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var out: [UInt8] = []
        var bytes = Array(s.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "%"), bytes.count >= 2, let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(v)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let attributeTypes: [String: AttributeType] = [
        "FLOAT": .float, "INT": .int, "STRING": .string, "TENSOR": .tensor, "GRAPH": .graph,
        "FLOATS": .floats, "INTS": .ints, "STRINGS": .strings, "TENSORS": .tensors, "GRAPHS": .graphs,
        "SPARSE_TENSOR": .sparseTensor, "SPARSE_TENSORS": .sparseTensors, "TYPE_PROTO": .typeProto,
        "TYPE_PROTOS": .typeProtos,
    ]
}
