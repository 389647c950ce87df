import ONNX

/// Pad: pads (or, with negative pads, crops) each axis. Modes constant, reflect, edge and
/// (opset 19) wrap. Opsets 1/2 take `paddings`/`pads` and `value` as attributes; 11 on
/// take pads and constant_value as inputs, 18 on an optional axes input.
struct Pad: Operator {
    static let opType = "Pad"
    static let sinceVersions: [Int64] = [1, 2, 11, 13, 18, 19, 21, 23, 24, 25]
    enum Mode: String { case constant, reflect, edge, wrap }
    let mode: Mode
    let attributePads: [Int64]?
    let attributeValue: Float
    init(_ c: OpContext) throws {
        let m = try c.string("mode", default: "constant")
        guard let mode = Mode(rawValue: m), mode != .wrap || c.sinceVersion >= 19 else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "mode", message: "unsupported mode '\(m)'")
        }
        self.mode = mode
        switch c.sinceVersion {
        case 1: attributePads = try c.ints("paddings"); attributeValue = try c.float("value", default: 0)
        case 2: attributePads = try c.ints("pads"); attributeValue = try c.float("value", default: 0)
        default: attributePads = nil; attributeValue = 0
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let r = x.rank
        var begin = [Int](repeating: 0, count: r), end = [Int](repeating: 0, count: r)
        var constant: TensorValue?
        if let attributePads {
            guard attributePads.count == 2 * r else { throw context.invalid("pads has \(attributePads.count) entries for rank \(r)") }
            for i in 0..<r { begin[i] = Int(attributePads[i]); end[i] = Int(attributePads[r + i]) }
            constant = try TensorSupport.scalar(Double(attributeValue), type: x.dataType)
        } else {
            let pads = try context.tensor(inputs, 1).ints()
            let axes = try context.optionalTensor(inputs, 3).map { try TensorSupport.axes(try $0.int64s(), rank: r, context.nodeName) } ?? Array(0..<r)
            guard pads.count == 2 * axes.count else { throw context.invalid("pads has \(pads.count) entries for \(axes.count) axes") }
            for (i, a) in axes.enumerated() { begin[a] = pads[i]; end[a] = pads[axes.count + i] }
            if let v = try context.optionalTensor(inputs, 2), v.count > 0 {
                constant = try TensorSupport.convert(v.gathered([0], shape: [1]), to: x.dataType, context.nodeName)
            } else {
                constant = try TensorSupport.scalar(0, type: x.dataType)
            }
        }
        try TensorSupport.bounded(begin + end, "pads", context.nodeName)
        let shape = (0..<r).map { x.shape[$0] + begin[$0] + end[$0] }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw context.invalid("pads \(begin + end) crop more than the shape \(x.shape)") }
        let n = try TensorSupport.count(shape, context.nodeName)
        if mode != .constant {
            for d in 0..<r where x.shape[d] - max(0, -begin[d]) - max(0, -end[d]) <= 0 && shape[d] > 0 {
                throw context.invalid("cannot \(mode.rawValue)-pad the empty axis \(d)")
            }
        }
        // Per axis, the source coordinate of each output coordinate (-1 = constant).
        // Negative pads crop first; the padding modes then see the cropped axis.
        var coords: [[Int]] = []
        for d in 0..<r {
            let lo = max(0, -begin[d])
            let dim = x.shape[d] - lo - max(0, -end[d])
            let before = max(0, begin[d])
            coords.append((0..<shape[d]).map { o in
                let c = o - before
                if c >= 0 && c < dim { return lo + c }
                switch mode {
                case .constant: return -1
                case .edge: return lo + (c < 0 ? 0 : dim - 1)
                case .wrap: return lo + ((c % dim) + dim) % dim
                case .reflect:
                    if dim == 1 { return lo }
                    let period = 2 * (dim - 1)
                    var m = ((c % period) + period) % period
                    if m >= dim { m = period - m }
                    return lo + m
                }
            })
        }
        let map = TensorSupport.productMap(coords, strides: x.strides, missing: x.count)
        _ = n
        let storage = try TensorSupport.appending(x, constant ?? (try TensorSupport.scalar(0, type: x.dataType)), context.nodeName)
        return [.tensor(TensorValue(unchecked: x.dataType, shape: shape, storage: storage.rearranged { _ in map }))]
    }
}
