/// Clip: x limited to [min, max] (where min > max, every element becomes max; NaN
/// stays NaN). Opsets 1 and 6 take the bounds as attributes, opset 11+ as optional
/// scalar inputs (integer types from opset 12; unsigned 64-bit compares as unsigned).
struct Clip: Operator {
    static let opType = "Clip"
    static let sinceVersions: [Int64] = [1, 6, 11, 12, 13]
    let attributeMin: Float?
    let attributeMax: Float?
    let boundsAreInputs: Bool

    init(_ c: OpContext) throws {
        boundsAreInputs = c.sinceVersion >= 11
        if boundsAreInputs {
            attributeMin = nil
            attributeMax = nil
        } else {
            attributeMin = c.value("min") == nil ? nil : try c.float("min")
            attributeMax = c.value("max") == nil ? nil : try c.float("max")
        }
    }

    @inline(__always) static func clip<T: Comparable>(_ x: T, _ lo: T?, _ hi: T?) -> T {
        var v = x
        if let lo, v < lo { v = lo }
        if let hi, v > hi { v = hi }
        return v
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        var lo: TensorValue?, hi: TensorValue?
        if boundsAreInputs {
            lo = try context.optionalTensor(inputs, 1)
            hi = try context.optionalTensor(inputs, 2)
            for (name, b) in [("min", lo), ("max", hi)] {
                guard let b else { continue }
                guard b.count == 1 else { throw context.invalid("\(name) must be a scalar, got shape \(b.shape)") }
                guard b.dataType == x.dataType else { throw context.invalid("\(name) is \(b.dataType) but input is \(x.dataType)") }
            }
        } else {
            lo = attributeMin.map { TensorValue(floats: [$0], shape: []) }
            hi = attributeMax.map { TensorValue(floats: [$0], shape: []) }
        }
        switch Arithmetic.family(x.dataType) {
        case .float?:
            let l = try lo?.floats().first, h = try hi?.floats().first
            if case .float(let a) = x.storage { return [.tensor(TensorValue(floats: a.map { Clip.clip($0, l, h) }, shape: x.shape))] }
            return [.tensor(try .converting(try x.floats().map { Clip.clip($0, l, h) }, to: x.dataType, shape: x.shape))]
        case .double?:
            let l = try lo?.doubles().first, h = try hi?.doubles().first
            return [.tensor(TensorValue(doubles: try x.doubles().map { Clip.clip($0, l, h) }, shape: x.shape))]
        case .integer?:
            if let a = Arithmetic.uint64s(x) {
                let l = try lo.map { UInt64(bitPattern: try $0.int64s()[0]) }, h = try hi.map { UInt64(bitPattern: try $0.int64s()[0]) }
                return [.tensor(TensorValue(unchecked: .uint64, shape: x.shape, storage: .uint64(a.map { Clip.clip($0, l, h) })))]
            }
            let l = try lo?.int64s().first, h = try hi?.int64s().first
            return [.tensor(try Arithmetic.integerTensor(try x.int64s().map { Clip.clip($0, l, h) }, x.dataType, x.shape))]
        default:
            throw Arithmetic.unsupported(x.dataType, context)
        }
    }
}
