import ONNX

/// The functional layers Add, Sub, Mul, Div (two inputs, numpy broadcasting) and
/// MatMul, named after their torch functions.
struct Arithmetic: LayerLowering {
    var typeNames: [String] { ["Add", "Sub", "Mul", "Div", "MatMul"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        guard inputs.count == 2 else { throw c.shapeError("takes two inputs (list them in 'inputs'), given \(inputs.count)") }
        let a = inputs[0], b = inputs[1]
        if c.args.type == "MatMul" {
            guard a.rank >= 2, b.rank >= 2 else { throw c.shapeError("needs inputs of rank >= 2") }
            guard a.shape[a.rank - 1] == b.shape[b.rank - 2] else { throw c.shapeError("inner dimensions \(a.shape[a.rank - 1]) and \(b.shape[b.rank - 2]) differ") }
            let batch = try Self.broadcast(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)), c)
            return LayerValue(try c.node("MatMul", [a.value, b.value]), batch + [a.shape[a.rank - 2], b.shape[b.rank - 1]])
        }
        return LayerValue(try c.node(c.args.type, [a.value, b.value]), try Self.broadcast(a.shape, b.shape, c))
    }

    /// numpy broadcasting of two shapes.
    static func broadcast(_ a: [ShapeDimension], _ b: [ShapeDimension], _ c: LayerContext) throws -> [ShapeDimension] {
        let n = max(a.count, b.count)
        let pa = [ShapeDimension](repeating: .fixed(1), count: n - a.count) + a
        let pb = [ShapeDimension](repeating: .fixed(1), count: n - b.count) + b
        return try zip(pa, pb).map { x, y in
            if x == y || y == .fixed(1) { return x }
            if x == .fixed(1) { return y }
            throw c.shapeError("shapes \(a) and \(b) do not broadcast")
        }
    }
}
