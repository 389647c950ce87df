import ONNX

/// TensorScatter: writes `update` into a copy of `past_cache` along `axis` (default
/// -2; not the batch axis), at offset write_indices[b] for batch b (0 when omitted).
/// Mode linear requires the writes to fit; circular wraps them modulo the cache
/// length.
struct TensorScatter: Operator {
    static let opType = "TensorScatter"
    static let sinceVersions: [Int64] = [24]
    let circular: Bool
    let axis: Int64
    init(_ c: OpContext) throws {
        let m = try c.string("mode", default: "linear")
        guard m == "linear" || m == "circular" else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "mode", message: "'\(m)' is not linear or circular")
        }
        circular = m == "circular"
        axis = try c.int("axis", default: -2)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let past = try context.tensor(inputs, 0), update = try context.tensor(inputs, 1)
        let writeT = try context.optionalTensor(inputs, 2)
        guard past.dataType == update.dataType else {
            throw context.invalid("past_cache is \(past.dataType) but update is \(update.dataType)")
        }
        guard past.rank >= 2, update.rank == past.rank else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "past_cache \(past.shape) and update \(update.shape) must have the same rank, at least 2")
        }
        let ax = try MiscSupport.axis(axis, rank: past.rank, context)
        guard ax > 0 else { throw context.invalid("axis \(axis) is the batch axis") }
        for i in 0..<past.rank where i != ax && past.shape[i] != update.shape[i] {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "update \(update.shape) does not match past_cache \(past.shape) outside axis \(ax)")
        }
        let maxLen = past.shape[ax], seqLen = update.shape[ax]
        guard seqLen <= maxLen else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "update \(update.shape) is longer than past_cache \(past.shape) on axis \(ax)")
        }
        let batch = past.shape[0]
        var offsets = [Int](repeating: 0, count: batch)
        if let w = writeT {
            guard w.shape == [batch] else { throw InterpreterError.shapeMismatch(node: context.nodeName, message: "write_indices \(w.shape) is not [\(batch)]") }
            let v = try w.int64s()
            for b in 0..<batch {
                guard v[b] >= 0, v[b] <= Int64(maxLen) else { throw context.invalid("write index \(v[b]) is outside [0, \(maxLen)]") }
                offsets[b] = Int(v[b])
                if !circular && offsets[b] + seqLen > maxLen {
                    throw context.invalid("writing \(seqLen) entries at \(offsets[b]) overruns the cache length \(maxLen)")
                }
            }
        }
        if past.count == 0 || update.count == 0 { return [.tensor(past)] }
        // Source map into the concatenation past ++ update.
        let inner = past.shape[(ax + 1)...].reduce(1, *)
        let perBatch = past.shape[1..<ax].reduce(1, *)
        var src = Array(0..<past.count)
        let pastCount = past.count
        for b in 0..<batch {
            for m in 0..<perBatch {
                let prefix = b * perBatch + m
                for s in 0..<seqLen {
                    var dst = offsets[b] + s
                    if circular { dst %= maxLen }
                    let to = (prefix * maxLen + dst) * inner
                    let from = (prefix * seqLen + s) * inner
                    for i in 0..<inner { src[to + i] = pastCount + from + i }
                }
            }
        }
        guard let joined = TensorStorage.concatenated([past.storage, update.storage]) else {
            throw context.invalid("past_cache and update have different storage")
        }
        let all = TensorValue(unchecked: past.dataType, shape: [pastCount + update.count], storage: joined)
        return [.tensor(all.gathered(src, shape: past.shape))]
    }
}
