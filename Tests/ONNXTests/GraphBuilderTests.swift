// Tests of GraphBuilder. Expected types, shapes and IR versions are worked out by hand
// from the ONNX operator specification and onnx.helper.VERSION_TABLE (onnx 1.23.2),
// never taken from the code under test.
import XCTest
@testable import ONNX

final class GraphBuilderTests: XCTestCase {
    typealias Value = GraphBuilder.Value
    // Foundation (imported by XCTest) has its own `ShapeDimension` class.

    private let batch = ShapeDimension.symbolic("batch")

    private func dims(_ v: Value) -> [ShapeDimension.Value]? { v.shape?.map(\.value) }

    /// Asserts that `body` throws a GraphBuilderError that `matches` accepts.
    private func assertThrows(
        _ body: @autoclosure () throws -> some Any, file: StaticString = #filePath, line: UInt = #line,
        _ matches: (GraphBuilderError) -> Bool
    ) {
        do {
            _ = try body()
            XCTFail("expected a GraphBuilderError", file: file, line: line)
        } catch let e as GraphBuilderError {
            XCTAssertTrue(matches(e), "unexpected error: \(e)", file: file, line: line)
            XCTAssertFalse(e.description.isEmpty, file: file, line: line)
        } catch {
            XCTFail("unexpected error type: \(error)", file: file, line: line)
        }
    }

    // MARK: - A whole model

    func testLinearReluModel() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [batch, .fixed(4)])
        let w = try b.initializer([Float](repeating: 0.5, count: 12), shape: [4, 3], name: "W")
        let c = try b.initializer([Float](repeating: 0.25, count: 3), name: "b")
        let h = try b.node("Gemm", [x, w, c])
        // Gemm: A [M, K] = [batch, 4], B [K, N] = [4, 3] -> Y [M, N] = [batch, 3].
        XCTAssertEqual(h.elementType, .float)
        XCTAssertEqual(dims(h), [.param("batch"), .value(3)])
        let y = try b.output(try b.node("Relu", [h]), name: "y")
        XCTAssertEqual(y.name, "y")
        let m = try b.makeModel(producerName: "test", producerVersion: "1.0", docString: "doc", metadata: ["b": "2", "a": "1"])

        XCTAssertEqual(m.irVersion, 10)  // opset 21 shipped with onnx 1.16, IR 10
        XCTAssertEqual(m.opsetImport, [OperatorSetID(domain: "", version: 21)])
        XCTAssertEqual(m.producerName, "test")
        XCTAssertEqual(m.producerVersion, "1.0")
        XCTAssertEqual(m.metadataProps.map(\.key), ["a", "b"])
        let g = try XCTUnwrap(m.graph)
        XCTAssertEqual(g.name, "main")
        XCTAssertEqual(g.node.map { $0.opType ?? "" }, ["Gemm", "Relu"])  // renamed in place, no Identity
        XCTAssertEqual(g.node[0].input, ["x", "W", "b"])
        XCTAssertEqual(g.node[1].output, ["y"])
        XCTAssertEqual(g.input.map(\.name), ["x"])
        XCTAssertEqual(g.input[0].type, .tensor(.float, [batch, .fixed(4)]))
        XCTAssertEqual(g.output.map(\.name), ["y"])
        XCTAssertEqual(g.output[0].type, .tensor(.float, [batch, .fixed(3)]))
        XCTAssertEqual(g.initializer.map(\.name), ["W", "b"])
        XCTAssertEqual(g.initializer[0].dims, [4, 3])
        XCTAssertEqual(g.initializer[0].dataType, .float)
        XCTAssertEqual(g.initializer[1].dims, [3])
        XCTAssertTrue(g.valueInfo.isEmpty)
        XCTAssertEqual(try b.makeModel(includeValueInfo: true).graph?.valueInfo.map(\.name), [h.name])
    }

    func testSameCallsGiveIdenticalModels() throws {
        func build() throws -> Model {
            let b = GraphBuilder()
            let x = try b.input("x", .float, [batch, .fixed(2)])
            let w = try b.initializer([Float]([1, 2, 3, 4]), shape: [2, 2])
            let y = try b.node("MatMul", [x, w], name: "mm")
            let z = try b.node("Add", [y, try b.scalar(Float(1))], attributes: [:])
            let s = try b.node("Softmax", [z], attributes: ["axis": .int(-1)])
            try b.output(s, name: "probs")
            try b.output(z)
            return try b.makeModel(metadata: ["k1": "v1", "k2": "v2", "k3": "v3"])
        }
        XCTAssertEqual(try build(), try build())
    }

    // MARK: - Initializers

    func testInitializersAreLittleEndianRawData() throws {
        let b = GraphBuilder()
        let f = try b.initializer([Float(1.0), -2.0])
        let i = try b.initializer([Int64(1), -1])
        let i32 = try b.initializer([Int32(258)])
        let u8 = try b.initializer([UInt8(7), 255])
        let flag = try b.initializer([true, false])
        let d = try b.initializer([Double(1.0)], shape: [])
        let g = b.graph()
        func raw(_ v: Value) -> [UInt8]? { g.initializer.first { $0.name == v.name }?.rawData?.bytes }
        // IEEE-754: 1.0f = 0x3F800000, -2.0f = 0xC0000000; 1.0 = 0x3FF0000000000000.
        XCTAssertEqual(raw(f), [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
        XCTAssertEqual(raw(i), [1, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 8))
        XCTAssertEqual(raw(i32), [0x02, 0x01, 0x00, 0x00])
        XCTAssertEqual(raw(u8), [7, 255])
        XCTAssertEqual(raw(flag), [1, 0])
        XCTAssertEqual(raw(d), [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        XCTAssertEqual(d.shape, [])
        XCTAssertEqual(flag.elementType, .bool)
        XCTAssertEqual(i32.elementType, .int32)
        XCTAssertEqual(g.initializer.map(\.dataType), [.float, .int64, .int32, .uint8, .bool, .double])
    }

    func testIdenticalInitializersAreDeduplicated() throws {
        let b = GraphBuilder()
        let a1 = try b.initializer([Float]([1, 2, 3, 4]), shape: [2, 2], name: "first")
        let a2 = try b.initializer([Float]([1, 2, 3, 4]), shape: [2, 2], name: "second")
        let otherDims = try b.initializer([Float]([1, 2, 3, 4]), shape: [4], name: "first")
        let otherType = try b.initializer([Int32]([1, 2, 3, 4]), shape: [2, 2])
        let otherBytes = try b.initializer([Float]([1, 2, 3, 5]), shape: [2, 2])
        let s1 = try b.initializer(strings: ["a", "b"])
        let s2 = try b.initializer(strings: ["a", "b"])
        XCTAssertEqual(a1, a2)
        XCTAssertEqual(a1.name, "first")
        XCTAssertEqual(s1, s2)
        XCTAssertEqual(otherDims.name, "first_1")  // a distinct tensor with a taken hint gets a suffix
        let names = b.graph().initializer.compactMap(\.name)
        XCTAssertEqual(names.count, 5)
        XCTAssertEqual(Set(names), Set([a1.name, otherDims.name, otherType.name, otherBytes.name, s1.name]))
        XCTAssertEqual(b.graph().initializer.first { $0.name == s1.name }?.stringData.map(\.string), ["a", "b"])
    }

    func testConstantsAreNodesAndDeduplicated() throws {
        let b = GraphBuilder()
        let c1 = try b.constant([Int64]([0, -1]))
        let c2 = try b.constant([Int64]([0, -1]))
        XCTAssertEqual(c1, c2)
        XCTAssertEqual(c1.elementType, .int64)
        XCTAssertEqual(c1.shape, [.fixed(2)])
        let g = b.graph()
        XCTAssertEqual(g.node.map { $0.opType ?? "" }, ["Constant"])
        XCTAssertEqual(g.node[0].attribute.map(\.name), ["value"])
        XCTAssertTrue(g.initializer.isEmpty)
    }

    func testTensorShapeMismatchThrows() {
        let b = GraphBuilder()
        assertThrows(try b.initializer([Float]([1, 2, 3]), shape: [2, 2])) {
            if case .tensorShapeMismatch(_, 3, [2, 2]) = $0 { return true }
            return false
        }
    }

    // MARK: - Names

    func testNamesAreUnique() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [batch, .fixed(3)])
        let r1 = try b.node("Relu", [x], name: "act", outputName: "h")
        let r2 = try b.node("Relu", [r1], name: "act", outputName: "h")
        let r3 = try b.node("Relu", [r2], name: "act", outputName: "x")  // collides with the input
        let r4 = try b.node("Relu", [r3])
        let r5 = try b.node("Relu", [r4])
        try b.output(r5, name: "out")
        let g = try XCTUnwrap(b.makeModel().graph)
        XCTAssertEqual(g.node.map { $0.name ?? "" }, ["act", "act_1", "act_2", "Relu", "Relu_1"])
        XCTAssertEqual([r1.name, r2.name, r3.name], ["h", "h_1", "x_1"])
        let valueNames = g.input.compactMap(\.name) + g.node.flatMap(\.output) + g.initializer.compactMap(\.name)
        XCTAssertEqual(Set(valueNames).count, valueNames.count)
        assertThrows(try b.input("h", .float, nil)) { $0 == .duplicateName(name: "h") }
        assertThrows(try b.output(r4, name: "h_1")) { $0 == .duplicateName(name: "h_1") }
        assertThrows(try b.output(r5, name: "out")) { $0 == .duplicateOutput(name: "out") }
    }

    func testOutputOfAnInputGoesThroughIdentity() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .int64, [batch])
        let w = try b.initializer([Int64]([5]))
        try b.output(x, name: "copy")
        try b.output(w, name: "weights")
        try b.output(x)  // an input may be an output under its own name
        let g = b.graph()
        XCTAssertEqual(g.node.map { $0.opType ?? "" }, ["Identity", "Identity"])
        XCTAssertEqual(g.node[0].input, ["x"])
        XCTAssertEqual(g.node[0].output, ["copy"])
        XCTAssertEqual(g.output.map(\.name), ["copy", "weights", "x"])
        XCTAssertEqual(g.output[0].type, .tensor(.int64, [batch]))
    }

    func testRenamedOutputKeepsEarlierConsumersAndHandles() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [.fixed(2)])
        let e = try b.node("Exp", [x])
        let n = try b.node("Neg", [e])
        try b.output(e, name: "exp")
        // The old handle still works after the rename.
        let l = try b.node("Log", [e])
        try b.output(n, name: "neg")
        try b.output(l, name: "log")
        let g = b.graph()
        XCTAssertEqual(g.node.map { $0.opType ?? "" }, ["Exp", "Neg", "Log"])
        XCTAssertEqual(g.node[0].output, ["exp"])
        XCTAssertEqual(g.node[1].input, ["exp"])
        XCTAssertEqual(g.node[2].input, ["exp"])
        XCTAssertEqual(g.output.map(\.name), ["exp", "neg", "log"])
    }

    // MARK: - Schema checks

    func testWrongAttributeTypeThrows() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [batch, .fixed(4)])
        let w = try b.initializer([Float](repeating: 1, count: 8), shape: [2, 4])
        assertThrows(try b.node("Gemm", [x, w], attributes: ["transB": .float(1)], name: "fc")) {
            $0 == .attributeTypeMismatch(op: "Gemm", node: "fc", attribute: "transB", expected: .int, given: .float)
        }
        assertThrows(try b.node("Gemm", [x, w], attributes: ["transpose": .int(1)], name: "fc")) {
            if case .unknownAttribute("Gemm", "fc", "transpose", 21, let allowed) = $0 {
                return allowed == ["alpha", "beta", "transA", "transB"]
            }
            return false
        }
        assertThrows(try b.node("Cast", [x])) { $0 == .missingAttribute(op: "Cast", node: "Cast", attribute: "to") }
        assertThrows(try b.node("Relu", [x, x])) {
            $0 == .inputCountMismatch(op: "Relu", node: "Relu", opset: 21, given: 2, min: 1, max: 1)
        }
        assertThrows(try b.node("Gemm", [x, nil, w])) {
            $0 == .missingInput(op: "Gemm", node: "Gemm", index: 1, formalName: "B")
        }
        assertThrows(try b.node("LinearClassifier", [x], attributes: ["coefficients": .floats([1, 2, 3, 4])], domain: "ai.onnx.ml")) {
            if case .outputCountMismatch("LinearClassifier", _, 5, 1, 2, 2) = $0 { return true }
            return false
        }
        // Nothing was added by the failed calls.
        XCTAssertTrue(b.graph().node.isEmpty)
        let ok = try b.node("Gemm", [x, w], attributes: ["transB": .int(1)])
        // transB: B [N, K] = [2, 4] -> Y [batch, 2].
        XCTAssertEqual(dims(ok), [.param("batch"), .value(2)])
    }

    func testUnknownOperatorAtTargetOpsetThrows() throws {
        // Gelu is in ai.onnx from opset 20.
        let b = try GraphBuilder(opsets: ["": 17])
        let x = try b.input("x", .float, [batch])
        assertThrows(try b.node("Gelu", [x])) {
            $0 == .unknownOperator(op: "Gelu", domain: "", opset: 17, availableSince: 20, node: "Gelu")
        }
        assertThrows(try b.node("NoSuchOp", [x])) {
            $0 == .unknownOperator(op: "NoSuchOp", domain: "", opset: 17, availableSince: nil, node: "NoSuchOp")
        }
        let b21 = GraphBuilder()
        let x21 = try b21.input("x", .float, [batch])
        XCTAssertEqual(try b21.node("Gelu", [x21]).shape, [batch])
    }

    func testDeprecatedOperatorThrows() throws {
        let x4: [ShapeDimension] = [batch, .fixed(4)]
        let attrs: [String: AttributeValue] = [
            "nodes_treeids": .ints([0]), "nodes_nodeids": .ints([0]), "nodes_featureids": .ints([0]),
            "nodes_modes": .strings(["LEAF"]), "nodes_values": .floats([0]), "nodes_truenodeids": .ints([0]),
            "nodes_falsenodeids": .ints([0]), "class_treeids": .ints([0]), "class_nodeids": .ints([0]),
            "class_ids": .ints([0]), "class_weights": .floats([1]), "classlabels_int64s": .ints([0, 1, 2]),
        ]
        // TreeEnsembleClassifier is deprecated in ai.onnx.ml opset 5 (the default target).
        let b5 = GraphBuilder()
        let x5 = try b5.input("x", .float, x4)
        assertThrows(try b5.node("TreeEnsembleClassifier", [x5], outputCount: 2, attributes: attrs, domain: "ai.onnx.ml")) {
            $0 == .deprecatedOperator(op: "TreeEnsembleClassifier", domain: "ai.onnx.ml", opset: 5, deprecatedSince: 5, node: "TreeEnsembleClassifier")
        }
        // Upsample is deprecated in ai.onnx since opset 10.
        assertThrows(try b5.node("Upsample", [x5, x5])) {
            if case .deprecatedOperator("Upsample", "", 21, 10, _) = $0 { return true }
            return false
        }
        // At ai.onnx.ml opset 3 it is valid: Y int64 [N] (labels are int64), Z float [N, 3 classes].
        let b3 = try GraphBuilder(opsets: ["ai.onnx": 17, "ai.onnx.ml": 3])
        let x3 = try b3.input("x", .float, x4)
        let out = try b3.node("TreeEnsembleClassifier", [x3], outputCount: 2, attributes: attrs, domain: "ai.onnx.ml")
        XCTAssertEqual(out[0].elementType, .int64)
        XCTAssertEqual(dims(out[0]), [.param("batch")])
        XCTAssertEqual(out[1].elementType, .float)
        XCTAssertEqual(dims(out[1]), [.param("batch"), .value(3)])
    }

    func testUnsupportedOpsetThrows() {
        assertThrows(try GraphBuilder(opsets: ["": 99])) {
            $0 == .unsupportedOpset(domain: "", version: 99, supported: 1...28)
        }
        assertThrows(try GraphBuilder(opsets: ["ai.onnx.ml": 6])) {
            $0 == .unsupportedOpset(domain: "ai.onnx.ml", version: 6, supported: 1...5)
        }
    }

    // MARK: - Domains and opset imports

    func testOpsetImportsListOnlyUsedDomains() throws {
        let b = try GraphBuilder(opsets: ["com.example": 2])
        let x = try b.input("x", .float, [batch, .fixed(3)])
        let s = try b.node("Scaler", [x], attributes: ["scale": .floats([2]), "offset": .floats([0])], domain: "ai.onnx.ml")
        // Scaler: tensor(float) output, same shape as X.
        XCTAssertEqual(s.elementType, .float)
        XCTAssertEqual(dims(s), [.param("batch"), .value(3)])
        try b.output(s, name: "y")
        let m = try b.makeModel()
        XCTAssertEqual(m.opsetImport, [OperatorSetID(domain: "", version: 21), OperatorSetID(domain: "ai.onnx.ml", version: 5)])
        XCTAssertEqual(m.graph?.node.first?.domain, "ai.onnx.ml")
    }

    func testCustomDomainMustBeDeclared() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [batch])
        assertThrows(try b.node("Fancy", [x], domain: "com.example")) {
            $0 == .undeclaredDomain(op: "Fancy", domain: "com.example", node: "Fancy")
        }
        let c = try GraphBuilder(opsets: ["com.example": 1])
        let cx = try c.input("x", .float, [batch])
        let unknown = try c.node("Fancy", [cx], domain: "com.example")
        XCTAssertNil(unknown.type)  // unknown op: no inference
        assertThrows(try c.output(unknown, name: "y")) { $0 == .untypedOutput(name: "y") }
        let typed = try c.node("Fancy", [cx], domain: "com.example", outputType: .tensor(.float, [batch]))
        try c.output(typed, name: "y")
        let m = try c.makeModel()
        XCTAssertEqual(m.opsetImport, [OperatorSetID(domain: "", version: 21), OperatorSetID(domain: "com.example", version: 1)])
        XCTAssertEqual(m.irVersion, 10)  // custom domains do not constrain the IR version
    }

    func testIRVersionFollowsTheReleaseTable() throws {
        // onnx.helper.VERSION_TABLE: opset 13 -> 1.8.0 (IR 7), 14 -> 1.9.0 (IR 7),
        // 15 -> 1.10.0 (IR 8), 18 -> 1.13.0 (IR 8), 19 -> 1.14.0 (IR 9), 21 -> 1.16.0 (IR 10);
        // ai.onnx.ml 3 -> 1.11.0 (IR 8), ml 4 -> 1.15.0 (IR 9).
        let cases: [(Int64, Int64?, Int64)] = [(13, nil, 7), (14, nil, 7), (15, nil, 8), (18, nil, 8), (19, nil, 9), (21, nil, 10),
                                                (13, 3, 8), (15, 4, 9), (21, 3, 10)]
        for (onnx, ml, ir) in cases {
            var opsets: [String: Int64] = ["": onnx]
            if let ml { opsets[Domain.ml] = ml }
            let b = try GraphBuilder(opsets: opsets)
            let x = try b.input("x", .float, [batch, .fixed(2)])
            var y = try b.node("Relu", [x])
            if ml != nil { y = try b.node("Normalizer", [y], attributes: ["norm": .string("L1")], domain: Domain.ml) }
            try b.output(y, name: "y")
            XCTAssertEqual(try b.makeModel().irVersion, ir, "opset \(onnx), ml \(String(describing: ml))")
        }
        XCTAssertEqual(ONNXReleaseTable.minimumIRVersion(domain: "", version: 28), 14)
        XCTAssertNil(ONNXReleaseTable.minimumIRVersion(domain: "", version: 29))
    }

    // MARK: - Shape inference

    func testBroadcastingWithSymbolicDims() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [batch, .fixed(1)])
        let v = try b.input("v", .float, [.fixed(3)])
        let row = try b.input("row", .float, [.fixed(1), .fixed(3)])
        let other = try b.input("other", .float, [.symbolic("n"), .fixed(3)])
        let bad = try b.input("bad", .float, [.fixed(2), .fixed(4)])
        // [batch, 1] + [3] -> [batch, 3]
        XCTAssertEqual(dims(try b.node("Add", [x, v])), [.param("batch"), .value(3)])
        // [batch, 1] * [1, 3] -> [batch, 3]
        XCTAssertEqual(dims(try b.node("Mul", [x, row])), [.param("batch"), .value(3)])
        // batch against 1 keeps batch; batch against n is unknown (either may be 1).
        XCTAssertEqual(dims(try b.node("Sub", [x, other])), [.unknown, .value(3)])
        // A symbolic dim against itself stays.
        XCTAssertEqual(dims(try b.node("Div", [x, x])), [.param("batch"), .value(1)])
        // Comparisons give bool.
        let lt = try b.node("Less", [x, v])
        XCTAssertEqual(lt.elementType, .bool)
        XCTAssertEqual(dims(lt), [.param("batch"), .value(3)])
        let both = try b.node("And", [lt, lt])
        XCTAssertEqual(both.elementType, .bool)
        // Where(cond [batch, 3], X [3], Y [1, 3]) -> type of X, [batch, 3]
        let w = try b.node("Where", [lt, v, row])
        XCTAssertEqual(w.elementType, .float)
        XCTAssertEqual(dims(w), [.param("batch"), .value(3)])
        // Pow keeps the base's type.
        let e = try b.initializer([Int64(2)], shape: [])
        XCTAssertEqual(try b.node("Pow", [v, e]).elementType, .float)
        // [2, 4] and [3] do not broadcast.
        assertThrows(try b.node("Add", [bad, v], name: "bad_add")) {
            if case .incompatibleShapes("Add", "bad_add", _) = $0 { return true }
            return false
        }
        // float + int64 is not allowed by Add's single type T.
        let i = try b.input("i", .int64, [.fixed(3)])
        assertThrows(try b.node("Add", [v, i])) {
            if case .incompatibleTypes("Add", _, _) = $0 { return true }
            return false
        }
    }

    func testMatMulGemmAndUnary() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [batch, .fixed(5), .fixed(4)])
        let w = try b.initializer([Float](repeating: 0, count: 8), shape: [4, 2])
        let v = try b.initializer([Float](repeating: 0, count: 4), shape: [4])
        // [batch, 5, 4] x [4, 2] -> [batch, 5, 2]
        XCTAssertEqual(dims(try b.node("MatMul", [x, w])), [.param("batch"), .value(5), .value(2)])
        // [4] x [4, 2] -> [2] (the prepended 1 is removed)
        XCTAssertEqual(dims(try b.node("MatMul", [v, w])), [.value(2)])
        // [batch, 5, 4] x [4] -> [batch, 5]
        XCTAssertEqual(dims(try b.node("MatMul", [x, v])), [.param("batch"), .value(5)])
        assertThrows(try b.node("MatMul", [w, w])) {  // K 2 vs 4
            if case .incompatibleShapes = $0 { return true }
            return false
        }
        for op in ["Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Exp", "Abs", "Identity"] {
            let y = try b.node(op, [x])
            XCTAssertEqual(y.type, .tensor(.float, [batch, .fixed(5), .fixed(4)]), op)
        }
        let isnan = try b.node("IsNaN", [x])
        XCTAssertEqual(isnan.type, .tensor(.bool, [batch, .fixed(5), .fixed(4)]))
        let cast = try b.node("Cast", [x], attributes: ["to": .dataType(.int64)])
        XCTAssertEqual(cast.type, .tensor(.int64, [batch, .fixed(5), .fixed(4)]))
        assertThrows(try b.node("Cast", [x], attributes: ["to": .int(1000)])) {
            if case .invalidAttribute("Cast", _, "to", _) = $0 { return true }
            return false
        }
    }

    func testShapeOps() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [batch, .fixed(2), .fixed(3)])
        // Reshape [batch, 2, 3] with [0, -1]: dim 0 copied, -1 = (2*3) -> [batch, 6]
        let r1 = try b.node("Reshape", [x, try b.initializer([Int64]([0, -1]))])
        XCTAssertEqual(dims(r1), [.param("batch"), .value(6)])
        // Reshape [batch, 2, 3] with [-1, 3]: -1 = batch*2*3/3 (unknown as a single symbol)
        XCTAssertEqual(dims(try b.node("Reshape", [x, try b.constant([Int64]([-1, 3]))])), [.unknown, .value(3)])
        // Reshape [batch, 2, 3] with [-1, 2, 3]: -1 = batch
        XCTAssertEqual(dims(try b.node("Reshape", [x, try b.constant([Int64]([-1, 2, 3]))])), [.param("batch"), .value(2), .value(3)])
        let fixed = try b.input("f", .float, [.fixed(2), .fixed(2), .fixed(3)])
        XCTAssertEqual(dims(try b.node("Reshape", [fixed, try b.initializer([Int64]([-1, 3]))])), [.value(4), .value(3)])
        assertThrows(try b.node("Reshape", [fixed, try b.initializer([Int64]([5, 2]))])) {
            if case .incompatibleShapes = $0 { return true }
            return false
        }
        // Flatten axis 1: [batch, 2*3]
        XCTAssertEqual(dims(try b.node("Flatten", [x])), [.param("batch"), .value(6)])
        // Flatten axis 0: [1, batch*2*3] (unknown)
        XCTAssertEqual(dims(try b.node("Flatten", [fixed], attributes: ["axis": .int(0)])), [.value(1), .value(12)])
        // Transpose: default reverses; perm [0, 2, 1]
        XCTAssertEqual(dims(try b.node("Transpose", [x])), [.value(3), .value(2), .param("batch")])
        XCTAssertEqual(dims(try b.node("Transpose", [x], attributes: ["perm": .ints([0, 2, 1])])), [.param("batch"), .value(3), .value(2)])
        // Concat along axis -1: 3 + 3
        XCTAssertEqual(dims(try b.node("Concat", [x, x], attributes: ["axis": .int(-1)])), [.param("batch"), .value(2), .value(6)])
        // Unsqueeze axes [0, 4] on rank 3 -> rank 5: [1, batch, 2, 3, 1]
        let u = try b.node("Unsqueeze", [x, try b.initializer([Int64]([0, 4]))])
        XCTAssertEqual(dims(u), [.value(1), .param("batch"), .value(2), .value(3), .value(1)])
        // Squeeze axes [0, -1] -> [batch, 2, 3]; without axes only the fixed 1s of a fixed shape go.
        XCTAssertEqual(dims(try b.node("Squeeze", [u, try b.initializer([Int64]([0, -1]))])), [.param("batch"), .value(2), .value(3)])
        let ones = try b.input("ones", .float, [.fixed(1), .fixed(4), .fixed(1)])
        XCTAssertEqual(dims(try b.node("Squeeze", [ones])), [.value(4)])
        // Since opset 13 Squeeze takes axes as input 1.
        assertThrows(try b.node("Squeeze", [u], attributes: ["axes": .ints([0])])) {
            $0 == .attributeIsInput(op: "Squeeze", node: "Squeeze", attribute: "axes", opset: 21, inputIndex: 1)
        }
        // A Constant with value_ints is known to inference too: Unsqueeze [batch, 2, 3] at axis 1.
        let axis1 = try b.node("Constant", [], attributes: ["value_ints": .ints([1])])
        XCTAssertEqual(axis1.type, .tensor(.int64, [.fixed(1)]))
        XCTAssertEqual(dims(try b.node("Unsqueeze", [x, axis1])), [.param("batch"), .value(1), .value(2), .value(3)])
        assertThrows(try b.node("Squeeze", [x, try b.initializer([Int64]([1]))])) {
            if case .incompatibleShapes = $0 { return true }
            return false
        }
        // Shape -> int64 [3]; with start 1 -> [2]
        XCTAssertEqual(try b.node("Shape", [x]).type, .tensor(.int64, [.fixed(3)]))
        XCTAssertEqual(try b.node("Shape", [x], attributes: ["start": .int(1)]).type, .tensor(.int64, [.fixed(2)]))
        // Gather data [10, 4], indices [batch] along 0 -> [batch, 4]; along 1 with [2, 2] -> [10, 2, 2]
        let table = try b.input("table", .float, [.fixed(10), .fixed(4)])
        let idx = try b.input("idx", .int64, [batch])
        XCTAssertEqual(dims(try b.node("Gather", [table, idx])), [.param("batch"), .value(4)])
        let idx2 = try b.initializer([Int64]([0, 1, 2, 3]), shape: [2, 2])
        XCTAssertEqual(dims(try b.node("Gather", [table, idx2], attributes: ["axis": .int(1)])), [.value(10), .value(2), .value(2)])
        // Slice [batch, 10] from 2 to 8 on axis 1 -> [batch, 6]; step -2 from -1 to 0 -> indices 9,7,5,3,1 -> 5
        let wide = try b.input("wide", .float, [batch, .fixed(10)])
        let sl = try b.node("Slice", [wide, try b.initializer([Int64]([2])), try b.initializer([Int64]([8])), try b.initializer([Int64]([1]))])
        XCTAssertEqual(dims(sl), [.param("batch"), .value(6)])
        let rev = try b.node("Slice", [wide, try b.initializer([Int64]([-1])), try b.initializer([Int64]([-100])),
                                       try b.initializer([Int64]([1])), try b.initializer([Int64]([-2]))])
        XCTAssertEqual(dims(rev), [.param("batch"), .value(5)])
        // Pad [batch, 10] with begins [0, 1], ends [0, 2]: batch unchanged, 10 + 1 + 2 = 13.
        let padded = try b.node("Pad", [wide, try b.initializer([Int64]([0, 1, 0, 2]))])
        XCTAssertEqual(dims(padded), [.param("batch"), .value(13)])
        // Split [batch, 10] into 2 along axis 1: 5 and 5; TopK k=3 on the last axis: [batch, 3] values and int64 indices.
        let halves = try b.node("Split", [wide], outputCount: 2, attributes: ["axis": .int(1), "num_outputs": .int(2)])
        XCTAssertEqual(halves.map(dims), [[.param("batch"), .value(5)], [.param("batch"), .value(5)]])
        let top = try b.node("TopK", [wide, try b.initializer([Int64]([3]))], outputCount: 2)
        XCTAssertEqual(top[0].type, .tensor(.float, [batch, .fixed(3)]))
        XCTAssertEqual(top[1].type, .tensor(.int64, [batch, .fixed(3)]))
        // Identity keeps everything.
        XCTAssertEqual(try b.node("Identity", [wide]).type, wide.type)
    }

    func testReductionsAndArgMax() throws {
        let b = GraphBuilder()  // opset 21: ReduceSum (13+) and ReduceMean/Max (18+) take axes as an input
        let x = try b.input("x", .float, [batch, .fixed(4)])
        let axis1 = try b.initializer([Int64]([1]))
        XCTAssertEqual(dims(try b.node("ReduceSum", [x, axis1], attributes: ["keepdims": .int(0)])), [.param("batch")])
        XCTAssertEqual(dims(try b.node("ReduceMean", [x, axis1])), [.param("batch"), .value(1)])  // keepdims defaults to 1
        XCTAssertEqual(dims(try b.node("ReduceMax", [x], attributes: ["keepdims": .int(0)])), [])  // no axes: all
        XCTAssertEqual(dims(try b.node("ReduceMax", [x], attributes: ["noop_with_empty_axes": .int(1)])), [.param("batch"), .value(4)])
        // At opset 17, ReduceMean takes axes as an attribute.
        let old = try GraphBuilder(opsets: ["": 17])
        let ox = try old.input("x", .float, [batch, .fixed(4)])
        XCTAssertEqual(dims(try old.node("ReduceMean", [ox], attributes: ["axes": .ints([-1]), "keepdims": .int(0)])), [.param("batch")])
        assertThrows(try old.node("ReduceMean", [ox, axis1])) {  // and has one input only
            if case .valueNotInScope = $0 { return true }  // axis1 belongs to another builder
            return false
        }
        let oaxis = try old.initializer([Int64]([1]))
        assertThrows(try old.node("ReduceMean", [ox, oaxis])) {
            if case .inputCountMismatch("ReduceMean", _, 17, 2, 1, 1) = $0 { return true }
            return false
        }
        // ArgMax: int64; axis 1 keepdims 0 -> [batch]; keepdims default 1 -> [batch, 1]
        let am = try b.node("ArgMax", [x], attributes: ["axis": .int(1), "keepdims": .int(0)])
        XCTAssertEqual(am.type, .tensor(.int64, [batch]))
        XCTAssertEqual(dims(try b.node("ArgMax", [x], attributes: ["axis": .int(1)])), [.param("batch"), .value(1)])
        assertThrows(try b.node("ArgMax", [x], attributes: ["axis": .int(2)])) {
            if case .invalidAttribute("ArgMax", _, "axis", _) = $0 { return true }
            return false
        }
    }

    func testConvAndPoolShapes() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [batch, .fixed(3), .fixed(32), .fixed(32)])
        let w = try b.initializer([Float](repeating: 0, count: 8 * 3 * 3 * 3), shape: [8, 3, 3, 3])
        // out = floor((32 + 1 + 1 - 3) / 1) + 1 = 32
        let c = try b.node("Conv", [x, w], attributes: ["pads": .ints([1, 1, 1, 1])])
        XCTAssertEqual(dims(c), [.param("batch"), .value(8), .value(32), .value(32)])
        // stride 2, no pads: floor((32 - 3) / 2) + 1 = 15
        let c2 = try b.node("Conv", [x, w], attributes: ["strides": .ints([2, 2])])
        XCTAssertEqual(dims(c2), [.param("batch"), .value(8), .value(15), .value(15)])
        // SAME_UPPER, stride 2: ceil(32 / 2) = 16
        let c3 = try b.node("Conv", [x, w], attributes: ["strides": .ints([2, 2]), "auto_pad": .string("SAME_UPPER")])
        XCTAssertEqual(dims(c3), [.param("batch"), .value(8), .value(16), .value(16)])
        // MaxPool 2x2 stride 2: floor((32 - 2) / 2) + 1 = 16; indices are int64
        let mp = try b.node("MaxPool", [x], outputCount: 2, attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])
        XCTAssertEqual(dims(mp[0]), [.param("batch"), .value(3), .value(16), .value(16)])
        XCTAssertEqual(mp[1].elementType, .int64)
        // AveragePool 3x3 stride 2 on 32 with ceil_mode: ceil((32 - 3) / 2) + 1 = 16 (floor would give 15)
        let ap = try b.node("AveragePool", [x], attributes: ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "ceil_mode": .int(1)])
        XCTAssertEqual(dims(ap), [.param("batch"), .value(3), .value(16), .value(16)])
        // 6 wide, kernel 2, stride 3, end pad 1, ceil_mode: ceil((6 + 1 - 2) / 3) + 1 = 3 windows, but the
        // third would start at 6, inside the padding; runtimes disagree on keeping it, so the size is left open.
        let small = try b.input("small", .float, [batch, .fixed(3), .fixed(6), .fixed(6)])
        let edge = try b.node("AveragePool", [small], attributes: [
            "kernel_shape": .ints([2, 2]), "strides": .ints([3, 3]), "ceil_mode": .int(1), "pads": .ints([0, 0, 1, 1]),
        ])
        XCTAssertEqual(dims(edge), [.param("batch"), .value(3), .unknown, .unknown])
        XCTAssertEqual(dims(try b.node("GlobalAveragePool", [x])), [.param("batch"), .value(3), .value(1), .value(1)])
        assertThrows(try b.node("MaxPool", [x])) { $0 == .missingAttribute(op: "MaxPool", node: "MaxPool", attribute: "kernel_shape") }
    }

    func testMLOperators() throws {
        let b = GraphBuilder()  // ai.onnx.ml 5
        let x = try b.input("x", .float, [batch, .fixed(4)])
        // TreeEnsemble (ml 5): Y has X's element type, shape [N, n_targets].
        let te = try b.node("TreeEnsemble", [x], attributes: [
            "n_targets": .int(2), "aggregate_function": .int(1), "post_transform": .int(0),
            "tree_roots": .ints([0]), "nodes_featureids": .ints([0]), "nodes_truenodeids": .ints([0]),
            "nodes_falsenodeids": .ints([1]), "nodes_trueleafs": .ints([1]), "nodes_falseleafs": .ints([1]),
            "nodes_modes": .tensor(try GraphBuilder.makeTensor([UInt8(0)])),
            "nodes_splits": .tensor(try GraphBuilder.makeTensor([Float(0.5)])),
            "leaf_targetids": .ints([0, 1]), "leaf_weights": .tensor(try GraphBuilder.makeTensor([Float(1), Float(2)])),
        ], domain: Domain.ml)
        XCTAssertEqual(te.type, .tensor(.float, [batch, .fixed(2)]))
        // The split thresholds must have X's element type.
        assertThrows(try b.node("TreeEnsemble", [x], attributes: [
            "tree_roots": .ints([0]), "nodes_featureids": .ints([0]), "nodes_truenodeids": .ints([0]),
            "nodes_falsenodeids": .ints([1]), "nodes_trueleafs": .ints([1]), "nodes_falseleafs": .ints([1]),
            "nodes_modes": .tensor(try GraphBuilder.makeTensor([UInt8(0)])),
            "nodes_splits": .tensor(try GraphBuilder.makeTensor([Double(0.5)])),
            "leaf_targetids": .ints([0]), "leaf_weights": .tensor(try GraphBuilder.makeTensor([Float(1)])),
        ], domain: Domain.ml)) {
            if case .invalidAttribute("TreeEnsemble", _, "nodes_splits", _) = $0 { return true }
            return false
        }
        // LinearClassifier with string labels: Y string [N], Z float [N, 3].
        let lc = try b.node("LinearClassifier", [x], outputCount: 2, attributes: [
            "coefficients": .floats([Float](repeating: 0, count: 12)), "intercepts": .floats([0, 0, 0]),
            "classlabels_strings": .strings(["a", "b", "c"]),
        ], domain: Domain.ml)
        XCTAssertEqual(lc[0].type, .tensor(.string, [batch]))
        XCTAssertEqual(lc[1].type, .tensor(.float, [batch, .fixed(3)]))
        // ZipMap over the scores: sequence of map(string -> float).
        let zm = try b.node("ZipMap", [lc[1]], attributes: ["classlabels_strings": .strings(["a", "b", "c"])], domain: Domain.ml)
        // (Each map value is a float scalar, tensor(float) with shape [].)
        XCTAssertEqual(zm.type, TypeProto(.sequence(elem: TypeProto(.map(keyType: .string, value: .tensor(.float, []))))))
        // LinearRegressor: float [N, targets]
        let lr = try b.node("LinearRegressor", [x], attributes: ["coefficients": .floats([Float](repeating: 1, count: 8)), "targets": .int(2)], domain: Domain.ml)
        XCTAssertEqual(lr.type, .tensor(.float, [batch, .fixed(2)]))
        // Normalizer: float, same shape, also for a double input.
        let xd = try b.input("xd", .double, [batch, .fixed(4)])
        XCTAssertEqual(try b.node("Normalizer", [xd], attributes: ["norm": .string("L2")], domain: Domain.ml).type, .tensor(.float, [batch, .fixed(4)]))
        // ArrayFeatureExtractor picking 2 columns: [N, 2], X's type.
        let cols = try b.initializer([Int64]([0, 2]))
        XCTAssertEqual(try b.node("ArrayFeatureExtractor", [x, cols], domain: Domain.ml).type, .tensor(.float, [batch, .fixed(2)]))
        // SVMRegressor: float [N, 1]; SVMClassifier: labels int64 [N].
        XCTAssertEqual(try b.node("SVMRegressor", [x], attributes: ["n_supports": .int(1)], domain: Domain.ml).type, .tensor(.float, [batch, .fixed(1)]))
        let svc = try b.node("SVMClassifier", [x], outputCount: 2, attributes: ["classlabels_ints": .ints([0, 1])], domain: Domain.ml)
        XCTAssertEqual(svc[0].type, .tensor(.int64, [batch]))
        XCTAssertEqual(svc[1].elementType, .float)

        try b.output(zm, name: "probabilities")
        try b.output(lc[0], name: "label")
        let m = try b.makeModel()
        XCTAssertEqual(m.opsetImport, [OperatorSetID(domain: "", version: 21), OperatorSetID(domain: "ai.onnx.ml", version: 5)])
    }

    func testTreeEnsembleRegressorAtML3() throws {
        let b = try GraphBuilder(opsets: ["": 15, Domain.ml: 3])
        let x = try b.input("x", .float, [batch, .fixed(4)])
        let y = try b.node("TreeEnsembleRegressor", [x], attributes: [
            "n_targets": .int(1), "nodes_treeids": .ints([0]), "nodes_nodeids": .ints([0]), "nodes_featureids": .ints([0]),
            "nodes_modes": .strings(["LEAF"]), "nodes_values": .floats([0]), "nodes_truenodeids": .ints([0]),
            "nodes_falsenodeids": .ints([0]), "target_ids": .ints([0]), "target_nodeids": .ints([0]),
            "target_treeids": .ints([0]), "target_weights": .floats([1.5]),
        ], domain: Domain.ml)
        XCTAssertEqual(y.type, .tensor(.float, [batch, .fixed(1)]))
        try b.output(y, name: "variable")
        let m = try b.makeModel()
        XCTAssertEqual(m.irVersion, 8)  // opset 15 and ml 3 both need IR 8
        XCTAssertEqual(m.opsetImport.map(\.version), [15, 3])
    }

    // MARK: - Subgraphs

    func testIfWithSubgraphCapturingAnOuterValue() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [batch, .fixed(4)])
        let flag = try b.input("flag", .bool, [])
        let h = try b.node("Relu", [x], outputName: "h")
        let thenBranch = try b.subgraph(name: "then") { g in
            let one = try g.constant([Float(1)], shape: [])
            try g.output(try g.node("Add", [h, one]))  // h comes from the outer graph
        }
        let elseBranch = try b.subgraph(name: "else") { g in
            try g.output(try g.node("Neg", [h]))
        }
        let y = try b.node("If", [flag], attributes: ["then_branch": .graph(thenBranch), "else_branch": .graph(elseBranch)])
        // Both branches give float [batch, 4] (Add of [batch, 4] and a scalar; Neg keeps the shape).
        XCTAssertEqual(y.type, .tensor(.float, [batch, .fixed(4)]))
        try b.output(y, name: "y")
        // h is used by a subgraph, so outputting it under another name needs an Identity.
        try b.output(h, name: "hidden")

        let g = try XCTUnwrap(b.makeModel().graph)
        XCTAssertEqual(g.node.map { $0.opType ?? "" }, ["Relu", "If", "Identity"])
        XCTAssertEqual(g.node[0].output, ["h"])
        let then = try XCTUnwrap(g.node[1].attribute(named: "then_branch")?.g)
        XCTAssertEqual(then.name, "then")
        XCTAssertTrue(then.input.isEmpty)
        XCTAssertEqual(then.node.map { $0.opType ?? "" }, ["Constant", "Add"])
        XCTAssertEqual(then.node[1].input.first, "h")
        XCTAssertEqual(then.output.first?.type, .tensor(.float, [batch, .fixed(4)]))
        let els = try XCTUnwrap(g.node[1].attribute(named: "else_branch")?.g)
        XCTAssertEqual(els.node.first?.input, ["h"])
        // Names are unique across the graph and its subgraphs.
        let all = g.node.flatMap(\.output) + then.node.flatMap(\.output) + els.node.flatMap(\.output) + g.input.compactMap(\.name)
        XCTAssertEqual(Set(all).count, all.count)
        let nodeNames = (g.node + then.node + els.node).compactMap(\.name)
        XCTAssertEqual(Set(nodeNames).count, nodeNames.count)
    }

    func testSubgraphValuesDoNotLeak() throws {
        let b = GraphBuilder()
        var inner: Value?
        _ = try b.subgraph { g in
            let c = try g.constant([Float(2)])
            inner = c
            try g.output(c)
        }
        let leaked = try XCTUnwrap(inner)
        assertThrows(try b.node("Relu", [leaked])) {
            if case .valueNotInScope = $0 { return true }
            return false
        }
        assertThrows(try b.subgraph { _ in }) {
            if case .noOutputs = $0 { return true }
            return false
        }
        let other = GraphBuilder()
        let foreign = try other.input("x", .float, [])
        assertThrows(try b.node("Relu", [foreign])) { $0 == .valueNotInScope(value: "x", node: "Relu") }
    }

    func testLoopBodyWithInputs() throws {
        let b = GraphBuilder()
        let x = try b.input("x", .float, [.fixed(3)])
        let trip = try b.initializer([Int64(5)], shape: [])
        let body = try b.subgraph(name: "body") { g in
            _ = try g.input("iter", .int64, [])
            let cond = try g.input("cond_in", .bool, [])
            let acc = try g.input("acc", .float, [.fixed(3)])
            let next = try g.node("Add", [acc, x])
            try g.output(cond, name: "cond_out")
            try g.output(next, name: "acc_out")
            try g.output(try g.node("Identity", [next]), name: "scan_out")
        }
        let outs = try b.node("Loop", [trip, nil, x], outputCount: 2, attributes: ["body": .graph(body)])
        // Carried value keeps [3]; the scan output gains a leading dim of unknown length.
        XCTAssertEqual(outs[0].type, .tensor(.float, [.fixed(3)]))
        XCTAssertEqual(dims(outs[1]), [.unknown, .value(3)])
        let g = b.graph()
        XCTAssertEqual(g.node.last?.input, [trip.name, "", "x"])
        XCTAssertEqual(body.input.map(\.name), ["iter", "cond_in", "acc"])
    }

    func testMakeModelErrors() throws {
        let b = GraphBuilder()
        assertThrows(try b.makeModel()) { $0 == .noOutputs(graph: "main") }
        _ = try b.subgraph(name: "s") { g in
            try g.output(try g.constant([Int64(1)]))
            XCTAssertThrowsError(try g.makeModel())
        }
    }
}
