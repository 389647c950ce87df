import ONNX

/// The functional layers named like torch functions that rearrange or reduce tensors:
/// Concat/Cat (`dim`), Stack (`dim`), Reshape/View (`shape`, one -1 allowed),
/// Permute (`dims`), Transpose (`dim0`, `dim1`), Squeeze (`dim`), Unsqueeze (`dim`),
/// Mean/Sum/Max (`dim`, `keepdim`), Select (`dim`, `index`: `x[:, -1]`), Slice (`dim`,
/// `start`, `end`, `step`) and Scale (`value`: multiply by a constant).
struct TensorFunctions: LayerLowering {
    var typeNames: [String] {
        ["Concat", "Cat", "Stack", "Reshape", "View", "Permute", "Transpose", "Squeeze", "Unsqueeze", "Mean", "Sum", "Max", "Select", "Slice", "Scale"]
    }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        func axis(_ d: Int, rank: Int) throws -> Int {
            let a = d < 0 ? d + rank : d
            guard a >= 0, a < rank else { throw c.shapeError("dim \(d) is out of range for rank \(rank)") }
            return a
        }
        switch c.args.type {
        case "Concat", "Cat", "Stack":
            guard inputs.count >= 1 else { throw c.shapeError("needs inputs") }
            let stack = c.args.type == "Stack"
            let rank = inputs[0].rank
            let d = try axis(try c.args.int("dim", default: 0), rank: stack ? rank + 1 : rank)
            guard inputs.allSatisfy({ $0.rank == rank }) else { throw c.shapeError("inputs have different ranks") }
            var parts = inputs.map(\.value)
            if stack { parts = try parts.map { try c.node("Unsqueeze", [$0, try c.int64s([Int64(d)], name: "axis")]) } }
            var shape = inputs[0].shape
            if stack {
                guard inputs.allSatisfy({ $0.shape == shape }) else { throw c.shapeError("stacked inputs differ in shape") }
                shape.insert(.fixed(Int64(inputs.count)), at: d)
            } else {
                for (i, x) in inputs.enumerated() {
                    for k in 0..<rank where k != d && x.shape[k] != shape[k] { throw c.shapeError("input \(i) differs in dimension \(k)") }
                }
                let sizes = try inputs.map { try c.fixed($0.shape[d], "the concatenated dimension") }
                shape[d] = .fixed(Int64(sizes.reduce(0, +)))
            }
            return LayerValue(try c.node("Concat", parts, ["axis": .int(Int64(d))]), shape)
        default: break
        }
        let x = try c.single(inputs)
        switch c.args.type {
        case "Reshape", "View":
            // Entries: sizes, one -1, or the name of a symbolic input dimension kept at
            // the same position (written as 0, "copy", in the ONNX Reshape).
            guard let raw = try c.args.raw("shape") else { throw LayerSpecError.spec(path: c.where_, reason: "\(c.args.type) needs 'shape'") }
            var target: [Int64] = [], out: [ShapeDimension] = []
            var fixedIn = 1, keptSymbolic = Set<Int>()
            for d in x.shape { if let v = d.fixedValue { fixedIn *= Int(v) } }
            for (i, e) in try raw.elements().enumerated() {
                if case .string(let name) = e.value {
                    guard i < x.rank, x.shape[i] == .symbolic(name) else {
                        throw c.args.unsupported("shape", "'\(name)' must name the symbolic input dimension at position \(i)")
                    }
                    target.append(0); out.append(x.shape[i]); keptSymbolic.insert(i)
                    continue
                }
                let v = try e.integer()
                guard v == -1 || v > 0 else { throw c.args.unsupported("shape", "sizes must be positive or -1, not \(v)") }
                target.append(Int64(v)); out.append(v == -1 ? .unknown : .fixed(Int64(v)))
            }
            guard target.filter({ $0 == -1 }).count <= 1 else { throw c.args.unsupported("shape", "at most one -1") }
            let symbolicIn = x.shape.indices.filter { x.shape[$0].fixedValue == nil }
            let fixedOut = target.filter { $0 > 0 }.reduce(1) { $0 * Int($1) }
            if let m = target.firstIndex(of: -1) {
                guard fixedIn % fixedOut == 0 else { throw c.shapeError("cannot reshape \(x.shape) into \(target)") }
                // -1 is a fixed size unless it absorbs a symbolic dimension.
                if symbolicIn.allSatisfy(keptSymbolic.contains) { out[m] = .fixed(Int64(fixedIn / fixedOut)) }
            } else {
                guard symbolicIn.allSatisfy(keptSymbolic.contains), fixedIn == fixedOut else {
                    throw c.shapeError("cannot reshape \(x.shape) into \(target)")
                }
            }
            return LayerValue(try c.node("Reshape", [x.value, try c.int64s(target, name: "shape")]), out)
        case "Permute":
            let dims = try c.args.intList("dims").map { try axis($0, rank: x.rank) }
            guard dims.sorted() == Array(0..<x.rank) else { throw c.shapeError("dims \(dims) is not a permutation of rank \(x.rank)") }
            return LayerValue(try c.node("Transpose", [x.value], ["perm": .ints(dims.map { Int64($0) })]), dims.map { x.shape[$0] })
        case "Transpose":
            let a = try axis(try c.args.int("dim0"), rank: x.rank), b = try axis(try c.args.int("dim1"), rank: x.rank)
            var perm = Array(0..<x.rank)
            perm.swapAt(a, b)
            return LayerValue(try c.node("Transpose", [x.value], ["perm": .ints(perm.map { Int64($0) })]), perm.map { x.shape[$0] })
        case "Squeeze":
            let dims = try c.args.raw("dim") == nil ? x.shape.indices.filter { x.shape[$0] == .fixed(1) } : try c.args.intList("dim").map { try axis($0, rank: x.rank) }
            // torch leaves a dimension that is not 1 in place.
            let squeezed = dims.filter { x.shape[$0] == .fixed(1) }
            if squeezed.isEmpty { return x }
            let out = x.shape.indices.filter { !squeezed.contains($0) }.map { x.shape[$0] }
            return LayerValue(try c.node("Squeeze", [x.value, try c.int64s(squeezed.map { Int64($0) }, name: "axes")]), out)
        case "Unsqueeze":
            let d = try axis(try c.args.int("dim"), rank: x.rank + 1)
            var out = x.shape
            out.insert(.fixed(1), at: d)
            return LayerValue(try c.node("Unsqueeze", [x.value, try c.int64s([Int64(d)], name: "axes")]), out)
        case "Mean", "Sum", "Max":
            let dims = try c.args.intList("dim").map { try axis($0, rank: x.rank) }
            let keep = try c.args.bool("keepdim", default: false)
            let op = ["Mean": "ReduceMean", "Sum": "ReduceSum", "Max": "ReduceMax"][c.args.type]!
            let out = keep ? x.shape.indices.map { dims.contains($0) ? .fixed(1) : x.shape[$0] } : x.shape.indices.filter { !dims.contains($0) }.map { x.shape[$0] }
            return LayerValue(try c.node(op, [x.value, try c.int64s(dims.map { Int64($0) }, name: "axes")], ["keepdims": .int(keep ? 1 : 0)]), out)
        case "Select":
            let d = try axis(try c.args.int("dim"), rank: x.rank)
            let index = try c.args.int("index")
            if let size = x.shape[d].fixedValue, index >= Int(size) || index < -Int(size) { throw c.shapeError("index \(index) is out of range for size \(size)") }
            let i = try c.builder.initializer([Int64(index)], shape: [], name: "\(c.path)/index")
            var out = x.shape
            out.remove(at: d)
            return LayerValue(try c.node("Gather", [x.value, i], ["axis": .int(Int64(d))]), out)
        case "Slice":
            let d = try axis(try c.args.int("dim", default: 0), rank: x.rank)
            let start = try c.args.int("start", default: 0), step = try c.args.int("step", default: 1)
            guard step >= 1 else { throw c.args.unsupported("step", "torch slices need a positive step") }
            let endRaw = try c.args.raw("end")
            let end = endRaw == nil || endRaw?.value == .null ? Int(Int32.max) : try c.args.int("end")
            var out = x.shape
            if let size = x.shape[d].fixedValue {
                let n = Int(size)
                func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + n : v, 0), n) }
                let s = clamp(start), e = clamp(end)
                out[d] = .fixed(Int64(e > s ? (e - s + step - 1) / step : 0))
            } else {
                out[d] = .unknown
            }
            let y = try c.node("Slice", [x.value, try c.int64s([Int64(start)], name: "starts"), try c.int64s([Int64(end)], name: "ends"),
                                         try c.int64s([Int64(d)], name: "axes"), try c.int64s([Int64(step)], name: "steps")])
            return LayerValue(y, out)
        case "Scale":
            let v = try c.args.double("value")
            return LayerValue(try c.node("Mul", [x.value, try c.constant([v], shape: [], name: "value")]), x.shape)
        default:
            throw LayerSpecError.unknownLayer(path: c.where_, type: c.args.type, known: typeNames)
        }
    }
}

/// Chunk(`chunks`, `dim`, `index`): part `index` of `torch.chunk(x, chunks, dim)`, whose
/// parts are ceil(size / chunks) long (the last one shorter, and fewer parts than asked
/// when the size runs out), as `x.chunk(chunks, dim)[index]` picks it.
struct Chunk: LayerLowering {
    var typeNames: [String] { ["Chunk"] }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        let chunks = try c.args.int("chunks", atLeast: 1), index = try c.args.int("index")
        var d = try c.args.int("dim", default: 0)
        if d < 0 { d += x.rank }
        guard d >= 0, d < x.rank else { throw c.shapeError("dim is out of range for rank \(x.rank)") }
        guard chunks >= 1 else { throw c.args.unsupported("chunks", "must be at least 1") }
        let size = try c.fixed(x.shape[d], "the chunked dimension")
        guard size >= 1 else { throw c.shapeError("the chunked dimension is empty") }
        let step = (size + chunks - 1) / chunks
        let parts = (size + step - 1) / step
        let i = index < 0 ? index + parts : index
        guard i >= 0, i < parts else { throw c.shapeError("index \(index) is out of range: \(size) splits into \(parts) chunks of \(step)") }
        let start = i * step, end = min(size, start + step)
        var out = x.shape
        out[d] = .fixed(Int64(end - start))
        let y = try c.node("Slice", [x.value, try c.int64s([Int64(start)], name: "starts"), try c.int64s([Int64(end)], name: "ends"),
                                     try c.int64s([Int64(d)], name: "axes")])
        return LayerValue(y, out)
    }
}
