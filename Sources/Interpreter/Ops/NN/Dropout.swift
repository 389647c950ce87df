import ONNX

/// Dropout: the identity (mask all true) in inference and for ratio 0. In training mode
/// (12+: the training_mode input) with a positive ratio it keeps an element when a
/// uniform draw is >= ratio and scales kept ones by 1 / (1 - ratio); with the seed
/// attribute the draws are numpy's RandomState(seed).uniform (MT19937), as onnx's
/// reference evaluator makes them. Versions before 12 always run in inference mode.
struct Dropout: Operator {
    static let opType = "Dropout"
    static let sinceVersions: [Int64] = [1, 6, 7, 10, 12, 13, 22]
    let seed: Int64?
    let boolMask: Bool
    let trainingInputs: Bool
    let attributeRatio: Float

    init(_ c: OpContext) throws {
        seed = c.sinceVersion >= 12 && c.has("seed") ? try c.int("seed") : nil
        boolMask = c.sinceVersion >= 10
        trainingInputs = c.sinceVersion >= 12
        attributeRatio = c.sinceVersion < 12 ? try c.float("ratio", default: 0.5) : 0.5
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        var ratio = Double(attributeRatio)
        var training = false
        if trainingInputs {
            if let r = try context.optionalTensor(inputs, 1) {
                let v = try r.doubles()
                guard v.count == 1 else { throw context.invalid("ratio must be a scalar") }
                ratio = v[0]
            }
            if let t = try context.optionalTensor(inputs, 2) {
                let v = try t.bools()
                guard v.count == 1 else { throw context.invalid("training_mode must be a scalar") }
                training = v[0]
            }
        }
        if !training || ratio == 0 {
            let mask: TensorValue = boolMask
                ? TensorValue(bools: [Bool](repeating: true, count: x.count), shape: x.shape)
                : try .converting([Double](repeating: 1, count: x.count), to: x.dataType, shape: x.shape)
            return [.tensor(x), .tensor(mask)]
        }
        guard ratio >= 0, ratio < 1 else { throw context.invalid("ratio \(ratio) must be in [0, 1)") }
        guard NN.isReal(x.dataType) else { throw InterpreterError.unsupportedType(x.dataType, context: "Dropout") }
        var rng = MersenneTwister(seed: UInt32(truncatingIfNeeded: seed ?? Int64(UInt32.random(in: 0...UInt32.max))))
        let xv = try x.doubles()
        var keep = [Bool](repeating: false, count: xv.count)
        var y = [Double](repeating: 0, count: xv.count)
        let s = 1 / (1 - ratio)
        for i in xv.indices {
            keep[i] = rng.nextDouble() >= ratio
            if keep[i] { y[i] = xv[i] * s }
        }
        return [.tensor(try .converting(y, to: x.dataType, shape: x.shape)), .tensor(TensorValue(bools: keep, shape: x.shape))]
    }
}

/// MT19937 seeded like numpy's legacy RandomState(int), with its 53-bit doubles.
struct MersenneTwister {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    init(seed: UInt32) {
        state[0] = seed
        for i in 1..<624 { state[i] = 1812433253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i) }
    }

    mutating func next() -> UInt32 {
        if index >= 624 {
            for i in 0..<624 {
                let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
                var v = state[(i + 397) % 624] ^ (y >> 1)
                if y & 1 != 0 { v ^= 0x9908_B0DF }
                state[i] = v
            }
            index = 0
        }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    mutating func nextDouble() -> Double {
        let a = Double(next() >> 5), b = Double(next() >> 6)
        return (a * 67108864 + b) / 9007199254740992
    }
}
