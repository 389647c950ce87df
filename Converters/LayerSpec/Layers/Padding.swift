import ONNX

/// nn.ZeroPad1d/2d/3d(padding), nn.ConstantPad1d/2d/3d(padding, value),
/// nn.ReflectionPad1d/2d/3d(padding), nn.ReplicationPad1d/2d/3d(padding): Pad. torch
/// lists the pads last dimension first, (left, right, top, bottom, front, back).
struct Padding: LayerLowering {
    var typeNames: [String] {
        ["Zero", "Constant", "Reflection", "Replication"].flatMap { kind in (1...3).map { "\(kind)Pad\($0)d" } }
    }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        let type = c.args.type
        let k = Int(String(type.suffix(2).prefix(1))) ?? 2
        let p = try c.args.ints("padding", count: 2 * k)
        let value = type.hasPrefix("Constant") ? try c.args.double("value") : 0
        guard x.rank >= k + 1 else { throw c.shapeError("needs at least \(k + 1) dimensions") }
        var begin = [Int](repeating: 0, count: x.rank), end = begin
        var out = x.shape
        for j in 0..<k {
            let axis = x.rank - 1 - j
            begin[axis] = p[2 * j]; end[axis] = p[2 * j + 1]
            if let s = x.shape[axis].fixedValue {
                let o = Int(s) + p[2 * j] + p[2 * j + 1]
                guard o >= 1 else { throw c.shapeError("padding removes the whole dimension \(axis)") }
                if type.hasPrefix("Reflection"), max(p[2 * j], p[2 * j + 1]) >= Int(s) { throw c.shapeError("reflection padding must be smaller than the dimension (\(s))") }
                out[axis] = .fixed(Int64(o))
            }
        }
        let mode = type.hasPrefix("Reflection") ? "reflect" : type.hasPrefix("Replication") ? "edge" : "constant"
        let pads = try c.int64s((begin + end).map { Int64($0) }, name: "pads")
        let inputs: [GraphBuilder.Value?] = mode == "constant" ? [x.value, pads, try c.constant([value], shape: [], name: "value")] : [x.value, pads]
        return LayerValue(try c.node("Pad", inputs, ["mode": .string(mode)]), out)
    }
}
