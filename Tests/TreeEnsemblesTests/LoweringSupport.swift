import Foundation
import Interpreter
import ONNX
import ONNXSerialization
import TestSupport
import TreeEnsembles
import XCTest

/// Lowering, checking, writing and running helpers for the lowering tests.
enum Lowered {
    /// Every (ml opset, input type) the lowering supports, as (name, options).
    static let variants: [(String, TreeEnsembleLowering.Options)] = [
        ("ml5-f32", .init(mlOpset: 5, inputType: .float32)),
        ("ml5-f64", .init(mlOpset: 5, inputType: .float64)),
        ("ml3-f32", .init(mlOpset: 3, inputType: .float32)),
        ("ml3-f64", .init(mlOpset: 3, inputType: .float64)),
        ("ml1-f32", .init(opset: 13, mlOpset: 1, inputType: .float32)),
    ]

    /// Lowers, runs the checker, writes the model, reads it back and records it for the
    /// interop check as `tree-<name>.onnx`. Returns the model read back.
    static func make(_ m: TreeEnsembleModel, _ options: TreeEnsembleLowering.Options, name: String,
                     file: StaticString = #filePath, line: UInt = #line) throws -> Model {
        let model = try TreeEnsembleLowering.lower(m, options: options)
        let issues = Checker().check(model)
        XCTAssertEqual(issues, [], "checker: \(name)", file: file, line: line)
        let folder = TemporaryFolder("trees")
        let url = folder.file("tree-\(name).onnx")
        _ = try model.write(to: url)
        WrittenModels.record(url, as: "tree-\(name).onnx")
        return try Model(contentsOf: url)
    }

    /// Runs a model on rows, fed in the model's input type (float32 rows widen exactly
    /// for a float64 model; float64 rows must go to a float64 model); returns the
    /// outputs by name.
    static func run<R: TreeInputScalar>(_ model: Model, _ rows: [[R]], features: Int, input: String = "input") throws -> [String: Value] {
        let flat = rows.flatMap { $0 }
        let x: TensorValue
        if model.graph?.input.first?.type?.tensorElementType == .double {
            x = TensorValue(doubles: flat.map(\.float64Value), shape: [rows.count, features])
        } else {
            guard let f = flat as? [Float] else { throw TreeEnsembleError.unsupportedLowering(option: "rows", reason: "float64 rows for a float32 model") }
            x = TensorValue(floats: f, shape: [rows.count, features])
        }
        return try Session(model: model).run([input: .tensor(x)])
    }

    /// An output as float64 values.
    static func doubles(_ out: [String: Value], _ name: String) throws -> [Double] {
        guard let t = out[name]?.tensor else { throw TreeEnsembleError.unsupportedLowering(option: name, reason: "missing output") }
        return try t.doubles()
    }
}
