import ONNX

/// Writing updates into a copy of data at computed flat positions, with the reduction
/// modes of ScatterND / ScatterElements (none, add, mul, max, min).
enum ScatterSupport {
    enum Reduction: String { case none, add, mul, max, min }

    static func reduction(_ c: OpContext) throws -> Reduction {
        guard c.sinceVersion >= 16 else { return .none }
        let s = try c.string("reduction", default: "none")
        guard let r = Reduction(rawValue: s), c.sinceVersion >= 18 || (r != .max && r != .min) else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "reduction", message: "unsupported reduction '\(s)'")
        }
        return r
    }

    /// data with `updates[j]` written (or reduced) at `targets[j]`, in order.
    static func apply(_ data: TensorValue, updates: TensorValue, targets: [Int], reduction: Reduction, _ node: String) throws -> TensorValue {
        guard updates.dataType == data.dataType else {
            throw InterpreterError.invalidInput(node: node, message: "updates are \(updates.dataType), data is \(data.dataType)")
        }
        guard targets.count == updates.count else {
            throw InterpreterError.shapeMismatch(node: node, message: "updates shape \(updates.shape) does not match the indices")
        }
        if reduction == .none {
            guard let joined = TensorStorage.concatenated([data.storage, updates.storage]) else {
                throw InterpreterError.invalidInput(node: node, message: "updates and data have different storage")
            }
            var map = Array(0..<data.count)
            let n = data.count
            for (j, t) in targets.enumerated() { map[t] = n + j }
            return TensorValue(unchecked: data.dataType, shape: data.shape, storage: joined.rearranged { _ in map })
        }
        func run<T>(_ a: [T], _ u: [T], _ f: (T, T) -> T) -> [T] {
            var out = a
            for (j, t) in targets.enumerated() { out[t] = f(out[t], u[j]) }
            return out
        }
        switch TensorSupport.numericKind(data.dataType) {
        case .float?:
            let f: (Float, Float) -> Float
            switch reduction {
            case .add: f = (+)
            case .mul: f = (*)
            case .max: f = { Swift.max($0, $1) }
            default: f = { Swift.min($0, $1) }
            }
            let r = run(try data.floats(), try updates.floats(), f)
            if data.dataType == .float { return TensorValue(floats: r, shape: data.shape) }
            return try .converting(r, to: data.dataType, shape: data.shape)
        case .double?:
            let f: (Double, Double) -> Double
            switch reduction {
            case .add: f = (+)
            case .mul: f = (*)
            case .max: f = { Swift.max($0, $1) }
            default: f = { Swift.min($0, $1) }
            }
            return TensorValue(doubles: run(try data.doubles(), try updates.doubles(), f), shape: data.shape)
        case .integer?:
            let f: (Int64, Int64) -> Int64
            switch reduction {
            case .add: f = (&+)
            case .mul: f = (&*)
            case .max: f = { Swift.max($0, $1) }
            default: f = { Swift.min($0, $1) }
            }
            if data.dataType == .uint64, reduction == .max || reduction == .min {
                let a = try data.int64s().map { UInt64(bitPattern: $0) }, u = try updates.int64s().map { UInt64(bitPattern: $0) }
                let g: (UInt64, UInt64) -> UInt64 = reduction == .max ? { Swift.max($0, $1) } : { Swift.min($0, $1) }
                return TensorValue(unchecked: .uint64, shape: data.shape, storage: .uint64(run(a, u, g)))
            }
            return try .converting(run(try data.int64s(), try updates.int64s(), f), to: data.dataType, shape: data.shape)
        case .bool?:
            let f: (Bool, Bool) -> Bool = (reduction == .add || reduction == .max) ? { $0 || $1 } : { $0 && $1 }
            return TensorValue(bools: run(try data.bools(), try updates.bools(), f), shape: data.shape)
        case nil:
            throw InterpreterError.unsupportedType(data.dataType, context: "\(node) (reduction \(reduction.rawValue))")
        }
    }
}
