/// DepthToSpace: moves blocks of channels into spatial blocks of a 4-D NCHW tensor, in
/// DCR (depth-column-row, the default) or CRD order (opset 11+).
struct DepthToSpace: Operator {
    static let opType = "DepthToSpace"
    static let sinceVersions: [Int64] = [1, 11, 13, 28]
    let blocksize: Int
    let crd: Bool
    init(_ c: OpContext) throws {
        blocksize = Int(try c.int("blocksize"))
        let mode = c.sinceVersion >= 11 ? try c.string("mode", default: "DCR") : "DCR"
        guard mode == "DCR" || mode == "CRD" else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "mode", message: "unsupported mode '\(mode)'")
        }
        guard blocksize > 0, blocksize <= 1 << 20 else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "blocksize", message: "must be in [1, 2^20]") }
        crd = mode == "CRD"
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        guard x.rank == 4 else { throw context.invalid("input must be 4-D, is \(x.shape)") }
        let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let bs = blocksize
        guard c % (bs * bs) == 0 else { throw context.invalid("channels \(c) are not a multiple of blocksize² \(bs * bs)") }
        let oc = c / (bs * bs)
        let view: [Int], perm: [Int]
        if crd {
            view = [b, oc, bs, bs, h, w]; perm = [0, 1, 4, 2, 5, 3]
        } else {
            view = [b, bs, bs, oc, h, w]; perm = [0, 3, 4, 1, 5, 2]
        }
        let t = TensorSupport.transposed(try x.reshaped(view), perm: perm)
        return [.tensor(try t.reshaped([b, oc, h * bs, w * bs]))]
    }
}
