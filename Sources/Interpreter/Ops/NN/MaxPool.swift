import ONNX

/// MaxPool: the maximum of each window (padding never wins), and from version 8 the
/// flat input index of each maximum (storage_order 1: column-major spatial order).
struct MaxPool: Operator {
    static let opType = "MaxPool"
    static let sinceVersions: [Int64] = [1, 8, 10, 11, 12, 22]
    let attributes: PoolAttributes
    let columnMajor: Bool
    let wantIndices: Bool

    init(_ c: OpContext) throws {
        attributes = try PoolAttributes(c)
        wantIndices = c.node.output.count > 1 && !c.node.output[1].isEmpty
        columnMajor = c.sinceVersion >= 8 ? try c.int("storage_order", default: 0) != 0 : false
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let x = try context.tensor(inputs, 0)
        let g = try PoolGeometry(shape: x.shape, attributes, context)
        let shape = [g.batch, g.channels] + g.output
        let y: TensorValue, idx: [Int64]
        switch x.dataType {
        case .float, .float16, .bfloat16:
            let r = g.pool(try x.floats(), .max, columnMajor: columnMajor, wantIndices: wantIndices)
            y = try NN.tensor(r.0, x.dataType, shape: shape); idx = r.1
        case .double, .int8, .uint8, .int16, .uint16, .int32, .uint32:
            let r = g.pool(try x.doubles(), .max, columnMajor: columnMajor, wantIndices: wantIndices)
            y = try .converting(r.0, to: x.dataType, shape: shape); idx = r.1
        default:
            throw InterpreterError.unsupportedType(x.dataType, context: "MaxPool")
        }
        if !wantIndices { return [.tensor(y)] }
        return [.tensor(y), .tensor(TensorValue(int64s: idx, shape: shape))]
    }
}
