/// Where a conversion says how far it has got, for a terminal: each step as it starts
/// ("writing model.onnx") and, inside long steps, counts ("lowering trees 250/500").
/// Silent unless `Conversion.run` was given a progress handler.
public struct ConversionProgress: Sendable {
    private let handler: (@Sendable (String) -> Void)?

    /// Reports nothing.
    public static let silent = ConversionProgress(nil)

    /// Reports to `handler`; nil reports nothing.
    public init(_ handler: (@Sendable (String) -> Void)?) { self.handler = handler }

    /// A step starts.
    public func step(_ what: String) { handler?(what) }

    /// `done` of `total` items of `what` are finished. Reported at about every 5% and at
    /// the end, so that a loop can call it for every item.
    public func count(_ what: String, done: Int, total: Int) {
        guard let handler, total > 0 else { return }
        let stride = max(1, total / 20)
        if done == total || done % stride == 0 { handler("\(what) \(done)/\(total)") }
    }
}
