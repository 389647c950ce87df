/// Upsample (deprecated in opset 10): nearest or linear resampling by scales (an
/// attribute in opset 7, an input in 9), with asymmetric coordinates.
struct Upsample: Operator {
    static let opType = "Upsample"
    static let sinceVersions: [Int64] = [7, 9]
    let engine: Resampling
    let scalesAttribute: [Float]?
    init(_ c: OpContext) throws {
        let m = try c.string("mode", default: "nearest")
        let mode: Resampling.Mode
        switch m {
        case "nearest": mode = .nearest
        case "linear", "bilinear": mode = .linear
        default: throw InterpreterError.badAttribute(node: c.nodeName, attribute: "mode", message: "unsupported value '\(m)'")
        }
        engine = Resampling(mode: mode, coordinates: .asymmetric, nearest: .simple)
        scalesAttribute = c.sinceVersion < 9 ? try c.floats("scales") : nil
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let s = try scalesAttribute ?? context.tensor(inputs, 1).floats()
        guard s.count == x.rank, s.allSatisfy({ $0 >= 1 && $0.isFinite && $0 < 1e6 }) else {
            throw context.invalid("scales \(s) must give one value >= 1 per axis")
        }
        let out = (0..<x.rank).map { Int((Double(s[$0]) * Double(x.shape[$0])).rounded(.down)) }
        return [.tensor(try engine.resample(x, outShape: out, scales: s.map { Double($0) },
                                            roi: [(Double, Double)](repeating: (0, 1), count: x.rank), context.nodeName))]
    }
}
