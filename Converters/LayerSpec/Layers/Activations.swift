import ONNX

/// The element-wise activations of torch.nn, each with torch's argument names and
/// defaults, and Softmax/LogSoftmax over `dim`.
struct Activations: LayerLowering {
    var typeNames: [String] {
        ["ReLU", "ReLU6", "LeakyReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Sigmoid", "Tanh", "Hardtanh",
         "Hardsigmoid", "Hardswish", "Softplus", "Softsign", "Threshold", "Softmax", "LogSoftmax", "PReLU"]
    }

    func lower(_ inputs: [LayerValue], _ c: LayerContext) throws -> LayerValue {
        let x = try c.single(inputs)
        func scalar(_ v: Double, _ name: String) throws -> GraphBuilder.Value { try c.constant([v], shape: [], name: name) }
        func clip(_ lo: Double, _ hi: Double) throws -> GraphBuilder.Value {
            try c.node("Clip", [x.value, try scalar(lo, "min"), try scalar(hi, "max")])
        }
        _ = try c.args.bool("inplace", default: false)   // no effect on values
        let y: GraphBuilder.Value
        switch c.args.type {
        case "ReLU": y = try c.node("Relu", [x.value])
        case "ReLU6": y = try clip(0, 6)
        case "LeakyReLU": y = try c.node("LeakyRelu", [x.value], ["alpha": .float(Float(try c.args.double("negative_slope", default: 0.01)))])
        case "ELU": y = try c.node("Elu", [x.value], ["alpha": .float(Float(try c.args.double("alpha", default: 1)))])
        case "SELU": y = try c.node("Selu", [x.value])   // ONNX's defaults are torch's constants
        case "CELU": y = try c.node("Celu", [x.value], ["alpha": .float(Float(try c.args.double("alpha", default: 1)))])
        case "GELU":
            let approximate = try c.args.string("approximate", default: "none")
            guard approximate == "none" || approximate == "tanh" else { throw c.args.unsupported("approximate", "'\(approximate)' is not 'none' or 'tanh'") }
            y = try c.node("Gelu", [x.value], ["approximate": .string(approximate)])
        case "SiLU": y = try c.node("Mul", [x.value, try c.node("Sigmoid", [x.value])])
        case "Mish": y = try c.node("Mish", [x.value])
        case "Sigmoid": y = try c.node("Sigmoid", [x.value])
        case "Tanh": y = try c.node("Tanh", [x.value])
        case "Hardtanh": y = try clip(try c.args.double("min_val", default: -1), try c.args.double("max_val", default: 1))
        case "Hardsigmoid": y = try c.node("HardSigmoid", [x.value], ["alpha": .float(1.0 / 6), "beta": .float(0.5)])
        case "Hardswish": y = try c.node("HardSwish", [x.value])
        case "Softplus":
            // torch: x where beta*x > threshold, else log(1 + exp(beta*x)) / beta.
            let beta = try c.args.double("beta", default: 1), threshold = try c.args.double("threshold", default: 20)
            let bx = try c.node("Mul", [x.value, try scalar(beta, "beta")])
            let soft = try c.node("Div", [try c.node("Softplus", [bx]), try scalar(beta, "beta_divisor")])
            y = try c.node("Where", [try c.node("Greater", [bx, try scalar(threshold, "threshold")]), x.value, soft])
        case "Softsign": y = try c.node("Softsign", [x.value])
        case "Threshold":
            let t = try c.args.double("threshold"), v = try c.args.double("value")
            y = try c.node("Where", [try c.node("Greater", [x.value, try scalar(t, "threshold")]), x.value, try scalar(v, "value")])
        case "Softmax", "LogSoftmax":
            // dim=None: torch's legacy choice, 0 for ranks 0, 1 and 3, else 1.
            let implicit = [0, 1, 3].contains(x.rank) ? 0 : 1
            var dim = try c.args.raw("dim").map { $0.value == .null ? implicit : try c.args.int("dim") } ?? implicit
            if dim < 0 { dim += x.rank }
            guard dim >= 0, dim < max(x.rank, 1) else { throw c.shapeError("dim is out of range for rank \(x.rank)") }
            y = try c.node(c.args.type, [x.value], ["axis": .int(Int64(dim))])
        case "PReLU":
            // One slope, or one per channel (dim 1), broadcast from [C, 1, ...].
            let n = try c.args.int("num_parameters", default: 1, atLeast: 1)
            _ = try c.args.raw("init")
            let slopes = try c.weightValues("weight", shape: [n])
            var shape = [n]
            if n > 1 {
                guard x.rank >= 2, try c.fixed(x.shape[1], "the channel dimension") == n else { throw c.shapeError("num_parameters \(n) does not match the channels") }
                shape += [Int](repeating: 1, count: x.rank - 2)
            }
            y = try c.node("PRelu", [x.value, try c.constant(slopes, shape: shape, name: "slope")])
        default:
            throw LayerSpecError.unknownLayer(path: c.where_, type: c.args.type, known: typeNames)
        }
        return LayerValue(y, x.shape)
    }
}
