import ONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// BlackmanWindow: 0.42 - 0.5 cos(2πn / N) + 0.08 cos(4πn / N).
struct BlackmanWindow: Operator {
    static let opType = "BlackmanWindow"
    static let sinceVersions: [Int64] = [17]
    let window: MiscWindow
    init(_ c: OpContext) throws { window = try MiscWindow(c) }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        try window.run(inputs, context) { n, big in
            0.42 - 0.5 * cos(2 * Double.pi * n / big) + 0.08 * cos(4 * Double.pi * n / big)
        }
    }
}
