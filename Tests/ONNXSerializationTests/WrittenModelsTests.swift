import Foundation
import ONNX
import ONNXSerialization
import TestSupport
import XCTest

/// Models the GraphBuilder makes, written to disk, read back, and checked by the
/// project's own checker. With ONNX_WRITTEN_DIR set (as `make test` does) they are
/// also kept for scripts/interop.py, which runs onnx.checker (full_check) and
/// onnxruntime on each one.
final class WrittenModelsTests: XCTestCase {
    func write(_ model: Model, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(Checker().check(model), [], file: file, line: line)
        let dir = TemporaryFolder("written")
        let url = dir.file(name)
        try model.write(to: url)
        XCTAssertEqual(try Model(contentsOf: url), model, file: file, line: line)
        WrittenModels.record(url, as: name)
    }

    func testDenseRelu() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [.symbolic("batch"), .fixed(3)])
        let w = try b.initializer([Float](stride(from: -1, to: 1, by: 1.0 / 3)), shape: [3, 2], name: "W")
        let c = try b.initializer([Float(0.5), -0.25], name: "b")
        let h = try b.node("Gemm", [x, w, c])
        try b.output(try b.node("Relu", [h]), name: "y")
        try write(try b.makeModel(producerName: "tests"), "dense-relu.onnx")
    }

    func testLinearClassifierWithZipMap() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [.symbolic("N"), .fixed(2)])
        let out = try b.node("LinearClassifier", [x], outputCount: 2, attributes: [
            "coefficients": .floats([1, 0, 0, 1, -1, -1]), "intercepts": .floats([0, 0.5, 1]),
            "classlabels_ints": .ints([0, 1, 2]), "post_transform": .string("SOFTMAX"),
        ], domain: Domain.ml)
        let probs = try b.node("ZipMap", [out[1]], attributes: ["classlabels_int64s": .ints([0, 1, 2])], domain: Domain.ml)
        try b.output(out[0], name: "label")
        try b.output(probs, name: "probabilities")
        try write(try b.makeModel(producerName: "tests"), "linear-classifier-zipmap.onnx")
    }

    func testTreeEnsembleML5() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [.symbolic("N"), .fixed(2)])
        // One tree: x0 <= 0.5 ? leaf 1.0 : (x1 <= 2 ? leaf 2.0 : leaf 3.0)
        let y = try b.node("TreeEnsemble", [x], attributes: [
            "n_targets": .int(1), "aggregate_function": .int(1), "post_transform": .int(0),
            "tree_roots": .ints([0]),
            "nodes_featureids": .ints([0, 1]), "nodes_modes": .tensor(try GraphBuilder.makeTensor([UInt8(0), UInt8(0)])),
            "nodes_splits": .tensor(try GraphBuilder.makeTensor([Float(0.5), Float(2)])),
            "nodes_truenodeids": .ints([0, 1]), "nodes_trueleafs": .ints([1, 1]),
            "nodes_falsenodeids": .ints([1, 2]), "nodes_falseleafs": .ints([0, 1]),
            "leaf_targetids": .ints([0, 0, 0]), "leaf_weights": .tensor(try GraphBuilder.makeTensor([Float(1), Float(2), Float(3)])),
        ], domain: Domain.ml)
        try b.output(y, name: "predictions")
        try write(try b.makeModel(producerName: "tests"), "tree-ensemble-ml5.onnx")
    }

    func testIfWithOuterScopeAndLoop() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [.fixed(3)])
        let flag = try b.input("flag", .bool, [])
        let h = try b.node("Relu", [x])
        let thenBranch = try b.subgraph(name: "then") { g in
            try g.output(try g.node("Add", [h, try g.constant([Float(1)], shape: [])]))
        }
        let elseBranch = try b.subgraph(name: "else") { g in
            try g.output(try g.node("Neg", [h]))
        }
        let y = try b.node("If", [flag], attributes: ["then_branch": .graph(thenBranch), "else_branch": .graph(elseBranch)])
        let trip = try b.initializer([Int64(4)], shape: [])
        let body = try b.subgraph(name: "body") { g in
            _ = try g.input("iter", .int64, [])
            let cond = try g.input("cond_in", .bool, [])
            let acc = try g.input("acc", .float, [.fixed(3)])
            try g.output(cond, name: "cond_out")
            try g.output(try g.node("Add", [acc, x]), name: "acc_out")
        }
        let loop = try b.node("Loop", [trip, nil, y], outputCount: 1, attributes: ["body": .graph(body)])
        try b.output(loop[0], name: "z")
        try write(try b.makeModel(producerName: "tests"), "if-loop.onnx")
    }

    func testEveryInitializerElementType() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [.fixed(2)])
        var outs: [GraphBuilder.Value] = []
        outs.append(try b.initializer([Double(1.5), -2], name: "f64"))
        outs.append(try b.initializer([Int64.min, Int64.max], name: "i64"))
        outs.append(try b.initializer([Int32(-3), 4], name: "i32"))
        outs.append(try b.initializer([Int16(-5), 6], name: "i16"))
        outs.append(try b.initializer([Int8(-7), 8], name: "i8"))
        outs.append(try b.initializer([UInt8(9), 255], name: "u8"))
        outs.append(try b.initializer([UInt16(10), 65535], name: "u16"))
        outs.append(try b.initializer([UInt32(11), 12], name: "u32"))
        outs.append(try b.initializer([UInt64(13), 14], name: "u64"))
        outs.append(try b.initializer([true, false], name: "flags"))
        outs.append(try b.initializer(strings: ["α", "b"], name: "names"))
        try b.output(try b.node("Identity", [x]), name: "y")
        for (i, v) in outs.enumerated() { try b.output(try b.node("Identity", [v]), name: "o\(i)") }
        try write(try b.makeModel(producerName: "tests"), "all-element-types.onnx")
    }
}
