/// SpaceToDepth: moves spatial blocks of a 4-D NCHW tensor into channels (the inverse of
/// DepthToSpace); opset 28 adds the CRD order, DCR is the default.
struct SpaceToDepth: Operator {
    static let opType = "SpaceToDepth"
    static let sinceVersions: [Int64] = [1, 13, 28]
    let blocksize: Int
    let crd: Bool
    init(_ c: OpContext) throws {
        blocksize = Int(try c.int("blocksize"))
        let mode = c.sinceVersion >= 28 ? try c.string("mode", default: "DCR") : "DCR"
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
        guard h % bs == 0, w % bs == 0 else { throw context.invalid("spatial size \(h)x\(w) is not a multiple of blocksize \(bs)") }
        let view = [b, c, h / bs, bs, w / bs, bs]
        let perm = crd ? [0, 1, 3, 5, 2, 4] : [0, 3, 5, 1, 2, 4]
        let t = TensorSupport.transposed(try x.reshaped(view), perm: perm)
        return [.tensor(try t.reshaped([b, c * bs * bs, h / bs, w / bs]))]
    }
}
