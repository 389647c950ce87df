import Foundation
import ONNX
import ONNXSerialization
import TestSupport
import XCTest

/// Decoding and encoding against byte sequences assembled by hand from the protobuf
/// encoding rules (tag = field << 3 | wire type), so the expected bytes do not come
/// from the code under test.
final class CodecTests: XCTestCase {
    // ModelProto { ir_version: 8; opset_import { domain: ""; version: 17 };
    //              producer_name: "hand"; graph { name: "g" } }
    // field 1 varint     -> 08 08
    // field 8 len 4      -> 42 04 | 0A 00 (domain "") 10 11 (version 17)
    // field 2 len 4      -> 12 04 68 61 6E 64
    // field 7 len 3      -> 3A 03 | 12 01 67 (GraphProto.name "g")
    let handBytes: [UInt8] = [0x08, 0x08, 0x12, 0x04, 0x68, 0x61, 0x6E, 0x64, 0x3A, 0x03, 0x12, 0x01, 0x67, 0x42, 0x04, 0x0A, 0x00, 0x10, 0x11]

    func testDecodesHandAssembledModel() throws {
        let m = try ModelCodec.decode(handBytes)
        XCTAssertEqual(m.irVersion, 8)
        XCTAssertEqual(m.producerName, "hand")
        XCTAssertEqual(m.graph?.name, "g")
        XCTAssertEqual(m.opsetImport, [OperatorSetID(domain: "", version: 17)])
        XCTAssertNil(m.modelVersion)
        XCTAssertNil(m.docString)
    }

    func testEncodesFieldsInNumberOrder() throws {
        var m = Model()
        m.irVersion = 8
        m.producerName = "hand"
        m.graph = Graph(name: "g")
        m.opsetImport = [OperatorSetID(domain: "", version: 17)]
        XCTAssertEqual(try m.serializedBytes(), handBytes)
    }

    func testUnknownFieldsSurvive() throws {
        // ir_version 8, then field 99 varint 5 (tag 99<<3|0 = 792 -> 98 06), then
        // field 100 length-delimited "xy" (tag 802 -> A2 06, 02 78 79).
        let bytes: [UInt8] = [0x08, 0x08, 0x98, 0x06, 0x05, 0xA2, 0x06, 0x02, 0x78, 0x79]
        let m = try ModelCodec.decode(bytes)
        XCTAssertEqual(m.unknownFields.map(\.number), [99, 100])
        XCTAssertEqual(try m.serializedBytes(), bytes)
    }

    func testWrongWireTypeNamesOffsetAndField() {
        // ir_version (field 1) sent length-delimited: tag 0A.
        assertMalformed([0x0A, 0x01, 0x00], offset: 0, field: "ModelProto.ir_version", contains: "wrong wire type")
    }

    func testLengthPastEndNamesNestedField() {
        // graph { node { op_type: <length 9, 2 bytes left> } }
        // 3A 05 | 0A 03 | 22 09 41   (field 7 -> GraphProto, field 1 -> NodeProto, field 4 op_type)
        assertMalformed([0x08, 0x08, 0x3A, 0x05, 0x0A, 0x03, 0x22, 0x09, 0x41], offset: 7,
                        field: "ModelProto.graph.node[0].op_type", contains: "runs past the end")
    }

    func testTruncatedVarint() {
        assertMalformed([0x08, 0x88], offset: 1, field: "ModelProto.ir_version", contains: "truncated varint")
    }

    func testFieldNumberZero() {
        assertMalformed([0x08, 0x08, 0x00], offset: 2, field: "ModelProto", contains: "invalid field number 0")
    }

    func testOtherFormatsAreNamed() {
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]
        XCTAssertThrowsError(try ModelCodec.decode(zip, source: "x.zip")) { e in
            guard case ONNXSerializationError.notAModel(let s, let reason)? = e as? ONNXSerializationError else { return XCTFail("\(e)") }
            XCTAssertEqual(s, "x.zip")
            XCTAssertTrue(reason.contains("zip"), reason)
        }
        XCTAssertThrowsError(try ModelCodec.decode([], source: "empty.onnx")) { e in
            XCTAssertTrue(String(describing: e).contains("empty"), "\(e)")
        }
    }

    /// Every prefix of a model either fails with an error or, when the cut falls on a
    /// field boundary, decodes to a model that encodes back to exactly that prefix.
    func testEveryTruncationFailsCleanlyOrIsAValidPrefix() throws {
        let bytes = try richModel().serializedBytes()
        var failures = 0
        for n in 0..<bytes.count {
            let prefix = Array(bytes[0..<n])
            do {
                let m = try ModelCodec.decode(prefix)
                XCTAssertEqual(try m.serializedBytes(), prefix, "prefix \(n) decoded but re-encoded differently")
            } catch let e as ONNXSerializationError {
                failures += 1
                switch e {
                case .malformed(_, let offset, _, _): XCTAssertLessThanOrEqual(offset, n)
                case .notAModel: break
                default: XCTFail("unexpected \(e)")
                }
            }
        }
        XCTAssertGreaterThan(failures, bytes.count / 2)
    }

    /// A model using every kind of field decodes to exactly the value it was built from.
    func testEveryFieldKindRoundTrips() throws {
        let m = richModel()
        let bytes = try m.serializedBytes()
        let back = try ModelCodec.decode(bytes)
        XCTAssertEqual(back, m)
        XCTAssertEqual(try back.serializedBytes(), bytes, "encoding is deterministic")
    }

    func assertMalformed(_ bytes: [UInt8], offset: Int, field: String, contains: String, line: UInt = #line) {
        XCTAssertThrowsError(try ModelCodec.decode(bytes, source: "bad.onnx"), line: line) { e in
            guard case ONNXSerializationError.malformed(let s, let o, let f, let p)? = e as? ONNXSerializationError else {
                return XCTFail("expected malformed, got \(e)", line: line)
            }
            XCTAssertEqual(s, "bad.onnx", line: line)
            XCTAssertEqual(o, offset, line: line)
            XCTAssertEqual(f, field, line: line)
            XCTAssertTrue(p.contains(contains), p, line: line)
            XCTAssertTrue(String(describing: e).contains("byte \(offset)"), line: line)
        }
    }
}

/// A model that sets at least one field of every message and attribute kind.
func richModel() -> Model {
    var t = Tensor(name: "w", dataType: .float, dims: [2, 2], rawData: ByteBuffer(copyingElementsOf: [Float(1), 2, 3, 4]))
    t.docString = "weights"
    t.metadataProps = [StringStringEntry(key: "k", value: "v")]
    var typed = Tensor()
    typed.name = "typed"
    typed.dataType = .int64
    typed.dims = [3]
    typed.int64Data = [-1, 0, Int64.max]
    var strings = Tensor()
    strings.name = "s"
    strings.dataType = .string
    strings.dims = [2]
    strings.stringData = [ByteBuffer(utf8: "a"), ByteBuffer(utf8: "bc")]
    var doubles = Tensor()
    doubles.dataType = .double
    doubles.dims = [1]
    doubles.doubleData = [0.1]
    doubles.segment = Tensor.Segment(begin: 0, end: 1)
    var u64 = Tensor()
    u64.dataType = .uint64
    u64.uint64Data = [UInt64.max]
    u64.floatData = [1.5]
    u64.int32Data = [-7]
    let sparse = SparseTensor(values: doubles, indices: typed, dims: [10])

    var body = Graph(name: "then")
    body.node = [Node(opType: "Identity", input: ["x"], output: ["y_then"])]
    body.output = [ValueInfo(name: "y_then", type: .tensor(.float, nil))]

    var node = Node(opType: "If", input: ["cond"], output: ["y"], name: "if0")
    node.attribute = [
        Attribute(name: "then_branch", value: .graph(body)),
        Attribute(name: "else_branch", value: .graph(body)),
        Attribute(name: "f", value: .float(0.5)),
        Attribute(name: "i", value: .int(-3)),
        Attribute(name: "s", string: "text"),
        Attribute(name: "t", value: .tensor(t)),
        Attribute(name: "sp", value: .sparseTensor(sparse)),
        Attribute(name: "tp", value: .typeProto(.tensor(.int8, [.fixed(1)]))),
        Attribute(name: "fs", value: .floats([1, 2])),
        Attribute(name: "is", value: .ints([1, -2])),
        Attribute(name: "ss", value: .strings([ByteBuffer(utf8: "p"), ByteBuffer()])),
        Attribute(name: "ts", value: .tensors([typed, strings])),
        Attribute(name: "gs", value: .graphs([body])),
        Attribute(name: "sps", value: .sparseTensors([sparse])),
        Attribute(name: "tps", value: .typeProtos([TypeProto(.sequence(elem: .tensor(.float, nil)))])),
    ]
    var ref = Attribute(name: "alpha")
    ref.refAttrName = "alpha"
    ref.type = .float
    ref.docString = "from the caller"
    node.attribute.append(ref)
    node.docString = "branch"
    node.overload = "o"
    node.metadataProps = [StringStringEntry(key: "a", value: nil)]
    var ndc = NodeDeviceConfiguration()
    ndc.configurationID = "cfg"
    ndc.pipelineStage = 2
    var spec = ShardingSpec()
    spec.tensorName = "x"
    spec.device = [0, 1]
    var entry = IntIntListEntry()
    entry.key = 1
    entry.value = [0, 1]
    spec.indexToDeviceGroupMap = [entry]
    var sd = ShardedDim()
    sd.axis = 0
    var ssd = SimpleShardedDim()
    ssd.dim = .param("batch")
    ssd.numShards = 2
    sd.simpleSharding = [ssd]
    spec.shardedDim = [sd]
    ndc.shardingSpec = [spec]
    node.deviceConfigurations = [ndc]

    var g = Graph(name: "main")
    g.node = [node]
    g.initializer = [t, u64]
    g.sparseInitializer = [sparse]
    g.docString = "doc"
    g.input = [
        ValueInfo(name: "cond", type: .tensor(.bool, [])),
        ValueInfo(name: "x", type: TypeProto(.tensor(elemType: .float, shape: TensorShape([.symbolic("batch"), .fixed(3), .unknown])), denotation: "TENSOR")),
        ValueInfo(name: "m", type: TypeProto(.map(keyType: .int64, value: .tensor(.float, nil)))),
        ValueInfo(name: "o", type: TypeProto(.optional(elem: TypeProto(.sparseTensor(elemType: .float, shape: TensorShape(fixed: [4])))))),
        ValueInfo(name: "q", type: TypeProto(.opaque(domain: "d", name: "n"))),
        ValueInfo(name: "none", type: TypeProto(.none)),
    ]
    g.output = [ValueInfo(name: "y", type: .tensor(.float, [.symbolic("batch")]), docString: "out")]
    g.valueInfo = [ValueInfo(name: "v", type: nil)]
    var ann = TensorAnnotation(tensorName: "w")
    ann.quantParameterTensorNames = [StringStringEntry(key: "SCALE_TENSOR", value: "s")]
    g.quantizationAnnotation = [ann]
    g.metadataProps = [StringStringEntry(key: "gk", value: "gv")]

    var m = Model()
    m.irVersion = 10
    m.opsetImport = [OperatorSetID(domain: "", version: 21), OperatorSetID(domain: "ai.onnx.ml", version: 5)]
    m.producerName = "tests"
    m.producerVersion = "1"
    m.domain = "org.example"
    m.modelVersion = 3
    m.docString = "a model"
    m.graph = g
    m.metadataProps = [StringStringEntry(key: "source", value: "hand")]
    var ti = TrainingInfo()
    ti.algorithm = body
    ti.updateBinding = [StringStringEntry(key: "w", value: "w2")]
    m.trainingInfo = [ti]
    var f = Function(name: "fn", domain: "local")
    f.input = ["a"]
    f.output = ["b"]
    f.attribute = ["alpha"]
    f.attributeProto = [Attribute(name: "beta", value: .float(1))]
    f.node = [Node(opType: "Relu", input: ["a"], output: ["b"])]
    f.opsetImport = [OperatorSetID(domain: "", version: 21)]
    f.valueInfo = [ValueInfo(name: "b", type: .tensor(.float, nil))]
    f.overload = "ov"
    m.functions = [f]
    var dc = DeviceConfiguration()
    dc.name = "cfg"
    dc.numDevices = 2
    dc.device = ["cpu0", "cpu1"]
    m.configuration = [dc]
    m.unknownFields = [UnknownField(number: 99, wireType: .varint, payload: ByteBuffer([0x05]))]
    return m
}
