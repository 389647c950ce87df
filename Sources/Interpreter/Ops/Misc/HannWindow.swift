import ONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// HannWindow: sin²(πn / N).
struct HannWindow: Operator {
    static let opType = "HannWindow"
    static let sinceVersions: [Int64] = [17]
    let window: MiscWindow
    init(_ c: OpContext) throws { window = try MiscWindow(c) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        try window.run(inputs, context) { n, big in
            let s = sin(Double.pi * n / big)
            return s * s
        }
    }
}
