import Foundation
import ONNX
import ONNXSerialization
import TestSupport
import XCTest

/// Files of 1 MiB and more are mapped and their large tensors are not copied; the
/// result must be the same model, and errors must still point into the file.
final class LargeModelTests: XCTestCase {
    func bigModel() -> Model {
        var g = Graph(name: "big")
        let a = (0..<200_000).map { Float($0) }
        let b = (0..<150_000).map { Double($0) * -0.5 }
        g.initializer = [
            Tensor(name: "a", dataType: .float, dims: [200_000], rawData: ByteBuffer(copyingElementsOf: a)),
            Tensor(name: "b", dataType: .double, dims: [150_000], rawData: ByteBuffer(copyingElementsOf: b)),
            // Exactly 16 bytes, the size of the stripper's markers: must stay as it is.
            Tensor(name: "c", dataType: .float, dims: [4], rawData: ByteBuffer(copyingElementsOf: [Float(1), 2, 3, 4])),
        ]
        var body = Graph(name: "body")
        body.node = [Node(opType: "Constant", output: ["k"], attribute: [
            Attribute(name: "value", value: .tensor(Tensor(name: "k", dataType: .float, dims: [100_000], rawData: ByteBuffer(copyingElementsOf: [Float](repeating: 7, count: 100_000))))),
        ])]
        body.output = [ValueInfo(name: "k", type: .tensor(.float, [.fixed(100_000)]))]
        g.node = [Node(opType: "If", input: ["cond"], output: ["y"], attribute: [
            Attribute(name: "then_branch", value: .graph(body)), Attribute(name: "else_branch", value: .graph(body)),
        ])]
        g.input = [ValueInfo(name: "cond", type: .tensor(.bool, []))]
        g.output = [ValueInfo(name: "y", type: .tensor(.float, [.fixed(100_000)]))]
        var m = Model()
        m.irVersion = 10
        m.opsetImport = [OperatorSetID(domain: "", version: 21)]
        m.graph = g
        return m
    }

    func testMappedDecodeGivesTheSameModel() throws {
        let dir = TemporaryFolder("big")
        let url = dir.file("big.onnx")
        let m = bigModel()
        try m.write(to: url)
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
        XCTAssertGreaterThan(size, 1 << 20)
        let back = try Model(contentsOf: url)
        XCTAssertEqual(back, m)
        // Re-encoding the mapped model gives the file's bytes again.
        let again = dir.file("again.onnx")
        try back.write(to: again)
        XCTAssertEqual(try Data(contentsOf: again), try Data(contentsOf: url))
        WrittenModels.record(url, as: "large-if-constant.onnx")
    }

    func testMappedDecodeReportsFileOffsets() throws {
        let dir = TemporaryFolder("big-bad")
        let url = dir.file("big.onnx")
        let bytes = try bigModel().serializedBytes()
        // Cut inside tensor b's payload. The first inconsistency is the graph's own
        // length: ir_version takes bytes 0-1 (08 0A), the graph's tag is byte 2 and its
        // length varint starts at byte 3.
        let cut = Array(bytes[0..<1_000_000])
        try Data(cut).write(to: url)
        XCTAssertThrowsError(try Model(contentsOf: url)) { e in
            guard case ONNXSerializationError.malformed(_, let offset, let field, let problem)? = e as? ONNXSerializationError else {
                return XCTFail("\(e)")
            }
            XCTAssertEqual(field, "ModelProto.graph", problem)
            XCTAssertEqual(offset, 3)
            XCTAssertTrue(problem.contains("runs past the end"), problem)
        }
    }

    func testErrorAfterLargePayloadsHasTheFileOffset() throws {
        let dir = TemporaryFolder("big-tail")
        let url = dir.file("big.onnx")
        let bytes = try bigModel().serializedBytes()
        // A start-group tag (field 1, wire type 3) appended after a valid model: the
        // stripper gives up, and the error is at the appended byte.
        try Data(bytes + [0x0B]).write(to: url)
        XCTAssertThrowsError(try Model(contentsOf: url)) { e in
            guard case ONNXSerializationError.malformed(_, let offset, let field, let problem)? = e as? ONNXSerializationError else {
                return XCTFail("\(e)")
            }
            XCTAssertEqual(offset, bytes.count)
            XCTAssertEqual(field, "ModelProto.ir_version")
            XCTAssertTrue(problem.contains("wire type"), problem)
        }
    }
}
