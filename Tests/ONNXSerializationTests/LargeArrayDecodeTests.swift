import Foundation
import ONNX
@testable import ONNXSerialization
import TestSupport
import XCTest

/// Large attribute and tensor arrays of a mapped file are cut out of the bytes given to
/// protobuf-c and read straight into the Swift arrays (`StrippedArrays`). The decoded
/// model must equal what the plain path (protobuf-c on the whole file) gives, and a
/// malformed file must report the same error either way.
final class LargeArrayDecodeTests: XCTestCase {
    // MARK: hand-built protobuf

    func varint(_ v: UInt64) -> [UInt8] {
        var v = v
        var out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        out.append(UInt8(v))
        return out
    }
    func tag(_ number: UInt64, _ wire: UInt64) -> [UInt8] { varint(number << 3 | wire) }
    func delimited(_ number: UInt64, _ body: [UInt8]) -> [UInt8] { tag(number, 2) + varint(UInt64(body.count)) + body }
    func fixed32(_ v: Float) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    func fixed64(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }

    /// A model around one node with the given encoded attributes (and, optionally, an
    /// initializer's encoded TensorProto body).
    func model(attributes: [[UInt8]], initializer: [UInt8]? = nil) -> [UInt8] {
        var node = delimited(4, Array("TreeEnsembleRegressor".utf8)) + delimited(7, Array("ai.onnx.ml".utf8))
        for a in attributes { node += delimited(5, a) }
        var graph = delimited(1, node) + delimited(2, Array("g".utf8))
        if let initializer { graph += delimited(5, initializer) }
        return tag(1, 0) + varint(8) + delimited(8, tag(2, 0) + varint(3)) + delimited(7, graph)
    }

    /// Writes `bytes` to a file (at least 1 MiB, so it is mapped) and decodes it both ways.
    /// `stripped` says whether the mapped decode must take the stripped path (true) or
    /// fall back to the plain one (false).
    func decodeBothWays(_ bytes: [UInt8], _ name: String, stripped: Bool = true,
                        file: StaticString = #filePath, line: UInt = #line) throws -> (mapped: Model, plain: Model) {
        XCTAssertGreaterThanOrEqual(bytes.count, FileBytes.mapThreshold, "the file must be large enough to be mapped", file: file, line: line)
        let dir = TemporaryFolder(name)
        let url = dir.file("\(name).onnx")
        try Data(bytes).write(to: url)
        let mapping = try XCTUnwrap(try FileBytes.mapIfLarge(path: url.path), file: file, line: line)
        var stripper = LargePayloadStripper(input: mapping.bytes)
        let direct = try ModelCodec.decodeStripped(&stripper, owner: mapping, releasePages: true, source: url.path)
        XCTAssertEqual(direct != nil, stripped, "stripped path taken", file: file, line: line)
        let mapped = try Model(contentsOf: url)
        if let direct { XCTAssertEqual(direct, mapped, file: file, line: line) }
        return (mapped, try Model(serializedBytes: bytes, source: url.path))
    }

    /// The errors of both ways, which must both fail.
    func errorsBothWays(_ bytes: [UInt8], _ name: String) -> (mapped: ONNXSerializationError?, plain: ONNXSerializationError?) {
        let dir = TemporaryFolder(name)
        let url = dir.file("\(name).onnx")
        var mapped: ONNXSerializationError?
        var plain: ONNXSerializationError?
        XCTAssertNoThrow(try Data(bytes).write(to: url))
        XCTAssertThrowsError(try Model(contentsOf: url)) { mapped = $0 as? ONNXSerializationError }
        XCTAssertThrowsError(try Model(serializedBytes: bytes, source: url.path)) { plain = $0 as? ONNXSerializationError }
        return (mapped, plain)
    }

    /// How many message arrays the stripper cuts from `bytes`.
    func cutCount(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { b in
            var s = LargePayloadStripper(input: b)
            return s.strip() == nil ? 0 : s.arrays.count
        }
    }

    // MARK: values

    /// A tree-ensemble-like model built with the IR and written by the encoder (one
    /// field occurrence per element, as onnx writes them).
    func treeLikeModel() -> Model {
        let n = 150_000
        let ints = (0..<n).map { i -> Int64 in
            switch i % 5 {
            case 0: return Int64(i)
            case 1: return -Int64(i) * 977
            case 2: return Int64.max - Int64(i)
            case 3: return Int64.min + Int64(i)
            default: return 0
            }
        }
        let floats = (0..<n).map { i -> Float in
            switch i % 6 {
            case 0: return Float(i) * 0.25
            case 1: return -0.0
            case 2: return .infinity
            case 3: return -.leastNonzeroMagnitude
            case 4: return .greatestFiniteMagnitude
            default: return Float(i).squareRoot()
            }
        }
        let long = String(repeating: "x", count: 100)
        let strings = (0..<n).map { i -> ByteBuffer in
            ByteBuffer(utf8: i % 3 == 0 ? "LEAF" : i % 1000 == 1 ? long + String(i) : i % 1000 == 2 ? "" : "BRANCH_LEQ")
        }
        var values = Tensor()
        values.name = "values"
        values.dims = [Int64(n)]
        values.dataType = .int64
        values.int64Data = ints
        var doubles = Tensor()
        doubles.name = "doubles"
        doubles.dims = [20_000]
        doubles.dataType = .double
        doubles.doubleData = (0..<20_000).map { Double($0) * -1.5e-300 }
        var small = Tensor()
        small.name = "small"
        small.dataType = .int32
        small.dims = [3]
        small.int32Data = [-1, 2, Int32.min]
        var node = Node(opType: "TreeEnsembleRegressor", input: ["x"], output: ["y"], attribute: [
            Attribute(name: "nodes_treeids", value: .ints(ints)),
            Attribute(name: "nodes_values", value: .floats(floats)),
            Attribute(name: "nodes_modes", value: .strings(strings)),
            Attribute(name: "n_targets", value: .int(1)),
            Attribute(name: "few", value: .ints([1, 2, 3])),
        ])
        node.domain = "ai.onnx.ml"
        var g = Graph(name: "trees")
        g.node = [node]
        var i32 = Tensor()
        i32.name = "i32"
        i32.dims = [30_000]
        i32.dataType = .int32
        i32.int32Data = (0..<30_000).map { Int32($0) * (($0 % 2 == 0) ? -70_001 : 3) }
        var u64 = Tensor()
        u64.name = "u64"
        u64.dims = [10_000]
        u64.dataType = .uint64
        u64.uint64Data = (0..<10_000).map { UInt64.max - UInt64($0) * 12_345 }
        var fl = Tensor()
        fl.name = "fl"
        fl.dims = [10_000]
        fl.dataType = .float
        fl.floatData = (0..<10_000).map { Float($0) / 7 }
        var st = Tensor()
        st.name = "st"
        st.dims = [10_000]
        st.dataType = .string
        st.stringData = (0..<10_000).map { ByteBuffer(utf8: "s\($0 % 7)") }
        g.initializer = [values, doubles, small, i32, u64, fl, st]
        g.input = [ValueInfo(name: "x", type: .tensor(.float, [.symbolic("N"), .fixed(28)]))]
        g.output = [ValueInfo(name: "y", type: .tensor(.float, [.symbolic("N"), .fixed(1)]))]
        var m = Model()
        m.irVersion = 8
        m.opsetImport = [OperatorSetID(domain: "", version: 17), OperatorSetID(domain: "ai.onnx.ml", version: 3)]
        m.graph = g
        return m
    }

    func testLargeArraysDecodeToTheSameModelAsThePlainPath() throws {
        let m = treeLikeModel()
        let bytes = try m.serializedBytes()
        // Three attributes and six tensors are cut; "few" and "small" are too small.
        XCTAssertEqual(cutCount(bytes), 3 + 6)
        let (mapped, plain) = try decodeBothWays(bytes, "tree-like")
        XCTAssertEqual(plain, m)
        XCTAssertEqual(mapped, plain)
        // Bit patterns too (-0.0 == 0.0 would hide a sign lost on the way).
        let attr = try XCTUnwrap(mapped.graph?.node.first?.attribute.first { $0.name == "nodes_values" })
        XCTAssertEqual(attr.floats.map(\.bitPattern), m.graph!.node[0].attribute[1].floats.map(\.bitPattern))
        // The marker is not left behind as an unknown field, and re-encoding gives the file.
        XCTAssertTrue(mapped.graph!.node[0].attribute.allSatisfy { $0.unknownFields.isEmpty })
        XCTAssertEqual(try mapped.serializedBytes(), bytes)
        // Equal short strings share a buffer, as on the plain path.
        let modes = mapped.graph!.node[0].attribute[2].strings
        XCTAssertEqual(modes[4].string, "BRANCH_LEQ")
        XCTAssertEqual(modes[4].baseAddress, modes[5].baseAddress)
        XCTAssertEqual(modes[1].count, 101)
    }

    func testDeferredArraysStayInTheFileUntilRead() throws {
        let m = treeLikeModel()
        let bytes = try m.serializedBytes()
        let dir = TemporaryFolder("deferred")
        let url = dir.file("deferred.onnx")
        try Data(bytes).write(to: url)
        let deferred = try Model(contentsOf: url, deferLargeAttributeArrays: true)
        let original = m.graph!.node[0].attribute
        let attributes = deferred.graph!.node[0].attribute
        // The three large arrays are left in the file, the small one is decoded.
        for (name, field) in [("nodes_treeids", DeferredAttributeArrays.Field.ints), ("nodes_values", .floats), ("nodes_modes", .strings)] {
            let a = try XCTUnwrap(attributes.first { $0.name == name })
            let d = try XCTUnwrap(a.deferredArrays, name)
            XCTAssertTrue(d.contains(field), name)
            XCTAssertTrue(a.ints.isEmpty && a.floats.isEmpty && a.strings.isEmpty, name)
            XCTAssertTrue(a.hasValue, name)
            // value reads them, and gives what the plain decode gives.
            XCTAssertEqual(a.value, original.first { $0.name == name }!.value, name)
        }
        XCTAssertNil(attributes.first { $0.name == "few" }!.deferredArrays)
        // Visitors convert on the way; a second read gives the same again (the pages come back).
        let values = attributes.first { $0.name == "nodes_values" }!.deferredArrays!
        XCTAssertEqual(values.floats { $0.bitPattern }, original[1].floats.map(\.bitPattern))
        XCTAssertEqual(values.floats { $0.bitPattern }, original[1].floats.map(\.bitPattern))
        let modes = attributes.first { $0.name == "nodes_modes" }!.deferredArrays!
        XCTAssertEqual(modes.strings { $0.count }, original[2].strings.map(\.count))
        // Loading them gives the plain decode's attributes; encoding gives the file back.
        var loaded = attributes
        for i in loaded.indices { loaded[i].loadDeferredArrays() }
        XCTAssertEqual(loaded, original)
        XCTAssertEqual(try deferred.serializedBytes(), bytes)
        // Without the option nothing is deferred.
        XCTAssertTrue(try Model(contentsOf: url).graph!.node[0].attribute.allSatisfy { $0.deferredArrays == nil })
    }

    func testPackedAndUnpackedOccurrencesKeepFileOrder() throws {
        // One attribute whose ints come as single varints, packed runs and single varints
        // again, with other fields (and an unknown one) in between; floats and strings
        // likewise. protobuf-c appends every occurrence in file order.
        var expectedInts: [Int64] = []
        var expectedFloats: [Float] = []
        var expectedStrings: [String] = []
        var a: [UInt8] = []
        for i in 0..<40_000 {
            let v = Int64(i) * (i % 2 == 0 ? 1 : -1_000_003)
            a += tag(8, 0) + varint(UInt64(bitPattern: v)); expectedInts.append(v)
        }
        a += delimited(1, Array("mixed".utf8))
        var packed: [UInt8] = []
        for i in 0..<60_000 {
            let v = Int64(i) << 40
            packed += varint(UInt64(bitPattern: v)); expectedInts.append(v)
        }
        a += delimited(8, packed)
        a += delimited(8, [])                     // an empty packed run
        a += tag(99, 0) + varint(5)               // unknown to AttributeProto: kept
        for i in 0..<20_000 {
            a += tag(8, 0) + varint(UInt64(i)); expectedInts.append(Int64(i))
        }
        // An overlong (10-byte) varint that protobuf-c truncates to 64 bits.
        a += tag(8, 0) + [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]; expectedInts.append(-1)
        var floatRun: [UInt8] = []
        for i in 0..<30_000 {
            floatRun += fixed32(Float(i) - 0.5); expectedFloats.append(Float(i) - 0.5)
        }
        a += delimited(7, floatRun)
        for i in 0..<5_000 {
            a += tag(7, 5) + fixed32(Float(-i)); expectedFloats.append(Float(-i))
        }
        for i in 0..<80_000 {
            let s = i % 4 == 0 ? "LEAF" : i % 4 == 1 ? "BRANCH_LEQ" : "s\(i % 50)"
            a += delimited(9, Array(s.utf8)); expectedStrings.append(s)
        }
        a += tag(20, 0) + varint(7)
        let bytes = model(attributes: [a])
        XCTAssertEqual(cutCount(bytes), 1)
        let (mapped, plain) = try decodeBothWays(bytes, "mixed")
        XCTAssertEqual(mapped, plain)
        let attr = try XCTUnwrap(mapped.graph?.node.first?.attribute.first)
        XCTAssertEqual(attr.name, "mixed")
        XCTAssertEqual(attr.ints, expectedInts)
        XCTAssertEqual(attr.floats, expectedFloats)
        XCTAssertEqual(attr.strings.map(\.string), expectedStrings)
        XCTAssertEqual(attr.unknownFields.map(\.number), [99])
    }

    func testTensorArraysInAnInitializer() throws {
        // int32_data varints of negative values take 10 bytes and are truncated to 32
        // bits; double_data and float_data come packed and unpacked.
        var t = tag(1, 0) + varint(50_000) + tag(2, 0) + varint(6) + delimited(8, Array("t".utf8))
        var expected32: [Int32] = []
        for i in 0..<50_000 {
            let v = Int32(truncatingIfNeeded: i * -40_000)
            t += tag(5, 0) + varint(UInt64(bitPattern: Int64(v))); expected32.append(v)
        }
        var doubles: [UInt8] = []
        var expectedDoubles: [Double] = []
        for i in 0..<20_000 { doubles += fixed64(Double(i) * 1e300); expectedDoubles.append(Double(i) * 1e300) }
        t += delimited(10, doubles)
        for i in 0..<20_000 { t += tag(10, 1) + fixed64(-Double(i)); expectedDoubles.append(-Double(i)) }
        var floats: [UInt8] = []
        for i in 0..<20_000 { floats += tag(4, 5) + fixed32(Float(i)) }
        t += floats
        var uints: [UInt8] = []
        for i in 0..<20_000 { uints += varint(UInt64.max - UInt64(i)) }
        t += delimited(11, uints)
        let bytes = model(attributes: [delimited(1, Array("a".utf8)) + tag(3, 0) + varint(1)], initializer: t)
        XCTAssertEqual(cutCount(bytes), 1)
        let (mapped, plain) = try decodeBothWays(bytes, "tensor-arrays")
        XCTAssertEqual(mapped, plain)
        let tensor = try XCTUnwrap(mapped.graph?.initializer.first)
        XCTAssertEqual(tensor.int32Data, expected32)
        XCTAssertEqual(tensor.doubleData, expectedDoubles)
        XCTAssertEqual(tensor.floatData, (0..<20_000).map { Float($0) })
        XCTAssertEqual(tensor.uint64Data, (0..<20_000).map { UInt64.max - UInt64($0) })
    }

    func testFieldsInterleavedElementByElementAreLeftToProtobufC() throws {
        // ints and floats alternating one element at a time would make a run per element:
        // the attribute is not cut (the other one is), and both decode as protobuf-c does.
        var interleaved = delimited(1, Array("interleaved".utf8))
        for i in 0..<(LargePayloadStripper.maximumRuns + 10) {
            interleaved += tag(8, 0) + varint(UInt64(i)) + tag(7, 5) + fixed32(Float(i))
        }
        var plainRun = delimited(1, Array("run".utf8))
        for i in 0..<300_000 { plainRun += tag(8, 0) + varint(UInt64(i * 7)) }
        let bytes = model(attributes: [interleaved, plainRun])
        XCTAssertEqual(cutCount(bytes), 1)
        let (mapped, plain) = try decodeBothWays(bytes, "interleaved")
        XCTAssertEqual(mapped, plain)
        let attr = try XCTUnwrap(mapped.graph?.node.first?.attribute.first)
        XCTAssertEqual(attr.ints, (0..<Int64(LargePayloadStripper.maximumRuns + 10)).map { $0 })
        XCTAssertEqual(mapped.graph?.node.first?.attribute.last?.ints.count, 300_000)
    }

    func testASingularTensorGivenTwiceIsMergedAsByProtobufC() throws {
        // AttributeProto.t twice: protobuf-c merges the two tensors (int64_data of both,
        // in order). The cut bookkeeping cannot follow a merge, so the decode falls back
        // to the plain path; the values must still be protobuf-c's.
        func tensor(_ base: Int) -> [UInt8] {
            var t = tag(2, 0) + varint(7)
            for i in 0..<90_000 { t += tag(7, 0) + varint(UInt64(base + i)) }
            return t
        }
        let a = delimited(1, Array("value".utf8)) + delimited(5, tensor(0)) + delimited(5, tensor(1_000_000)) + tag(20, 0) + varint(4)
        let bytes = model(attributes: [a, a])
        let (mapped, plain) = try decodeBothWays(bytes, "merged", stripped: false)
        XCTAssertEqual(mapped, plain)
        XCTAssertEqual(mapped.graph?.node.first?.attribute.first?.t?.int64Data.count, 180_000)
    }

    func testAForeignMarkerFieldStaysAnUnknownField() throws {
        // The marker's field number in the file itself, with a 16-byte payload: it is not
        // this decode's marker (the nonce differs) and stays an unknown field.
        var a = delimited(1, Array("ints".utf8))
        for i in 0..<300_000 { a += tag(8, 0) + varint(UInt64(i)) }
        a += delimited(UInt64(LargePayloadStripper.markerField), [UInt8](repeating: 1, count: 16))
        let bytes = model(attributes: [a])
        let (mapped, plain) = try decodeBothWays(bytes, "foreign-marker")
        XCTAssertEqual(mapped, plain)
        XCTAssertEqual(mapped.graph?.node.first?.attribute.first?.unknownFields.count, 1)
        XCTAssertEqual(mapped.graph?.node.first?.attribute.first?.ints.count, 300_000)
    }

    // MARK: errors

    /// A large attribute with `bad` appended after 300,000 valid ints, then a name.
    func attributeWithBadTail(_ bad: [UInt8]) -> [UInt8] {
        var a: [UInt8] = []
        for i in 0..<300_000 { a += tag(8, 0) + varint(UInt64(i % 300)) }
        return a + bad + delimited(1, Array("bad".utf8))
    }

    func assertSameError(_ bytes: [UInt8], _ name: String, field: String, offset: Int? = nil, problem: String,
                         file: StaticString = #filePath, line: UInt = #line) {
        let (mapped, plain) = errorsBothWays(bytes, name)
        XCTAssertNotNil(mapped, file: file, line: line)
        XCTAssertEqual(mapped, plain, file: file, line: line)
        guard case .malformed(_, let o, let f, let p)? = mapped else { return XCTFail("\(String(describing: mapped))", file: file, line: line) }
        XCTAssertEqual(f, field, file: file, line: line)
        if let offset { XCTAssertEqual(o, offset, file: file, line: line) }
        XCTAssertTrue(p.contains(problem), p, file: file, line: line)
    }

    func testBadPackedVarintKeepsItsOffset() {
        // A packed run whose last varint is cut short.
        let run = varint(5) + [0x80, 0x80]
        let bytes = model(attributes: [attributeWithBadTail(tag(8, 2) + varint(UInt64(run.count)) + run)])
        let at = bytes.count - 3 - 5 - 2   // the run's last two bytes, before the name field and the graph's
        assertSameError(bytes, "bad-packed", field: "ModelProto.graph.node[0].attribute[0].ints[300000]", offset: at, problem: "truncated varint")
    }

    func testWrongWireTypeForIntsKeepsItsOffset() {
        let bytes = model(attributes: [attributeWithBadTail(tag(8, 5) + [1, 2, 3, 4])])
        let at = bytes.count - 3 - 5 - 5   // the fixed32 tag, before its 4 bytes, the name and the graph's
        assertSameError(bytes, "bad-wire", field: "ModelProto.graph.node[0].attribute[0].ints[300000]", offset: at, problem: "wrong wire type")
    }

    func testPackedFloatsOfABadLengthKeepTheirOffset() {
        var a: [UInt8] = []
        for i in 0..<300_000 { a += tag(7, 5) + fixed32(Float(i)) }
        a += tag(7, 2) + varint(6) + [0, 0, 128, 63, 0, 0]
        let bytes = model(attributes: [a])
        assertSameError(bytes, "bad-floats", field: "ModelProto.graph.node[0].attribute[0].floats[300000]",
                        offset: bytes.count - 3 - 6, problem: "not a multiple of 4")
    }

    func testFileCutInsideALargeAttributeKeepsItsOffset() throws {
        let bytes = try treeLikeModel().serializedBytes()
        // Cut in the middle of nodes_modes: the graph's length is the first thing that
        // no longer fits (ir_version, then opset_import entries, then the graph's tag).
        let cut = Array(bytes[0..<(bytes.count * 2 / 5)])
        let (mapped, plain) = errorsBothWays(cut, "cut")
        XCTAssertNotNil(mapped)
        XCTAssertEqual(mapped, plain)
        guard case .malformed(_, _, let field, let problem)? = mapped else { return XCTFail("\(String(describing: mapped))") }
        XCTAssertEqual(field, "ModelProto.graph", problem)
        XCTAssertTrue(problem.contains("runs past the end"), problem)
    }
}
