import Foundation
import Interpreter
import ONNX
import ONNXSerialization

extension WrittenModels {
    /// Copies a converted model to `ONNX_WRITTEN_DIR/<name>/model.onnx` with a
    /// `test_data_set_0` holding `input` and the source library's expected outputs (by
    /// graph output name, written in graph output order), so that scripts/interop.py
    /// compares onnxruntime with the source library, not with our interpreter.
    public static func recordWithTestData(_ url: URL, name: String, input: TensorValue, inputName: String = "input",
                                          model: Model, expected: [String: TensorValue]) throws {
        try recordWithTestData(url, name: name, inputs: [inputName: input], model: model, expected: expected)
    }

    /// The same for a model with several inputs, written in graph input order.
    public static func recordWithTestData(_ url: URL, name: String, inputs: [String: TensorValue], model: Model,
                                          expected: [String: TensorValue]) throws {
        guard let dir = ProcessInfo.processInfo.environment["ONNX_WRITTEN_DIR"] else { return }
        let folder = URL(fileURLWithPath: dir).appendingPathComponent(name)
        let data = folder.appendingPathComponent("test_data_set_0")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: url, to: folder.appendingPathComponent("model.onnx"))
        let initialized = Set((model.graph?.initializer ?? []).compactMap(\.name))
        let order = (model.graph?.input ?? []).compactMap(\.name).filter { !initialized.contains($0) }
        for (i, n) in order.enumerated() {
            guard let t = inputs[n] else { continue }
            try Data(DataValueCodec.encode(t.proto(name: n))).write(to: data.appendingPathComponent("input_\(i).pb"))
        }
        for (i, o) in (model.graph?.output ?? []).enumerated() {
            guard let n = o.name, let t = expected[n] else { continue }
            try Data(DataValueCodec.encode(t.proto(name: n))).write(to: data.appendingPathComponent("output_\(i).pb"))
        }
    }
}
