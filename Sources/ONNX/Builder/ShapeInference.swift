/// Output type and shape inference for the operators the builder knows, following the
/// operator definitions of the ONNX specification. An operator it does not know gets
/// outputs of unknown type; a dimension it cannot work out is `.unknown`.
///
/// Inference throws only on certain contradictions (two fixed dims that cannot
/// broadcast, a reshape to a different element count, an axis out of range), never on
/// something it merely cannot see.
struct NodeInference {
    let op: String
    let domain: String
    let opset: Int64
    let node: String
    let inputTypes: [TypeProto?]
    let present: [Bool]
    let constants: [Tensor?]
    let attributes: [String: AttributeValue]
    let outputCount: Int

    /// A contradiction found while combining shapes.
    struct ShapeConflict: Error { var reason: String }

    func infer() throws -> [TypeProto?] {
        var out: [TypeProto?]
        do {
            if domain == Domain.onnx {
                out = try inferONNX()
            } else if domain == Domain.ml {
                out = try inferML()
            } else {
                out = []
            }
        } catch let c as ShapeConflict {
            throw GraphBuilderError.incompatibleShapes(op: op, node: node, reason: c.reason)
        }
        if out.count < outputCount { out += Array(repeating: nil, count: outputCount - out.count) }
        return Array(out.prefix(outputCount))
    }

    // MARK: Accessors

    func type(_ i: Int) -> TypeProto? { i < inputTypes.count ? inputTypes[i] : nil }
    func has(_ i: Int) -> Bool { i < present.count && present[i] }
    func elem(_ i: Int) -> DataType? {
        guard let e = type(i)?.tensorElementType, e != .undefined else { return nil }
        return e
    }
    func shape(_ i: Int) -> [ShapeDimension]? { type(i)?.tensorShape?.dims }
    func rank(_ i: Int) -> Int? { shape(i)?.count }
    func constant(_ i: Int) -> Tensor? { i < constants.count ? constants[i] : nil }
    func constInts(_ i: Int) -> [Int64]? { constant(i).flatMap(ConstantReader.int64s) }
    func int(_ name: String, _ def: Int64) -> Int64 { attributes[name]?.intValue ?? def }
    func int(_ name: String) -> Int64? { attributes[name]?.intValue }
    func ints(_ name: String) -> [Int64]? { attributes[name]?.intsValue }
    func string(_ name: String) -> String? { attributes[name]?.stringValue }

    func tensor(_ e: DataType?, _ dims: [ShapeDimension]?) -> TypeProto? {
        if e == nil && dims == nil { return nil }
        return TypeProto(.tensor(elemType: e, shape: dims.map { TensorShape($0) }))
    }

    func invalid(_ attribute: String, _ reason: String) -> GraphBuilderError {
        .invalidAttribute(op: op, node: node, attribute: attribute, reason: reason)
    }

    /// Normalizes a possibly negative axis against `rank`.
    func axis(_ a: Int64, rank r: Int, attribute: String = "axis") throws -> Int {
        let r64 = Int64(r)
        guard a >= -r64 && a < r64 else { throw invalid(attribute, "axis \(a) is out of range for rank \(r)") }
        return Int(a < 0 ? a + r64 : a)
    }

    /// Requires the known element types of the given inputs to agree.
    func sameElementType(_ idx: [Int]) throws {
        let known = idx.compactMap { i in elem(i).map { (i, $0) } }
        guard let first = known.first else { return }
        if let other = known.first(where: { $0.1 != first.1 }) {
            throw GraphBuilderError.incompatibleTypes(op: op, node: node, reason: "input \(first.0) is \(first.1) but input \(other.0) is \(other.1)")
        }
    }

    // MARK: ShapeDimension algebra

    static func broadcastDim(_ ds: [ShapeDimension]) throws -> ShapeDimension {
        var fixed: Int64?
        var symbolic: [ShapeDimension.Value] = []
        for d in ds {
            if let v = d.fixedValue {
                if v == 1 { continue }
                if let f = fixed, f != v { throw ShapeConflict(reason: "dimensions \(f) and \(v) do not broadcast") }
                fixed = v
            } else {
                symbolic.append(d.value)
            }
        }
        if let f = fixed { return .fixed(f) }
        guard let first = symbolic.first else { return .fixed(1) }
        if case .param(let p) = first, symbolic.allSatisfy({ $0 == first }) { return .symbolic(p) }
        return .unknown
    }

    /// Multidirectional (numpy) broadcasting.
    static func broadcast(_ shapes: [[ShapeDimension]]) throws -> [ShapeDimension] {
        let r = shapes.map(\.count).max() ?? 0
        return try (0..<r).map { i in
            try broadcastDim(shapes.compactMap { s in
                let k = i - (r - s.count)
                return k >= 0 ? s[k] : nil
            })
        }
    }

    /// Broadcast of all the given inputs when all their shapes are known.
    func broadcastInputs(_ idx: [Int]) throws -> [ShapeDimension]? {
        var shapes: [[ShapeDimension]] = []
        for i in idx { guard let s = shape(i) else { return nil }; shapes.append(s) }
        return try Self.broadcast(shapes)
    }

    /// Two dims that must be equal: the more precise one; a conflict when both fixed and different.
    static func unify(_ a: ShapeDimension, _ b: ShapeDimension) throws -> ShapeDimension {
        switch (a.value, b.value) {
        case let (.value(x), .value(y)):
            if x != y { throw ShapeConflict(reason: "dimensions \(x) and \(y) must be equal") }
            return .fixed(x)
        case (.value, _): return ShapeDimension(a.value)
        case (_, .value): return ShapeDimension(b.value)
        case (.param, _): return ShapeDimension(a.value)
        default: return ShapeDimension(b.value)
        }
    }

    /// Product of dims: fixed when all fixed, the symbol when one symbol times 1.
    static func product(_ ds: ArraySlice<ShapeDimension>) -> ShapeDimension {
        var p: Int64 = 1
        var others: [ShapeDimension] = []
        for d in ds {
            if let v = d.fixedValue {
                let (r, o) = p.multipliedReportingOverflow(by: v)
                if o { return .unknown }
                p = r
            } else {
                others.append(d)
            }
        }
        if others.isEmpty { return .fixed(p) }
        if p == 0 { return .fixed(0) }
        if others.count == 1 && p == 1 { return ShapeDimension(others[0].value) }
        return .unknown
    }

    /// Fixed product and symbol multiset of dims; nil when a dim is unknown.
    static func factor(_ ds: [ShapeDimension]) -> (Int64, [String])? {
        var p: Int64 = 1
        var syms: [String] = []
        for d in ds {
            switch d.value {
            case .value(let v):
                let (r, o) = p.multipliedReportingOverflow(by: v)
                if o { return nil }
                p = r
            case .param(let s): syms.append(s)
            case .unknown: return nil
            }
        }
        return (p, syms.sorted())
    }

    // MARK: ai.onnx

    static let unarySameType: Set<String> = [
        "Abs", "Neg", "Exp", "Log", "Sqrt", "Reciprocal", "Floor", "Ceil", "Round", "Sin", "Cos", "Tan",
        "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Erf", "Sign", "Relu", "Sigmoid",
        "Tanh", "Softmax", "LogSoftmax", "Hardmax", "LeakyRelu", "Elu", "Selu", "Celu", "Softplus", "Softsign",
        "HardSigmoid", "HardSwish", "Gelu", "Mish", "ThresholdedRelu", "Identity", "Clip", "Not", "BitwiseNot",
        "Shrink", "LRN", "MeanVarianceNormalization", "InstanceNormalization", "LpNormalization", "CumSum",
        "BatchNormalization", "LayerNormalization", "ReverseSequence", "Trilu", "Swish",
    ]
    static let broadcastSameType: Set<String> = [
        "Add", "Sub", "Mul", "Div", "Mod", "Max", "Min", "Sum", "Mean", "BitwiseAnd", "BitwiseOr", "BitwiseXor",
        "BitShift", "PRelu",
    ]
    static let comparisons: Set<String> = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"]
    static let logical: Set<String> = ["And", "Or", "Xor"]
    /// Reductions, with the opset from which their axes are an input rather than an attribute.
    static let reductions: [String: Int64] = [
        "ReduceSum": 13, "ReduceMean": 18, "ReduceMax": 18, "ReduceMin": 18, "ReduceProd": 18, "ReduceL1": 18,
        "ReduceL2": 18, "ReduceLogSum": 18, "ReduceLogSumExp": 18, "ReduceSumSquare": 18,
    ]

    func inferONNX() throws -> [TypeProto?] {
        if Self.unarySameType.contains(op) {
            // Same type and shape as the first input (for the normalizations: output 0 only).
            return [type(0)]
        }
        if Self.broadcastSameType.contains(op) {
            try sameElementType(Array(0..<inputTypes.count))
            return [tensor(elem(0), try broadcastInputs(Array(0..<inputTypes.count)))]
        }
        if Self.comparisons.contains(op) || Self.logical.contains(op) {
            try sameElementType([0, 1])
            return [tensor(.bool, try broadcastInputs([0, 1]))]
        }
        if let axesInputSince = Self.reductions[op] { return [try reduce(axesInputSince: axesInputSince)] }
        switch op {
        case "Dropout":
            return [type(0), tensor(.bool, shape(0))]
        case "IsNaN", "IsInf":
            return [tensor(.bool, shape(0))]
        case "Pow":
            return [tensor(elem(0), try broadcastInputs([0, 1]))]
        case "Where":
            try sameElementType([1, 2])
            return [tensor(elem(1) ?? elem(2), try broadcastInputs([0, 1, 2]))]
        case "MatMul":
            try sameElementType([0, 1])
            return [tensor(elem(0) ?? elem(1), try matmul())]
        case "Gemm":
            try sameElementType([0, 1, 2])
            return [tensor(elem(0) ?? elem(1), try gemm())]
        case "Cast":
            guard let to = int("to") else { return [nil] }
            let t = DataType(rawValue: Int32(truncatingIfNeeded: to))
            guard t.isKnown, Int64(t.rawValue) == to else { throw invalid("to", "\(to) is not an ONNX element type") }
            return [tensor(t, shape(0))]
        case "CastLike":
            return [tensor(elem(1), shape(0))]
        case "Reshape":
            return [tensor(elem(0), try reshape())]
        case "Flatten":
            return [tensor(elem(0), try flatten())]
        case "Transpose":
            return [tensor(elem(0), try transpose())]
        case "Concat":
            try sameElementType(Array(0..<inputTypes.count))
            return [tensor(elem(0), try concat())]
        case "Squeeze":
            return [tensor(elem(0), try squeeze())]
        case "Unsqueeze":
            return [tensor(elem(0), try unsqueeze())]
        case "ArgMax", "ArgMin":
            return [tensor(.int64, try argReduce())]
        case "Gather":
            return [tensor(elem(0), try gather())]
        case "GatherElements":
            return [tensor(elem(0), shape(1))]
        case "Slice":
            return [tensor(elem(0), try slice())]
        case "Shape":
            return [tensor(.int64, [shapeLength()])]
        case "Size":
            return [tensor(.int64, [])]
        case "Conv":
            return [tensor(elem(0), try convolution(pool: false))]
        case "MaxPool", "AveragePool", "LpPool":
            let s = try convolution(pool: true)
            return [tensor(elem(0), s), tensor(.int64, s)]
        case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool":
            guard let s = shape(0), s.count >= 2 else { return [tensor(elem(0), nil)] }
            return [tensor(elem(0), Array(s.prefix(2)) + Array(repeating: .fixed(1), count: s.count - 2))]
        case "Constant":
            return [constantType()]
        case "ConstantOfShape":
            let e = attributes["value"]?.tensorValue?.dataType ?? .float
            if let dims = constInts(0) { return [tensor(e, dims.map { .fixed($0) })] }
            if let k = shape(0)?.first?.fixedValue { return [tensor(e, Array(repeating: .unknown, count: Int(k)))] }
            return [tensor(e, nil)]
        case "Expand":
            guard let s = shape(0) else { return [tensor(elem(0), nil)] }
            if let dims = constInts(1) { return [tensor(elem(0), try Self.broadcast([s, dims.map { .fixed($0) }]))] }
            return [tensor(elem(0), nil)]
        case "Tile":
            guard let s = shape(0) else { return [tensor(elem(0), nil)] }
            guard let reps = constInts(1), reps.count == s.count else {
                return [tensor(elem(0), Array(repeating: .unknown, count: s.count))]
            }
            return [tensor(elem(0), zip(s, reps).map { d, r in
                if r == 1 { return d }
                return d.fixedValue.map { .fixed($0 * r) } ?? .unknown
            })]
        case "Split":
            return try split()
        case "TopK":
            let s = try topK()
            return [tensor(elem(0), s), tensor(.int64, s)]
        case "Pad":
            return [tensor(elem(0), try pad())]
        case "Range":
            return [tensor(elem(0), [.unknown])]
        case "NonZero":
            return [tensor(.int64, rank(0).map { [.fixed(Int64($0)), .unknown] })]
        case "EyeLike":
            let e = int("dtype").map { DataType(rawValue: Int32(truncatingIfNeeded: $0)) } ?? elem(0)
            return [tensor(e, shape(0))]
        case "If":
            return try ifOutputs()
        case "Loop":
            return try loopOutputs()
        default:
            return []
        }
    }

    // MARK: Individual operators

    func matmul() throws -> [ShapeDimension]? {
        guard var a = shape(0), var b = shape(1), !a.isEmpty, !b.isEmpty else { return nil }
        let aVector = a.count == 1, bVector = b.count == 1
        if aVector { a.insert(.fixed(1), at: 0) }
        if bVector { b.append(.fixed(1)) }
        _ = try Self.unify(a[a.count - 1], b[b.count - 2])
        var out = try Self.broadcast([Array(a.dropLast(2)), Array(b.dropLast(2))])
        if !aVector { out.append(a[a.count - 2]) }
        if !bVector { out.append(b[b.count - 1]) }
        return out
    }

    func gemm() throws -> [ShapeDimension]? {
        guard let a = shape(0), let b = shape(1) else { return nil }
        guard a.count == 2, b.count == 2 else { throw ShapeConflict(reason: "Gemm needs rank-2 A and B, got ranks \(a.count) and \(b.count)") }
        let ta = int("transA", 0) != 0, tb = int("transB", 0) != 0
        let m = ta ? a[1] : a[0], ka = ta ? a[0] : a[1]
        let kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1]
        _ = try Self.unify(ka, kb)
        let out = [m, n]
        if let c = shape(2) {
            // C broadcasts to [M, N] (unidirectionally).
            guard c.count <= 2 else { throw ShapeConflict(reason: "Gemm C has rank \(c.count), at most 2 allowed") }
            let b2 = try Self.broadcast([out, c])
            for (x, y) in zip(out, b2) where x.fixedValue != nil && x.fixedValue != y.fixedValue {
                throw ShapeConflict(reason: "C \(TensorShape(c)) does not broadcast to [M, N] = \(TensorShape(out))")
            }
        }
        return out
    }

    func reshape() throws -> [ShapeDimension]? {
        guard let target = constInts(1) else {
            if let k = shape(1)?.first?.fixedValue, shape(1)?.count == 1 { return Array(repeating: .unknown, count: Int(k)) }
            return nil
        }
        let input = shape(0)
        let allowZero = int("allowzero", 0) != 0
        var out: [ShapeDimension] = []
        var inferred: Int?
        for (i, v) in target.enumerated() {
            if v == -1 {
                guard inferred == nil else { throw ShapeConflict(reason: "Reshape shape \(target) has more than one -1") }
                inferred = i
                out.append(.unknown)
            } else if v == 0 && !allowZero {
                if let input {
                    guard i < input.count else { throw ShapeConflict(reason: "Reshape shape \(target) copies dimension \(i) of a rank-\(input.count) input") }
                    out.append(ShapeDimension(input[i].value))
                } else {
                    out.append(.unknown)
                }
            } else if v < 0 {
                throw ShapeConflict(reason: "Reshape shape \(target) has the invalid entry \(v)")
            } else {
                out.append(.fixed(v))
            }
        }
        guard let input, let (pin, sin) = Self.factor(input) else { return out }
        var rest = out
        if let m = inferred { rest.remove(at: m) }
        guard let (pout, sout) = Self.factor(rest) else { return out }
        var remaining = sin
        for s in sout {
            guard let k = remaining.firstIndex(of: s) else { return out }
            remaining.remove(at: k)
        }
        if let m = inferred {
            guard pout != 0 else { return out }
            guard pin % pout == 0 else {
                if remaining.isEmpty { throw ShapeConflict(reason: "cannot reshape \(TensorShape(input)) to \(target)") }
                return out
            }
            let ratio = pin / pout
            if remaining.isEmpty { out[m] = .fixed(ratio) }
            else if remaining.count == 1 && ratio == 1 { out[m] = .symbolic(remaining[0]) }
        } else if remaining.isEmpty && sin.count == sout.count && pin != pout {
            throw ShapeConflict(reason: "cannot reshape \(TensorShape(input)) (\(pin) elements) to \(target) (\(pout) elements)")
        }
        return out
    }

    func flatten() throws -> [ShapeDimension]? {
        guard let s = shape(0) else { return nil }
        let a = int("axis", 1)
        let r = Int64(s.count)
        guard a >= -r && a <= r else { throw invalid("axis", "axis \(a) is out of range for rank \(s.count)") }
        let k = Int(a < 0 ? a + r : a)
        return [Self.product(s[..<k]), Self.product(s[k...])]
    }

    func transpose() throws -> [ShapeDimension]? {
        guard let s = shape(0) else { return nil }
        let perm = ints("perm") ?? (0..<Int64(s.count)).reversed()
        guard perm.count == s.count, Set(perm) == Set(0..<Int64(s.count)) else {
            throw invalid("perm", "\(perm) is not a permutation of the \(s.count) axes")
        }
        return perm.map { s[Int($0)] }
    }

    func concat() throws -> [ShapeDimension]? {
        guard let a = int("axis") else { return nil }
        let shapes = (0..<inputTypes.count).compactMap { shape($0) }
        guard let r = shapes.first?.count else { return nil }
        guard shapes.allSatisfy({ $0.count == r }) else { throw ShapeConflict(reason: "Concat inputs have different ranks") }
        let k = try axis(a, rank: r)
        var out = shapes[0]
        for s in shapes.dropFirst() {
            for i in 0..<r where i != k { out[i] = try Self.unify(out[i], s[i]) }
        }
        if shapes.count == inputTypes.count {
            var total: Int64 = 0
            var fixed = true
            for s in shapes { if let v = s[k].fixedValue { total += v } else { fixed = false } }
            out[k] = fixed ? .fixed(total) : .unknown
        } else {
            out[k] = .unknown
        }
        return out
    }

    /// Axes from input `index` (when the opset passes them as an input) or from the
    /// `axes` attribute. `.absent` when neither is given; `.unknown` for a non-constant input.
    enum Axes { case absent, unknown, known([Int64]) }
    func axesOperand(inputIndex index: Int, inputSince: Int64) -> Axes {
        if opset >= inputSince {
            guard has(index) else { return .absent }
            return constInts(index).map { .known($0) } ?? .unknown
        }
        return ints("axes").map { .known($0) } ?? .absent
    }

    func squeeze() throws -> [ShapeDimension]? {
        guard let s = shape(0) else { return nil }
        switch axesOperand(inputIndex: 1, inputSince: 13) {
        case .unknown: return nil
        case .absent:
            guard s.allSatisfy({ $0.fixedValue != nil }) else { return nil }
            return s.filter { $0.fixedValue != 1 }
        case .known(let axes):
            let ks = try Set(axes.map { try axis($0, rank: s.count, attribute: "axes") })
            for k in ks {
                if let v = s[k].fixedValue, v != 1 { throw ShapeConflict(reason: "Squeeze axis \(k) has size \(v), not 1") }
            }
            return s.enumerated().filter { !ks.contains($0.offset) }.map(\.element)
        }
    }

    func unsqueeze() throws -> [ShapeDimension]? {
        guard let s = shape(0) else { return nil }
        guard case .known(let axes) = axesOperand(inputIndex: 1, inputSince: 13) else { return nil }
        let r = s.count + axes.count
        let ks = try axes.map { try axis($0, rank: r, attribute: "axes") }
        guard Set(ks).count == ks.count else { throw invalid("axes", "\(axes) repeats an axis") }
        var it = s.makeIterator()
        return (0..<r).map { ks.contains($0) ? .fixed(1) : (it.next() ?? .unknown) }
    }

    func reduce(axesInputSince: Int64) throws -> TypeProto? {
        let keep = int("keepdims", 1) != 0
        guard let s = shape(0) else { return tensor(elem(0), nil) }
        let axes: [Int]
        switch axesOperand(inputIndex: 1, inputSince: axesInputSince) {
        case .unknown:
            return tensor(elem(0), keep ? Array(repeating: .unknown, count: s.count) : nil)
        case .absent:
            if opset >= axesInputSince && int("noop_with_empty_axes", 0) != 0 { return tensor(elem(0), s) }
            axes = Array(0..<s.count)
        case .known(let list):
            if list.isEmpty {
                if opset >= axesInputSince && int("noop_with_empty_axes", 0) != 0 { return tensor(elem(0), s) }
                axes = Array(0..<s.count)
            } else {
                axes = try list.map { try axis($0, rank: s.count, attribute: "axes") }
            }
        }
        let set = Set(axes)
        var out: [ShapeDimension] = []
        for (i, d) in s.enumerated() {
            if set.contains(i) { if keep { out.append(.fixed(1)) } } else { out.append(d) }
        }
        return tensor(elem(0), out)
    }

    func argReduce() throws -> [ShapeDimension]? {
        guard let s = shape(0) else { return nil }
        let k = try axis(int("axis", 0), rank: s.count)
        var out = s
        if int("keepdims", 1) != 0 { out[k] = .fixed(1) } else { out.remove(at: k) }
        return out
    }

    func gather() throws -> [ShapeDimension]? {
        guard let data = shape(0), let indices = shape(1) else { return nil }
        guard !data.isEmpty else { throw ShapeConflict(reason: "Gather data must have rank at least 1") }
        let k = try axis(int("axis", 0), rank: data.count)
        return Array(data[..<k]) + indices + Array(data[(k + 1)...])
    }

    func slice() throws -> [ShapeDimension]? {
        guard let s = shape(0) else { return nil }
        let starts: [Int64]?, ends: [Int64]?, axesList: [Int64]?, steps: [Int64]?
        if opset >= 10 {
            starts = constInts(1)
            ends = constInts(2)
            axesList = has(3) ? constInts(3) : (0..<Int64(starts?.count ?? ends?.count ?? 0)).map { $0 }
            steps = has(4) ? constInts(4) : starts.map { Array(repeating: 1, count: $0.count) }
        } else {
            starts = ints("starts")
            ends = ints("ends")
            axesList = ints("axes") ?? (0..<Int64(starts?.count ?? 0)).map { $0 }
            steps = starts.map { Array(repeating: 1, count: $0.count) }
        }
        guard let starts, let ends, let axesList, let steps,
              starts.count == ends.count, axesList.count == starts.count, steps.count == starts.count
        else {
            if let axesList, has(3) || opset < 10 {
                var out = s
                for a in axesList { if let k = try? axis(a, rank: s.count, attribute: "axes") { out[k] = .unknown } }
                return out
            }
            return Array(repeating: .unknown, count: s.count)
        }
        var out = s
        for i in 0..<starts.count {
            let k = try axis(axesList[i], rank: s.count, attribute: "axes")
            let step = steps[i]
            guard step != 0 else { throw ShapeConflict(reason: "Slice step 0 on axis \(k)") }
            guard let dim = s[k].fixedValue else {
                // A symbolic dim survives a slice that takes all of it.
                if step == 1 && starts[i] == 0 && ends[i] >= Int64(Int32.max) { continue }
                out[k] = .unknown
                continue
            }
            var start = starts[i], end = ends[i]
            if start < 0 { start = start &+ dim }
            if end < 0 { end = end &+ dim }
            let len: Int64
            if step > 0 {
                start = min(max(start, 0), dim)
                end = min(max(end, 0), dim)
                len = end > start ? (end - start + step - 1) / step : 0
            } else {
                start = min(max(start, 0), dim - 1)
                end = min(max(end, -1), dim - 1)
                len = start > end ? (start - end + (-step) - 1) / (-step) : 0
            }
            out[k] = .fixed(len)
        }
        return out
    }

    func shapeLength() -> ShapeDimension {
        guard let r = rank(0) else { return .unknown }
        let r64 = Int64(r)
        var start = opset >= 15 ? int("start", 0) : 0
        var end = opset >= 15 ? int("end", r64) : r64
        if start < 0 { start += r64 }
        if end < 0 { end += r64 }
        start = min(max(start, 0), r64)
        end = min(max(end, 0), r64)
        return .fixed(max(0, end - start))
    }

    func convolution(pool: Bool) throws -> [ShapeDimension]? {
        guard let x = shape(0), x.count >= 3 else { return nil }
        let n = x.count - 2
        let w = pool ? nil : shape(1)
        let kernel: [Int64]
        if let k = ints("kernel_shape") {
            kernel = k
        } else if let w, w.count == x.count, case let k = w.dropFirst(2).compactMap(\.fixedValue), k.count == n {
            kernel = k
        } else {
            let channels: ShapeDimension = pool ? x[1] : (w?.first ?? .unknown)
            return [x[0], channels] + Array(repeating: .unknown, count: n)
        }
        guard kernel.count == n else { throw invalid("kernel_shape", "\(kernel) has \(kernel.count) entries for \(n) spatial dims") }
        let strides = ints("strides") ?? Array(repeating: 1, count: n)
        let dilations = ints("dilations") ?? Array(repeating: 1, count: n)
        let pads = ints("pads") ?? Array(repeating: 0, count: 2 * n)
        guard strides.count == n, strides.allSatisfy({ $0 > 0 }) else { throw invalid("strides", "\(strides) must be \(n) positive values") }
        guard dilations.count == n, dilations.allSatisfy({ $0 > 0 }) else { throw invalid("dilations", "\(dilations) must be \(n) positive values") }
        guard pads.count == 2 * n else { throw invalid("pads", "\(pads) must have \(2 * n) entries") }
        let autoPad = string("auto_pad") ?? "NOTSET"
        let ceilMode = pool && int("ceil_mode", 0) != 0
        var out: [ShapeDimension] = [x[0]]
        if pool {
            out.append(x[1])
        } else {
            out.append(w?.first ?? .unknown)
        }
        for i in 0..<n {
            guard let size = x[i + 2].fixedValue else { out.append(.unknown); continue }
            let s = strides[i]
            let effective = dilations[i] * (kernel[i] - 1) + 1
            switch autoPad {
            case "SAME_UPPER", "SAME_LOWER":
                out.append(.fixed((size + s - 1) / s))
            case "VALID":
                out.append(.fixed(size < effective ? 0 : (size - effective) / s + 1))
            default:
                let span = size + pads[i] + pads[i + n] - effective
                guard span >= 0 else { throw ShapeConflict(reason: "kernel \(effective) is larger than padded input \(size + pads[i] + pads[i + n])") }
                if ceilMode {
                    let o = (span + s - 1) / s + 1
                    // When the last window would start in the end padding, onnxruntime drops
                    // it and onnx's shape inference keeps it: leave that size open.
                    out.append((o - 1) * s >= size + pads[i] ? .unknown : .fixed(o))
                } else {
                    out.append(.fixed(span / s + 1))
                }
            }
        }
        return out
    }

    func constantType() -> TypeProto? {
        if let t = attributes["value"]?.tensorValue { return tensor(t.dataType, t.dims.map { .fixed($0) }) }
        if case .sparseTensor(let st)? = attributes["sparse_value"] { return tensor(st.values?.dataType, st.dims.map { .fixed($0) }) }
        if attributes["value_float"] != nil { return tensor(.float, []) }
        if let v = attributes["value_floats"]?.floatsValue { return tensor(.float, [.fixed(Int64(v.count))]) }
        if attributes["value_int"] != nil { return tensor(.int64, []) }
        if let v = attributes["value_ints"]?.intsValue { return tensor(.int64, [.fixed(Int64(v.count))]) }
        if attributes["value_string"] != nil { return tensor(.string, []) }
        if let v = attributes["value_strings"]?.stringsValue { return tensor(.string, [.fixed(Int64(v.count))]) }
        return nil
    }

    func split() throws -> [TypeProto?] {
        let e = elem(0)
        guard let s = shape(0) else { return Array(repeating: tensor(e, nil), count: outputCount) }
        let k = try axis(int("axis", 0), rank: s.count)
        var sizes: [Int64]?
        if opset >= 13 {
            if has(1) {
                guard let c = constInts(1) else {
                    return Array(repeating: tensor(e, s.enumerated().map { $0.offset == k ? .unknown : $0.element }), count: outputCount)
                }
                sizes = c
            }
        } else {
            sizes = ints("split")
        }
        func with(_ d: ShapeDimension) -> TypeProto? { var o = s; o[k] = d; return tensor(e, o) }
        if let sizes {
            guard sizes.count == outputCount else { throw ShapeConflict(reason: "Split sizes \(sizes) do not match \(outputCount) outputs") }
            if let total = s[k].fixedValue, sizes.reduce(0, +) != total {
                throw ShapeConflict(reason: "Split sizes \(sizes) do not add up to dimension \(total)")
            }
            return sizes.map { with(.fixed($0)) }
        }
        guard let total = s[k].fixedValue else { return Array(repeating: with(.unknown), count: outputCount) }
        let parts = Int64(outputCount)
        if opset >= 18, int("num_outputs") != nil {
            let chunk = (total + parts - 1) / parts
            return (0..<parts).map { i in with(.fixed(max(0, min(chunk, total - i * chunk)))) }
        }
        guard total % parts == 0 else { throw ShapeConflict(reason: "dimension \(total) does not split evenly into \(outputCount) outputs") }
        return Array(repeating: with(.fixed(total / parts)), count: outputCount)
    }

    func topK() throws -> [ShapeDimension]? {
        guard let s = shape(0) else { return nil }
        let k = try axis(int("axis", -1), rank: s.count)
        let kValue: Int64? = opset >= 10 ? constInts(1)?.first : int("k")
        var out = s
        out[k] = kValue.map { .fixed($0) } ?? .unknown
        return out
    }

    func pad() throws -> [ShapeDimension]? {
        guard let s = shape(0) else { return nil }
        let pads: [Int64]?
        if opset >= 11 { pads = constInts(1) } else { pads = ints("pads") ?? ints("paddings") }
        guard let pads else { return Array(repeating: .unknown, count: s.count) }
        var axes = Array(0..<s.count)
        if opset >= 18, has(3) {
            guard let a = constInts(3) else { return Array(repeating: .unknown, count: s.count) }
            axes = try a.map { try axis($0, rank: s.count, attribute: "axes") }
        }
        guard pads.count == 2 * axes.count else { throw ShapeConflict(reason: "Pad pads \(pads) must have \(2 * axes.count) entries") }
        var out = s
        for (j, k) in axes.enumerated() {
            let added = pads[j] + pads[j + axes.count]
            if added == 0 { continue }
            out[k] = s[k].fixedValue.map { .fixed($0 + added) } ?? .unknown
        }
        return out
    }

    func ifOutputs() throws -> [TypeProto?] {
        guard case .graph(let thenG)? = attributes["then_branch"], case .graph(let elseG)? = attributes["else_branch"] else { return [] }
        for (name, g) in [("then_branch", thenG), ("else_branch", elseG)] where g.output.count != outputCount {
            throw invalid(name, "the branch produces \(g.output.count) outputs but the node has \(outputCount)")
        }
        return zip(thenG.output, elseG.output).map { a, b in Self.mergeBranch(a.type, b.type) }
    }

    /// The type both branches agree on: element type when equal, dims where equal.
    static func mergeBranch(_ a: TypeProto?, _ b: TypeProto?) -> TypeProto? {
        guard let a, let b else { return a ?? b }
        guard case .tensor(let ea, let sa, _) = a.value, case .tensor(let eb, let sb, _) = b.value else { return a == b ? a : nil }
        let e = (ea == eb) ? ea : nil
        var dims: [ShapeDimension]?
        if let sa, let sb, sa.rank == sb.rank {
            dims = zip(sa.dims, sb.dims).map { $0.value == $1.value ? ShapeDimension($0.value) : .unknown }
        }
        return TypeProto(.tensor(elemType: e, shape: dims.map { TensorShape($0) }))
    }

    func loopOutputs() throws -> [TypeProto?] {
        guard case .graph(let body)? = attributes["body"] else { return [] }
        let carried = max(0, inputTypes.count - 2)
        let scans = body.output.count - 1 - carried
        guard scans >= 0, outputCount == carried + scans else {
            throw invalid("body", "the body has \(body.output.count) outputs; with \(carried) carried values the node needs \(max(0, body.output.count - 1)) outputs and has \(outputCount)")
        }
        var out: [TypeProto?] = []
        for i in 0..<carried { out.append(body.output[1 + i].type ?? type(2 + i)) }
        for j in 0..<scans {
            let t = body.output[1 + carried + j].type
            if let t, case .tensor(let e, let s, _) = t.value {
                out.append(tensor(e, s.map { [.unknown] + $0.dims }))
            } else {
                out.append(nil)
            }
        }
        return out
    }
}
