import ONNX

/// MaxUnpool: scatters X into zeros at the flat indices I (as MaxPool returns them:
/// flat over the whole [N, C, D...] tensor) of the inferred shape
/// (in - 1) * stride - pad_begin - pad_end + kernel per spatial axis. With `output_shape`,
/// that result sits in the leading corner of a zero tensor of the given (not smaller)
/// shape, as onnx's reference and backend tests define it.
struct MaxUnpool: Operator {
    static let opType = "MaxUnpool"
    static let sinceVersions: [Int64] = [9, 11, 22]
    let kernel: [Int]
    let pads: [Int]?
    let strides: [Int]?

    init(_ c: OpContext) throws {
        kernel = try c.ints("kernel_shape").map { Int($0) }
        pads = try c.intsIfPresent("pads").map { $0.map { Int($0) } }
        strides = try c.intsIfPresent("strides").map { $0.map { Int($0) } }
        guard !kernel.isEmpty, kernel.allSatisfy({ $0 >= 1 }) else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "kernel_shape", message: "must be positive, got \(kernel)")
        }
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0), ind = try context.tensor(inputs, 1)
        let nd = kernel.count
        guard x.rank == nd + 2 else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "X \(x.shape) does not fit kernel_shape \(kernel)")
        }
        guard ind.shape == x.shape else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "I \(ind.shape) must have X's shape \(x.shape)")
        }
        guard ind.dataType == .int64 else { throw InterpreterError.unsupportedType(ind.dataType, context: "\(context.nodeName) I") }
        let st = strides ?? [Int](repeating: 1, count: nd)
        let pd = pads ?? [Int](repeating: 0, count: 2 * nd)
        guard st.count == nd, st.allSatisfy({ $0 >= 1 }) else { throw context.invalid("strides \(st) do not fit \(nd) spatial axes") }
        guard pd.count == 2 * nd, pd.allSatisfy({ $0 >= 0 }) else { throw context.invalid("pads \(pd) do not fit \(nd) spatial axes") }
        var inferred = [x.shape[0], x.shape[1]]
        for i in 0..<nd {
            let d = (x.shape[i + 2] - 1) * st[i] - pd[i] - pd[nd + i] + kernel[i]
            guard d >= 0 else { throw context.invalid("the unpooled extent of axis \(i + 2) is negative") }
            inferred.append(d)
        }
        var outShape = inferred
        if let os = try context.optionalTensor(inputs, 2) {
            let s = try os.ints()
            guard s.count == x.rank else { throw context.invalid("output_shape \(s) must have \(x.rank) values") }
            guard zip(s, inferred).allSatisfy({ $0 >= $1 }) else {
                throw context.invalid("output_shape \(s) is smaller than the unpooled shape \(inferred)")
            }
            outShape = s
        }
        let total = try MiscSupport.count(outShape, context)
        let inferredCount = inferred.reduce(1, *)
        // Flat index in the inferred tensor -> flat index in the output tensor.
        let inStrides = TensorValue.strides(for: inferred), outStrides = TensorValue.strides(for: outShape)
        func place(_ flat: Int) -> Int {
            var rest = flat, o = 0
            for d in 0..<inferred.count { o += (rest / inStrides[d]) * outStrides[d]; rest %= inStrides[d] }
            return o
        }
        let idx = try ind.int64s()
        var target = [Int](repeating: 0, count: idx.count)
        for (k, i) in idx.enumerated() {
            guard i >= 0, i < Int64(inferredCount) else {
                throw context.invalid("index \(i) is outside the unpooled tensor of \(inferredCount) elements")
            }
            target[k] = outShape == inferred ? Int(i) : place(Int(i))
        }
        // Scatter with the element type kept: start from zeros, write X's elements.
        func scatter<T>(_ src: [T], _ zero: T) -> [T] {
            var y = [T](repeating: zero, count: total)
            for k in src.indices { y[target[k]] = src[k] }
            return y
        }
        let storage: TensorStorage
        switch x.storage {
        case .float(let a): storage = .float(scatter(a, 0))
        case .double(let a): storage = .double(scatter(a, 0))
        case .float16(let a): storage = .float16(scatter(a, 0))
        case .bfloat16(let a): storage = .bfloat16(scatter(a, BFloat16(bits: 0)))
        case .int8(let a): storage = .int8(scatter(a, 0))
        case .int16(let a): storage = .int16(scatter(a, 0))
        case .int32(let a): storage = .int32(scatter(a, 0))
        case .int64(let a): storage = .int64(scatter(a, 0))
        case .uint8(let a): storage = .uint8(scatter(a, 0))
        case .uint16(let a): storage = .uint16(scatter(a, 0))
        case .uint32(let a): storage = .uint32(scatter(a, 0))
        case .uint64(let a): storage = .uint64(scatter(a, 0))
        default: throw InterpreterError.unsupportedType(x.dataType, context: "\(context.nodeName) X")
        }
        return [.tensor(TensorValue(unchecked: x.dataType, shape: outShape, storage: storage))]
    }
}
