// An exporter written against the library, as docs/graph-builder.md walks through:
// builds y = relu(x · W + b) with GraphBuilder, writes it atomically, reads it back and
// runs it in the bundled interpreter, comparing with the values worked out by hand.
//
//     swift run dense-exporter-example [OUTPUT.onnx]
import Foundation
import Interpreter
import ONNX
import ONNXSerialization

/// Exports a dense layer with ReLU: x [batch, inFeatures] -> y [batch, outFeatures];
/// `weights` is row-major [inFeatures, outFeatures].
func exportDenseReLU(weights: [Float], bias: [Float], inFeatures: Int) throws -> Model {
    let b = GraphBuilder()
    let x = try b.input("x", .float, [.symbolic("batch"), .fixed(Int64(inFeatures))])
    let w = try b.initializer(weights, shape: [Int64(inFeatures), Int64(bias.count)], name: "W")
    let c = try b.initializer(bias, name: "b")
    let y = try b.node("Relu", [try b.node("Gemm", [x, w, c])])
    try b.output(y, name: "y")
    return try b.makeModel(producerName: "dense-exporter-example", producerVersion: "1.0", metadata: ["source": "dense layer"])
}

let output = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "dense.onnx")
do {
    // W = [[1, -1], [2, 0.5], [0, 1]], b = [0.5, -3]
    let model = try exportDenseReLU(weights: [1, -1, 2, 0.5, 0, 1], bias: [0.5, -3], inFeatures: 3)
    let written = try model.write(to: output)
    let back = try Model(contentsOf: output)
    let x = TensorValue(floats: [1, 2, 3, -1, 0, 4], shape: [2, 3])
    let y = try Validation.run(back, x)
    // Row 1: [1 + 4 + 0 + 0.5, -1 + 1 + 3 - 3] = [5.5, 0]; row 2: [-1 + 0.5, 1 + 4 - 3] = [0 (relu of -0.5), 2].
    let expected: [Float] = [5.5, 0, 0, 2]
    guard y == expected else {
        FileHandle.standardError.write(Data("error: the interpreter gave \(y), expected \(expected)\n".utf8))
        exit(1)
    }
    print("\(output.path): \(written.modelBytes) bytes; interpreter output \(y) matches")
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}

/// Runs the model once on `x` and returns output `y`.
enum Validation {
    static func run(_ model: Model, _ x: TensorValue) throws -> [Float] {
        let out = try Session(model: model).run(["x": .tensor(x)])
        guard let y = out["y"]?.tensor else { throw InterpreterError.missingInput(name: "y") }
        return try y.floats()
    }
}
