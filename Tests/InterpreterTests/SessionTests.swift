import Foundation
import Interpreter
import ONNX
import TestSupport
import XCTest

/// The engine: scopes, subgraphs, functions, errors. Expected values are worked out by
/// hand from the ONNX spec.
final class SessionTests: XCTestCase {
    func model(_ g: Graph, opset: Int64 = 21, functions: [Function] = []) -> Model {
        var m = Model()
        m.irVersion = 10
        m.opsetImport = [OperatorSetID(domain: "", version: opset)] + (functions.isEmpty ? [] : [OperatorSetID(domain: "local", version: 1)])
        m.graph = g
        m.functions = functions
        return m
    }

    func f32(_ v: [Float], _ shape: [Int]) -> Value { .tensor(TensorValue(floats: v, shape: shape)) }

    func testIfReadsOuterScopeValues() throws {
        var thenG = Graph(name: "then")
        thenG.node = [Node(opType: "Add", input: ["x", "x"], output: ["t"])]
        thenG.output = [ValueInfo(name: "t", type: nil)]
        var elseG = Graph(name: "else")
        elseG.node = [Node(opType: "Identity", input: ["x"], output: ["e"])]
        elseG.output = [ValueInfo(name: "e", type: nil)]
        var g = Graph(name: "main")
        g.input = [ValueInfo(name: "x", type: nil), ValueInfo(name: "c", type: nil)]
        g.node = [Node(opType: "If", input: ["c"], output: ["y"], attribute: [
            Attribute(name: "then_branch", value: .graph(thenG)), Attribute(name: "else_branch", value: .graph(elseG)),
        ])]
        g.output = [ValueInfo(name: "y", type: nil)]
        let s = try Session(model: model(g))
        let x = f32([1, -2], [2])
        XCTAssertEqual(try s.run(["x": x, "c": .tensor(TensorValue(bools: [true], shape: []))])["y"], f32([2, -4], [2]))
        XCTAssertEqual(try s.run(["x": x, "c": .tensor(TensorValue(bools: [false], shape: []))])["y"], f32([1, -2], [2]))
    }

    func testLoopCarriesAndStacks() throws {
        // acc_{k+1} = acc_k + x, 3 iterations, scan output = each new acc.
        var body = Graph(name: "body")
        body.input = [ValueInfo(name: "i", type: nil), ValueInfo(name: "cond", type: nil), ValueInfo(name: "acc", type: nil)]
        body.node = [Node(opType: "Add", input: ["acc", "x"], output: ["next"]), Node(opType: "Identity", input: ["next"], output: ["scan"])]
        body.output = [ValueInfo(name: "cond", type: nil), ValueInfo(name: "next", type: nil), ValueInfo(name: "scan", type: nil)]
        var g = Graph(name: "main")
        g.input = [ValueInfo(name: "x", type: nil)]
        g.initializer = [ONNX.Tensor(name: "n", dataType: .int64, dims: [], rawData: ByteBuffer(copyingElementsOf: [Int64(3)])),
                         ONNX.Tensor(name: "a0", dataType: .float, dims: [1], rawData: ByteBuffer(copyingElementsOf: [Float(10)]))]
        g.node = [Node(opType: "Loop", input: ["n", "", "a0"], output: ["final", "all"], attribute: [Attribute(name: "body", value: .graph(body))])]
        g.output = [ValueInfo(name: "final", type: nil), ValueInfo(name: "all", type: nil)]
        let out = try Session(model: model(g)).run(["x": f32([1], [1])])
        XCTAssertEqual(out["final"], f32([13], [1]))
        XCTAssertEqual(out["all"], f32([11, 12, 13], [3, 1]))
    }

    func testLocalFunctionWithAttributeReference() throws {
        // local.Twice(x) = x + x, with an unused attribute reference that has no value.
        var f = Function(name: "Twice", domain: "local")
        f.input = ["a"]
        f.output = ["b"]
        f.opsetImport = [OperatorSetID(domain: "", version: 21)]
        f.node = [Node(opType: "Add", input: ["a", "a"], output: ["b"])]
        var g = Graph(name: "main")
        g.input = [ValueInfo(name: "x", type: nil)]
        g.node = [Node(opType: "Twice", domain: "local", input: ["x"], output: ["y"])]
        g.output = [ValueInfo(name: "y", type: nil)]
        XCTAssertEqual(try Session(model: model(g, functions: [f])).run(["x": f32([3], [1])])["y"], f32([6], [1]))
    }

    func testUnsupportedOperatorNamesDomainOpAndVersions() {
        var g = Graph(name: "main")
        g.input = [ValueInfo(name: "x", type: nil)]
        g.node = [Node(opType: "Gelu", input: ["x"], output: ["y"])]
        g.output = [ValueInfo(name: "y", type: nil)]
        // Gelu first appears in opset 20, so a model importing opset 19 cannot use it.
        XCTAssertThrowsError(try Session(model: model(g, opset: 19))) { e in
            guard case InterpreterError.unsupportedOperator("", "Gelu", 19, let impl)? = e as? InterpreterError else { return XCTFail("\(e)") }
            XCTAssertTrue(impl.allSatisfy { $0 > 19 }, "\(impl)")
            XCTAssertTrue("\(e)".contains("ai.onnx.Gelu"), "\(e)")
        }
        var custom = Graph(name: "main")
        custom.input = [ValueInfo(name: "x", type: nil)]
        custom.node = [Node(opType: "Frobnicate", domain: "com.example", input: ["x"], output: ["y"])]
        custom.output = [ValueInfo(name: "y", type: nil)]
        var m = model(custom)
        m.opsetImport.append(OperatorSetID(domain: "com.example", version: 1))
        XCTAssertThrowsError(try Session(model: m)) { e in
            XCTAssertEqual(e as? InterpreterError, .unsupportedOperator(domain: "com.example", op: "Frobnicate", opset: 1, implemented: []))
            XCTAssertEqual("\(e)", "operator com.example.Frobnicate (opset 1) is not implemented by the interpreter")
        }
    }

    func testMissingInputAndShapeErrorsNameTheNode() throws {
        var g = Graph(name: "main")
        g.input = [ValueInfo(name: "a", type: nil), ValueInfo(name: "b", type: nil)]
        g.node = [Node(opType: "Add", input: ["a", "b"], output: ["y"], name: "adder")]
        g.output = [ValueInfo(name: "y", type: nil)]
        let s = try Session(model: model(g))
        XCTAssertThrowsError(try s.run(["a": f32([1], [1])])) { e in
            XCTAssertEqual(e as? InterpreterError, .missingInput(name: "b"))
        }
        XCTAssertThrowsError(try s.run(["a": f32([1, 2], [2]), "b": f32([1, 2, 3], [3])])) { e in
            XCTAssertTrue("\(e)".contains("adder"), "\(e)")
            XCTAssertTrue("\(e)".contains("[2]") && "\(e)".contains("[3]"), "\(e)")
        }
    }

    func testPreparedOnceRunManyTimes() throws {
        var g = Graph(name: "main")
        g.input = [ValueInfo(name: "x", type: nil)]
        g.node = [Node(opType: "Relu", input: ["x"], output: ["h"]), Node(opType: "Add", input: ["h", "h"], output: ["y"])]
        g.output = [ValueInfo(name: "y", type: nil)]
        let s = try Session(model: model(g))
        for k in 0..<5 {
            let v = Float(k) - 2
            XCTAssertEqual(try s.run(["x": f32([v], [1])])["y"], f32([max(v, 0) * 2], [1]))
        }
    }
}
