import Foundation
import Interpreter
import ONNX
import ONNXSerialization
import XCTest

/// A STRINGS attribute read back from bytes: repeated elements (a tree ensemble's
/// nodes_modes) share storage after decoding, and every element keeps its value.
final class StringListDecodeTests: XCTestCase {
    func testRepeatedStringsDecodeToTheSameValues() throws {
        // More distinct values than the decoder shares (16), long ones it never shares,
        // empty ones, and long runs of two words.
        var words: [String] = []
        for i in 0..<3000 {
            switch i % 7 {
            case 0: words.append("w\(i % 23)")
            case 1: words.append(String(repeating: "x", count: 65 + i % 3))
            case 2: words.append("")
            case 3, 4: words.append("BRANCH_LEQ")
            default: words.append("LEAF")
            }
        }
        var node = Node(opType: "Identity", input: ["x"], output: ["y"])
        node.attribute = [Attribute(name: "labels", value: .strings(words.map { ByteBuffer(utf8: $0) }))]
        var g = Graph(name: "g")
        g.node = [node]
        var m = Model()
        m.irVersion = 8
        m.graph = g
        let back = try Model(serializedBytes: try m.serializedBytes())
        guard case .strings(let got)? = back.graph?.node.first?.attribute.first?.value else { return XCTFail("no STRINGS attribute") }
        XCTAssertEqual(got.map { String(decoding: $0.withUnsafeBytes { Array($0) }, as: UTF8.self) }, words)
        XCTAssertEqual(back, m)
    }
}
