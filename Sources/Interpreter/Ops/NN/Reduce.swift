import ONNX
#if canImport(Glibc)
import Glibc
#endif

/// The machinery of the Reduce* ops: axes from the attribute (before the version that
/// moved them to an input: 13 for ReduceSum, 18 for the others) or from input 1,
/// keepdims, noop_with_empty_axes, and the value of an empty reduction (sum 0,
/// product 1, max -inf, min +inf, mean NaN, log-sum -inf).
struct Reduction {
    enum Kind { case sum, mean, max, min, prod, l1, l2, logSum, logSumExp, sumSquare }
    let kind: Kind
    let keepDims: Bool
    let noopWithEmptyAxes: Bool
    /// The axes attribute (nil: absent); unused when axes come from the input.
    let axesAttribute: [Int64]?
    let axesFromInput: Bool

    init(_ c: OpContext, _ kind: Kind, inputSince: Int64) throws {
        self.kind = kind
        keepDims = try c.int("keepdims", default: 1) != 0
        axesFromInput = c.sinceVersion >= inputSince
        noopWithEmptyAxes = axesFromInput ? try c.int("noop_with_empty_axes", default: 0) != 0 : false
        axesAttribute = axesFromInput ? nil : try c.intsIfPresent("axes")
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        var axes: [Int64] = axesAttribute ?? []
        if axesFromInput, let t = try context.optionalTensor(inputs, 1) { axes = try t.int64s() }
        if axes.isEmpty && noopWithEmptyAxes { return [.tensor(x)] }
        let rank = x.rank
        var reduced = [Bool](repeating: axes.isEmpty, count: rank)
        for a in axes {
            let k = try NN.axis(a, rank: rank, context)
            if k < rank { reduced[k] = true }
        }
        var outShape: [Int] = []
        var keptShape: [Int] = []
        for d in 0..<rank {
            if reduced[d] { keptShape.append(1); if keepDims { outShape.append(1) } } else { keptShape.append(x.shape[d]); outShape.append(x.shape[d]) }
        }
        let outCount = keptShape.reduce(1, *)
        // Output index of every input element.
        let keptStrides = TensorValue.strides(for: keptShape)
        var map = [Int](repeating: 0, count: x.count)
        if x.count > 0 {
            var idx = [Int](repeating: 0, count: rank)
            var o = 0
            for i in 0..<x.count {
                map[i] = o
                var d = rank - 1
                while d >= 0 {
                    idx[d] += 1
                    if !reduced[d] { o += keptStrides[d] }
                    if idx[d] < x.shape[d] { break }
                    if !reduced[d] { o -= keptStrides[d] * idx[d] }
                    idx[d] = 0
                    d -= 1
                }
            }
        }
        let groupSize = outCount > 0 ? x.count / outCount : 0
        switch x.dataType {
        case .float, .double, .float16, .bfloat16:
            let r = reduceReal(try x.doubles(), map, outCount, groupSize)
            return [.tensor(try .converting(r, to: x.dataType, shape: outShape))]
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .bool:
            switch kind {
            case .sum, .mean, .max, .min, .prod, .l1, .sumSquare:
                var r = reduceInt(try x.int64s(), map, outCount, groupSize, x.dataType)
                if kind == .mean { r = r.map { groupSize > 0 ? $0 / Int64(groupSize) : 0 } }
                return [.tensor(try .converting(r, to: x.dataType, shape: outShape))]
            default:
                let r = reduceReal(try x.doubles(), map, outCount, groupSize)
                return [.tensor(try .converting(r, to: x.dataType, shape: outShape))]
            }
        default:
            throw InterpreterError.unsupportedType(x.dataType, context: context.nodeName)
        }
    }

    private func reduceReal(_ v: [Double], _ map: [Int], _ n: Int, _ groupSize: Int) -> [Double] {
        switch kind {
        case .sum, .mean, .l1, .l2, .sumSquare, .logSum:
            var acc = [Double](repeating: 0, count: n)
            switch kind {
            case .l1: for i in v.indices { acc[map[i]] += abs(v[i]) }
            case .l2, .sumSquare: for i in v.indices { acc[map[i]] += v[i] * v[i] }
            default: for i in v.indices { acc[map[i]] += v[i] }
            }
            switch kind {
            case .mean: return acc.map { $0 / Double(groupSize) }
            case .l2: return acc.map { $0.squareRoot() }
            case .logSum: return acc.map { Glibc.log($0) }
            default: return acc
            }
        case .prod:
            var acc = [Double](repeating: 1, count: n)
            for i in v.indices { acc[map[i]] *= v[i] }
            return acc
        case .max, .logSumExp:
            var acc = [Double](repeating: -.infinity, count: n)
            for i in v.indices where v[i] > acc[map[i]] || v[i].isNaN { acc[map[i]] = v[i] }
            if kind == .max { return acc }
            var s = [Double](repeating: 0, count: n)
            for i in v.indices {
                let m = acc[map[i]]
                s[map[i]] += m.isFinite ? Glibc.exp(v[i] - m) : Glibc.exp(v[i])
            }
            return (0..<n).map { acc[$0].isFinite ? acc[$0] + Glibc.log(s[$0]) : Glibc.log(s[$0]) }
        case .min:
            var acc = [Double](repeating: .infinity, count: n)
            for i in v.indices where v[i] < acc[map[i]] || v[i].isNaN { acc[map[i]] = v[i] }
            return acc
        }
    }

    private func reduceInt(_ v: [Int64], _ map: [Int], _ n: Int, _ groupSize: Int, _ type: DataType) -> [Int64] {
        let (lo, hi) = Reduction.range(type)
        switch kind {
        case .prod:
            var acc = [Int64](repeating: 1, count: n)
            for i in v.indices { acc[map[i]] = acc[map[i]] &* v[i] }
            return acc
        case .max:
            var acc = [Int64](repeating: lo, count: n)
            for i in v.indices where v[i] > acc[map[i]] { acc[map[i]] = v[i] }
            return acc
        case .min:
            var acc = [Int64](repeating: hi, count: n)
            for i in v.indices where v[i] < acc[map[i]] { acc[map[i]] = v[i] }
            return acc
        default:
            var acc = [Int64](repeating: 0, count: n)
            switch kind {
            case .l1: for i in v.indices { acc[map[i]] = acc[map[i]] &+ (v[i] < 0 ? 0 &- v[i] : v[i]) }
            case .sumSquare: for i in v.indices { acc[map[i]] = acc[map[i]] &+ v[i] &* v[i] }
            default: for i in v.indices { acc[map[i]] = acc[map[i]] &+ v[i] }
            }
            return acc
        }
    }

    /// The smallest and largest value of an integer type (the empty max and min).
    static func range(_ t: DataType) -> (Int64, Int64) {
        switch t {
        case .int8: return (Int64(Int8.min), Int64(Int8.max))
        case .int16: return (Int64(Int16.min), Int64(Int16.max))
        case .int32: return (Int64(Int32.min), Int64(Int32.max))
        case .uint8: return (0, Int64(UInt8.max))
        case .uint16: return (0, Int64(UInt16.max))
        case .uint32: return (0, Int64(UInt32.max))
        case .uint64: return (0, -1)
        case .bool: return (0, 1)
        default: return (Int64.min, Int64.max)
        }
    }
}
