/// Which IR version each onnx release wrote, and the opsets it shipped.
///
/// These are facts copied from `onnx.helper.VERSION_TABLE` (onnx 1.23.2): one row per
/// release, in release order. The builder picks the IR version of the first release that
/// shipped every opset a model imports, as `onnx.helper.find_min_ir_version_for` does,
/// so a model is readable by the oldest runtime that knows its operators.
public enum ONNXReleaseTable {
    /// One onnx release.
    public struct Release: Hashable, Sendable {
        /// The onnx package version (`1.16.0`).
        public var release: String
        /// The IR version (`ModelProto.ir_version`) it writes.
        public var irVersion: Int64
        /// Its `ai.onnx` opset.
        public var onnxOpset: Int64
        /// Its `ai.onnx.ml` opset.
        public var mlOpset: Int64
        /// Its `ai.onnx.preview.training` opset, for releases that have the domain.
        public var trainingOpset: Int64?
    }

    /// The rows of `onnx.helper.VERSION_TABLE`.
    public static let releases: [Release] = rows.map {
        Release(release: $0.0, irVersion: $0.1, onnxOpset: $0.2, mlOpset: $0.3, trainingOpset: $0.4)
    }

    /// (release, IR version, ai.onnx opset, ai.onnx.ml opset, training opset).
    private static let rows: [(String, Int64, Int64, Int64, Int64?)] = [
        ("1.0", 3, 1, 1, nil), ("1.1", 3, 5, 1, nil), ("1.1.2", 3, 6, 1, nil), ("1.2", 3, 7, 1, nil),
        ("1.3", 3, 8, 1, nil), ("1.4.1", 4, 9, 1, nil), ("1.5.0", 5, 10, 1, nil), ("1.6.0", 6, 11, 2, nil),
        ("1.7.0", 7, 12, 2, 1), ("1.8.0", 7, 13, 2, 1), ("1.8.1", 7, 13, 2, 1), ("1.9.0", 7, 14, 2, 1),
        ("1.10.0", 8, 15, 2, 1), ("1.10.1", 8, 15, 2, 1), ("1.10.2", 8, 15, 2, 1), ("1.11.0", 8, 16, 3, 1),
        ("1.12.0", 8, 17, 3, 1), ("1.13.0", 8, 18, 3, 1), ("1.13.1", 8, 18, 3, 1), ("1.14.0", 9, 19, 3, 1),
        ("1.14.1", 9, 19, 3, 1), ("1.15.0", 9, 20, 4, 1), ("1.16.0", 10, 21, 5, 1), ("1.16.1", 10, 21, 5, 1),
        ("1.16.2", 10, 21, 5, 1), ("1.17.0", 10, 22, 5, 1), ("1.18.0", 11, 23, 5, 1), ("1.19.0", 12, 24, 5, 1),
        ("1.19.1", 12, 24, 5, 1), ("1.20.0", 13, 25, 5, 1), ("1.20.1", 13, 25, 5, 1), ("1.21.0", 13, 26, 5, 1),
        ("1.22.0", 13, 27, 5, 1), ("1.23.0", 14, 28, 5, 1),
    ]

    /// The opset versions of the domains the table covers that this toolkit accepts.
    public static func supportedVersions(domain: String) -> ClosedRange<Int64>? {
        switch Domain.normalize(domain) {
        case Domain.onnx: return 1...(releases.map(\.onnxOpset).max() ?? 1)
        case Domain.ml: return 1...(releases.map(\.mlOpset).max() ?? 1)
        case Domain.preview: return 1...(releases.compactMap(\.trainingOpset).max() ?? 1)
        default: return nil
        }
    }

    /// The lowest IR version whose release shipped `version` of `domain`: the first row
    /// with an opset at least `version` (opsets 2 to 4 of ai.onnx were never released
    /// and map to the next release). nil for domains the table does not cover and for
    /// versions newer than every row.
    public static func minimumIRVersion(domain: String, version: Int64) -> Int64? {
        let d = Domain.normalize(domain)
        let row = releases.first { r in
            switch d {
            case Domain.onnx: return r.onnxOpset >= version
            case Domain.ml: return r.mlOpset >= version
            case Domain.preview: return (r.trainingOpset ?? 0) >= version
            default: return false
            }
        }
        return row?.irVersion
    }

    /// The IR version for a model importing `opsets` (domain → version): the greatest
    /// minimum over the domains the table covers; custom domains do not constrain it.
    /// 3 (the oldest IR with opset imports) when nothing constrains it.
    public static func irVersion(forOpsets opsets: [String: Int64]) -> Int64 {
        var ir: Int64 = 3
        for (d, v) in opsets {
            if let m = minimumIRVersion(domain: d, version: v) { ir = max(ir, m) }
        }
        return ir
    }
}
