import ONNX

/// Operator implementations by domain and op type; one list of them all lives in
/// `Ops/OperatorList.swift`.
public final class OperatorRegistry: @unchecked Sendable {
    private var byKey: [String: [any Operator.Type]] = [:]

    public init(_ types: [any Operator.Type] = []) {
        for t in types { register(t) }
    }

    /// The registry with every built-in op.
    public static let standard = OperatorRegistry(builtInOperators)

    public func register(_ type: any Operator.Type) {
        byKey[Domain.normalize(type.domain) + "|" + type.opType, default: []].append(type)
    }

    /// Every registered (domain, op, since-versions), sorted, for reports.
    public var inventory: [(domain: String, op: String, versions: [Int64])] {
        var out: [(domain: String, op: String, versions: [Int64])] = []
        for list in byKey.values {
            for t in list { out.append((Domain.normalize(t.domain), t.opType, t.sinceVersions.sorted())) }
        }
        return out.sorted { ($0.domain, $0.op) < ($1.domain, $1.op) }
    }

    /// What `resolve` finds: the implementation, the since-version in force, the schema.
    public struct Resolution {
        public let type: any Operator.Type
        public let sinceVersion: Int64
        public let schema: OpSchema?
    }

    /// The implementation for `op` in `domain` when the model imports `opset`.
    public func resolve(domain: String, op: String, opset: Int64) throws -> Resolution {
        let d = Domain.normalize(domain)
        let types = byKey[d + "|" + op] ?? []
        var implemented: [Int64] = []
        for t in types { implemented += t.sinceVersions }
        implemented.sort()
        let schema = OpSchemaRegistry.schema(domain: d, name: op, version: opset)
        // The schema decides which version is in force; without one (custom domains),
        // the newest implemented version not above the opset.
        let since = schema?.sinceVersion ?? implemented.last { $0 <= opset }
        guard let since, let type = types.first(where: { $0.sinceVersions.contains(since) }) else {
            throw InterpreterError.unsupportedOperator(domain: d, op: op, opset: opset, implemented: implemented)
        }
        return Resolution(type: type, sinceVersion: since, schema: schema)
    }
}
