import ONNX

/// Where each element of x finds its scale and zero point in QuantizeLinear and
/// DequantizeLinear: one for the whole tensor (a scalar or one-element parameter),
/// one per slice along `axis` (a 1-D parameter of x's size there), or one per block
/// of `block_size` elements along `axis` (a parameter of x's rank whose `axis`
/// dimension is ceil(size / block_size) and whose other dimensions equal x's).
struct QuantizationLayout {
    enum Kind {
        case perTensor
        case perAxis(inner: Int, dim: Int)
        case blocked(inner: Int, dim: Int, block: Int, paramDim: Int)
    }
    let kind: Kind

    /// One parameter for every element.
    static let perTensor = QuantizationLayout(kind: .perTensor)

    private init(kind: Kind) { self.kind = kind }

    init(x: [Int], parameter p: [Int], axis: Int64, blockSize: Int64, name: String, _ context: RunContext) throws {
        if p.reduce(1, *) == 1 {
            kind = .perTensor
            return
        }
        let rank = x.count
        let ax = axis < 0 ? Int(axis) + rank : Int(axis)
        guard ax >= 0, ax < rank else { throw context.invalid("axis \(axis) is out of range for rank \(rank)") }
        let inner = x[(ax + 1)...].reduce(1, *), dim = x[ax]
        if blockSize <= 0 {
            guard p.count == 1, p[0] == dim else {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "\(name) \(p) must be a scalar or have \(dim) elements (axis \(ax) of \(x))")
            }
            kind = .perAxis(inner: inner, dim: dim)
        } else {
            let block = Int(blockSize)
            let blocks = dim == 0 ? 0 : (dim - 1) / block + 1
            var expected = x
            expected[ax] = blocks
            guard p == expected else {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "\(name) \(p) must be \(expected) for blocks of \(block) along axis \(ax) of \(x)")
            }
            kind = .blocked(inner: inner, dim: dim, block: block, paramDim: blocks)
        }
    }

    /// The parameter index for the element at flat index `i` of x.
    @inline(__always) func index(_ i: Int) -> Int {
        switch kind {
        case .perTensor:
            return 0
        case .perAxis(let inner, let dim):
            return (i / inner) % dim
        case .blocked(let inner, let dim, let block, let paramDim):
            let outer = i / (inner * dim), a = (i / inner) % dim, r = i % inner
            return (outer * paramDim + a / block) * inner + r
        }
    }

    /// The value range of an integer quantized type.
    static func integerRange(_ t: DataType) -> (Double, Double)? {
        switch t {
        case .uint8: return (0, 255)
        case .int8: return (-128, 127)
        case .uint16: return (0, 65535)
        case .int16: return (-32768, 32767)
        case .uint4: return (0, 15)
        case .int4: return (-8, 7)
        case .uint2: return (0, 3)
        case .int2: return (-2, 1)
        default: return nil
        }
    }
}
