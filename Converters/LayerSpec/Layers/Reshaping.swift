import ONNX

/// nn.Flatten(start_dim=1, end_dim=-1) and nn.Unflatten(dim, unflattened_size).
struct Reshaping: LayerLowering {
    var typeNames: [String] { ["Flatten", "Unflatten"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        func axis(_ d: Int) throws -> Int {
            let a = d < 0 ? d + x.rank : d
            guard a >= 0, a < x.rank else { throw c.shapeError("dim \(d) is out of range for rank \(x.rank)") }
            return a
        }
        var out: [ShapeDimension]
        if c.args.type == "Flatten" {
            let start = try axis(try c.args.int("start_dim", default: 1)), end = try axis(try c.args.int("end_dim", default: -1))
            guard start <= end else { throw c.shapeError("start_dim comes after end_dim") }
            let merged = try x.shape[start...end].reduce(1) { $0 * (try c.fixed($1, "a flattened dimension")) }
            out = Array(x.shape[..<start]) + [.fixed(Int64(merged))] + Array(x.shape[(end + 1)...])
            if start == 1 && end == x.rank - 1 { return LayerValue(try c.node("Flatten", [x.value], ["axis": .int(1)]), out) }
        } else {
            let dim = try axis(try c.args.int("dim"))
            let sizes = try c.args.intList("unflattened_size")
            let have = try c.fixed(x.shape[dim], "the unflattened dimension")
            let known = sizes.filter { $0 != -1 }.reduce(1, *)
            guard sizes.filter({ $0 == -1 }).count <= 1, known > 0, have % known == 0,
                  sizes.contains(-1) || known == have else { throw c.shapeError("cannot unflatten \(have) into \(sizes)") }
            let resolved = sizes.map { $0 == -1 ? have / known : $0 }
            out = Array(x.shape[..<dim]) + resolved.map { .fixed(Int64($0)) } + Array(x.shape[(dim + 1)...])
        }
        // Reshape with 0 for leading dims kept as they are (the symbolic batch).
        var target: [Int64] = []
        for (i, d) in out.enumerated() {
            if i < x.rank, d == x.shape[i], d.fixedValue == nil { target.append(0); continue }
            guard let v = d.fixedValue else { throw c.shapeError("only one symbolic dimension, kept in place, can be reshaped") }
            target.append(v)
        }
        return LayerValue(try c.node("Reshape", [x.value, try c.int64s(target, name: "shape")]), out)
    }
}

/// Layers that are the identity at inference: nn.Identity and every dropout.
struct InferenceIdentity: LayerLowering {
    var typeNames: [String] { ["Identity", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        if c.args.type != "Identity" {
            _ = try c.args.double("p", default: 0.5)
            _ = try c.args.bool("inplace", default: false)
        }
        return x
    }
}
