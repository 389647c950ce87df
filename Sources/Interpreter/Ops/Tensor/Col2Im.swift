import ONNX

/// Col2Im: sums sliding blocks [N, C·∏block, L] back into an image [N, C, image...]
/// (the inverse of im2col), with dilations, pads and strides.
struct Col2Im: Operator {
    static let opType = "Col2Im"
    static let sinceVersions: [Int64] = [18]
    let dilations: [Int64]?
    let pads: [Int64]?
    let strides: [Int64]?
    init(_ c: OpContext) throws {
        dilations = try c.intsIfPresent("dilations")
        pads = try c.intsIfPresent("pads")
        strides = try c.intsIfPresent("strides")
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let image = try context.tensor(inputs, 1).ints()
        let block = try context.tensor(inputs, 2).ints()
        let nd = image.count
        guard nd > 0, block.count == nd, x.rank == 3 else { throw context.invalid("input must be [N, C*prod(block), L] with matching image and block shapes") }
        let dil = dilations.map { $0.map { Int($0) } } ?? [Int](repeating: 1, count: nd)
        let pad = pads.map { $0.map { Int($0) } } ?? [Int](repeating: 0, count: 2 * nd)
        let str = strides.map { $0.map { Int($0) } } ?? [Int](repeating: 1, count: nd)
        guard dil.count == nd, pad.count == 2 * nd, str.count == nd,
              dil.allSatisfy({ $0 > 0 }), str.allSatisfy({ $0 > 0 }), block.allSatisfy({ $0 > 0 }), image.allSatisfy({ $0 >= 0 }) else {
            throw context.invalid("dilations, pads or strides do not fit \(nd) spatial axes")
        }
        try TensorSupport.bounded(dil + pad + str + block + image, "Col2Im parameter", context.nodeName, limit: 1 << 30)
        let kernel = try TensorSupport.count(block, context.nodeName)
        _ = try TensorSupport.count(image, context.nodeName)
        let (n, ck, l) = (x.shape[0], x.shape[1], x.shape[2])
        guard ck % kernel == 0 else { throw context.invalid("dimension 1 (\(ck)) is not a multiple of the block size \(kernel)") }
        let c = ck / kernel
        var blocks: [Int] = []
        for d in 0..<nd {
            let span = image[d] + pad[d] + pad[nd + d] - dil[d] * (block[d] - 1) - 1
            blocks.append(span < 0 ? 0 : span / str[d] + 1)
        }
        guard blocks.reduce(1, *) == l else { throw context.invalid("L = \(l) does not match \(blocks.reduce(1, *)) blocks") }
        let src = try x.doubles()
        let pixels = image.reduce(1, *)
        let imgStrides = TensorValue.strides(for: image)
        var out = [Double](repeating: 0, count: try TensorSupport.count([n, c] + image, context.nodeName))
        // Offsets of each kernel position and block position, per axis.
        var targets = [Int](repeating: -1, count: kernel * l)
        var kIdx = 0
        TensorSupport.forEachIndex(block) { kp in
            var lIdx = 0
            TensorSupport.forEachIndex(blocks) { bp in
                var flat = 0
                for d in 0..<nd {
                    let p = bp[d] * str[d] - pad[d] + kp[d] * dil[d]
                    if p < 0 || p >= image[d] { flat = -1; break }
                    flat += p * imgStrides[d]
                }
                targets[kIdx * l + lIdx] = flat
                lIdx += 1
            }
            kIdx += 1
        }
        for b in 0..<n {
            for ch in 0..<c {
                let outBase = (b * c + ch) * pixels
                for k in 0..<kernel {
                    let inBase = ((b * ck) + ch * kernel + k) * l
                    for j in 0..<l {
                        let t = targets[k * l + j]
                        if t >= 0 { out[outBase + t] += src[inBase + j] }
                    }
                }
            }
        }
        return [.tensor(try .converting(out, to: x.dataType, shape: [n, c] + image))]
    }
}
