import ONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// HammingWindow: α - β cos(2πn / N) with α = 25/46 and β = 21/46.
struct HammingWindow: Operator {
    static let opType = "HammingWindow"
    static let sinceVersions: [Int64] = [17]
    let window: MiscWindow
    init(_ c: OpContext) throws { window = try MiscWindow(c) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let alpha = 25.0 / 46.0
        return try window.run(inputs, context) { n, big in alpha - (1 - alpha) * cos(2 * Double.pi * n / big) }
    }
}
