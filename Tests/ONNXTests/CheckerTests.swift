import ONNX
import XCTest

/// The structural checker on models built in Swift: valid models pass, and each rule
/// has a model that breaks only that rule. What counts as broken follows
/// onnx.checker.check_model (onnx 1.23.2); Fixtures/onnx/broken holds the same cases
/// as files that onnx itself rejects (see CheckerCorpusTests).
final class CheckerTests: XCTestCase {
    let checker = Checker()

    // MARK: builders

    func tensorType(_ dims: [Int64], _ e: DataType = .float) -> TypeProto { .tensor(e, dims.map { .fixed($0) }) }
    func value(_ name: String, _ dims: [Int64] = [2], _ e: DataType = .float) -> ValueInfo {
        ValueInfo(name: name, type: tensorType(dims, e))
    }
    func floats(_ name: String, _ v: [Float], dims: [Int64]? = nil) -> Tensor {
        Tensor(name: name, dataType: .float, dims: dims ?? [Int64(v.count)], rawData: ByteBuffer(copyingElementsOf: v))
    }
    func node(_ op: String, _ inputs: [String], _ outputs: [String], name: String? = nil, domain: String? = nil,
              _ attributes: [Attribute] = []) -> Node {
        Node(opType: op, domain: domain, input: inputs, output: outputs, name: name, attribute: attributes)
    }
    func model(_ nodes: [Node], inputs: [ValueInfo]? = nil, outputs: [ValueInfo]? = nil, initializers: [Tensor] = [],
               opsets: [(String, Int64)] = [("", 21)], ir: Int64? = 10, functions: [Function] = []) -> Model {
        var g = Graph(name: "main")
        g.node = nodes
        g.input = inputs ?? [value("X")]
        g.output = outputs ?? [value("Y")]
        g.initializer = initializers
        var m = Model()
        m.irVersion = ir
        m.opsetImport = opsets.map { OperatorSetID(domain: $0.0, version: $0.1) }
        m.graph = g
        m.functions = functions
        return m
    }
    func neg(_ i: String, _ o: String, name: String? = nil) -> Node { node("Neg", [i], [o], name: name ?? "neg_\(o)") }

    /// An If on input B whose then-branch is given; the else-branch is Identity(X).
    func ifModel(_ thenNodes: [Node], thenOutput: String, after: [Node] = [], outputs: [ValueInfo]? = nil) -> Model {
        var tg = Graph(name: "then_g")
        tg.node = thenNodes
        tg.output = [value(thenOutput)]
        var eg = Graph(name: "else_g")
        eg.node = [node("Identity", ["X"], ["e"], name: "id_e")]
        eg.output = [value("e")]
        let ifNode = node("If", ["B"], ["Y"], name: "if_0",
                          [Attribute(name: "then_branch", value: .graph(tg)), Attribute(name: "else_branch", value: .graph(eg))])
        return model([ifNode] + after, inputs: [value("X"), value("B", [], .bool)], outputs: outputs)
    }

    func function(_ name: String, inputs: [String], outputs: [String], _ nodes: [Node],
                  opsets: [(String, Int64)] = [("", 21)], domain: String = "local") -> Function {
        var f = Function(name: name, domain: domain)
        f.input = inputs
        f.output = outputs
        f.node = nodes
        f.opsetImport = opsets.map { OperatorSetID(domain: $0.0, version: $0.1) }
        return f
    }

    func assertValid(_ m: Model, file: StaticString = #filePath, line: UInt = #line) {
        let issues = checker.check(m)
        XCTAssertEqual(issues, [], issues.map(\.description).joined(separator: "\n"), file: file, line: line)
    }

    /// Asserts that `m` breaks `rule` and nothing else; returns the issues.
    @discardableResult
    func assertBreaks(_ rule: CheckerRule, _ m: Model, file: StaticString = #filePath, line: UInt = #line) -> [CheckerIssue] {
        let issues = checker.check(m)
        XCTAssertFalse(issues.isEmpty, "expected a \(rule) issue, the model passed", file: file, line: line)
        XCTAssertEqual(Set(issues.map(\.rule)), [rule], issues.map(\.description).joined(separator: "\n"), file: file, line: line)
        return issues
    }

    // MARK: API

    func testRuleRawValuesAreUniqueKebabCase() {
        let raws = CheckerRule.allCases.map(\.rawValue)
        XCTAssertEqual(Set(raws).count, raws.count)
        for r in raws {
            XCTAssertNotNil(r.range(of: "^[a-z]+(-[a-z0-9]+)*$", options: .regularExpression), r)
        }
        XCTAssertEqual(CheckerRule(rawValue: "ir-version"), .irVersion)
    }

    func testValidateThrowsTheFirstIssue() {
        var m = model([neg("X", "Y")])
        XCTAssertNoThrow(try checker.validate(m))
        m.irVersion = nil
        m.graph?.name = ""
        XCTAssertThrowsError(try checker.validate(m)) { error in
            XCTAssertEqual((error as? CheckerIssue)?.rule, .irVersion)
        }
        XCTAssertEqual(checker.check(m).map(\.rule), [.irVersion, .requiredField])
    }

    func testIssueNamesNodeIndexNameAndValue() throws {
        let issues = assertBreaks(.topologicalOrder, model([neg("T", "Y", name: "late"), neg("X", "T", name: "early")]))
        let issue = try XCTUnwrap(issues.first)
        XCTAssertEqual(issue.location, "graph 'main' node 0 'late' (Neg)")
        XCTAssertTrue(issue.message.contains("'T'") && issue.message.contains("node 1 'early'"), issue.message)
        XCTAssertTrue(issue.description.hasSuffix("[topological-order]"), issue.description)
    }

    // MARK: valid models

    func testValidAddGraph() {
        assertValid(model([node("Add", ["X", "W"], ["Y"], name: "add")], initializers: [floats("W", [1, 2])]))
    }

    func testValidIfReadsOuterScopeValues() {
        assertValid(ifModel([neg("X", "t")], thenOutput: "t"))
    }

    func testValidSubgraphMayReuseANameFromTheOtherBranchAndTheNodesOwnOutput() {
        // onnx checks a node's subgraphs before defining the node's outputs.
        assertValid(ifModel([neg("X", "Y", name: "inner")], thenOutput: "Y"))
    }

    func testValidLoopBodyWithItsOwnInputs() {
        var body = Graph(name: "body")
        body.input = [ValueInfo(name: "i", type: nil), ValueInfo(name: "cond_in", type: nil), ValueInfo(name: "acc_in", type: nil)]
        body.node = [node("Identity", ["cond_in"], ["cond_out"], name: "c"), node("Add", ["acc_in", "X"], ["acc_out"], name: "add")]
        body.output = [ValueInfo(name: "cond_out", type: nil), ValueInfo(name: "acc_out", type: nil)]
        let loop = node("Loop", ["N", "", "X"], ["Y"], name: "loop", [Attribute(name: "body", value: .graph(body))])
        assertValid(model([loop], inputs: [value("X"), value("N", [], .int64)]))
    }

    func testValidMLOperator() {
        let lr = node("LinearRegressor", ["X"], ["Y"], name: "lr", domain: "ai.onnx.ml",
                      [Attribute(name: "coefficients", value: .floats([0.5, -1, 2])), Attribute(name: "intercepts", value: .floats([0.25]))])
        assertValid(model([lr], inputs: [value("X", [1, 3])], outputs: [value("Y", [1, 1])], opsets: [("", 21), ("ai.onnx.ml", 1)]))
    }

    func testValidLocalFunction() {
        let f = function("SquarePlus", inputs: ["a"], outputs: ["b"],
                         [node("Mul", ["a", "a"], ["sq"], name: "square"), node("Add", ["sq", "a"], ["b"], name: "plus")])
        assertValid(model([node("SquarePlus", ["X"], ["Y"], name: "call", domain: "local")],
                          opsets: [("", 21), ("local", 1)], functions: [f]))
    }

    func testValidEdgeCasesOnnxAccepts() {
        // Custom domain ops are unchecked; optional inputs may be empty; "__" attributes,
        // LayerNormalization's unchecked attributes and removed experimental ops pass.
        assertValid(model([node("Anything", ["X"], ["Y"], name: "c", domain: "com.example",
                                [Attribute(name: "whatever", value: .int(1))])],
                          opsets: [("", 21), ("com.example", 1)]))
        assertValid(model([node("Clip", ["X", "", "M"], ["Y"], name: "clip")], initializers: [floats("M", [1], dims: [])]))
        assertValid(model([node("Neg", ["X"], ["Y"], name: "n", [Attribute(name: "__internal", value: .int(1))])]))
        assertValid(model([node("LayerNormalization", ["X", "S"], ["Y"], name: "ln", [Attribute(name: "extra", value: .int(1))])],
                          initializers: [floats("S", [1, 1])]))
        assertValid(model([node("Scale", ["X"], ["Y"], name: "s")]))
        // An optional trailing output may be left empty.
        assertValid(model([node("Dropout", ["X"], ["Y", ""], name: "d")]))
    }

    func testValidInitializerRulesByIRVersion() {
        // IR 3: initializers are graph inputs; IR >= 4: they may also be inputs.
        let add = node("Add", ["X", "W"], ["Y"], name: "add")
        assertValid(model([add], inputs: [value("X"), value("W")], initializers: [floats("W", [1, 2])], opsets: [("", 8)], ir: 3))
        assertValid(model([add], inputs: [value("X"), value("W")], initializers: [floats("W", [1, 2])]))
        // IR < 3 has no opset_import and uses opset 1.
        assertValid(model([neg("X", "Y")], opsets: [], ir: 2))
    }

    func testValidTensorStorage() {
        let cast = node("Cast", ["W"], ["Y"], name: "cast", [Attribute(name: "to", value: .int(1))])
        func m(_ t: Tensor) -> Model { model([cast], inputs: [], outputs: [value("Y", t.dims)], initializers: [t]) }
        // 5 int4 values pack into 3 bytes; 5 uint2 into 2; 5 float6 into ceil(30/8) = 4.
        assertValid(m(Tensor(name: "W", dataType: .int4, dims: [5], rawData: ByteBuffer([0x21, 0x43, 0x05]))))
        assertValid(m(Tensor(name: "W", dataType: .uint2, dims: [5], rawData: ByteBuffer([0xE4, 0x01]))))
        assertValid(m(Tensor(name: "W", dataType: .float6e2m3, dims: [5], rawData: ByteBuffer([0, 0, 0, 0x0F]))))
        // Typed storage: int4 packs two per int32_data entry, complex64 takes two floats.
        var t = Tensor(); t.name = "W"; t.dataType = .int4; t.dims = [5]; t.int32Data = [0x21, 0x43, 0x05]
        assertValid(m(t))
        var c = Tensor(); c.name = "W"; c.dataType = .complex64; c.dims = [2]; c.floatData = [1, 0, 2, 0]
        assertValid(model([node("Identity", ["W"], ["Y"], name: "id")], inputs: [], outputs: [value("Y", [2], .complex64)], initializers: [c]))
        // External data with a relative location.
        var e = Tensor(); e.name = "W"; e.dataType = .float; e.dims = [2]; e.dataLocation = .external
        e.externalData = [StringStringEntry(key: "location", value: "sub/./w.bin"), StringStringEntry(key: "offset", value: "64")]
        assertValid(model([node("Add", ["X", "W"], ["Y"], name: "add")], initializers: [e]))
        // Zero elements, no data.
        var z = Tensor(); z.name = "W"; z.dataType = .float; z.dims = [0]
        assertValid(model([node("Identity", ["W"], ["Y"], name: "id")], inputs: [], outputs: [value("Y", [0])], initializers: [z]))
    }

    func testValidSparseInitializer() {
        var m = model([node("Add", ["X", "W"], ["Y"], name: "add")], inputs: [value("X", [2, 2])], outputs: [value("Y", [2, 2])])
        var idx = Tensor(); idx.name = "W_idx"; idx.dataType = .int64; idx.dims = [2]; idx.int64Data = [0, 3]
        var coo = Tensor(); coo.name = "V_idx"; coo.dataType = .int64; coo.dims = [2, 2]; coo.int64Data = [0, 1, 1, 0]
        m.graph?.sparseInitializer = [
            SparseTensor(values: floats("W", [1, 2]), indices: idx, dims: [2, 2]),
            SparseTensor(values: floats("V", [1, 2]), indices: coo, dims: [2, 2]),
        ]
        assertValid(m)
    }

    // MARK: one failing model per rule

    func testIRVersion() {
        assertBreaks(.irVersion, model([neg("X", "Y")], ir: nil))
        assertBreaks(.irVersion, model([neg("X", "Y")], ir: 0))
        assertBreaks(.irVersion, model([neg("X", "Y")], ir: 15))
    }

    func testOpsetImport() {
        assertBreaks(.opsetImport, model([neg("X", "Y")], opsets: []))
        assertBreaks(.opsetImport, model([neg("X", "Y")], opsets: [("", 21), ("ai.onnx", 20)]))
        assertBreaks(.opsetImport, model([neg("X", "Y")], opsets: [("", 1)], ir: 2))
        var m = model([neg("X", "Y")])
        m.opsetImport.append(OperatorSetID(domain: "com.example", version: nil))
        assertBreaks(.opsetImport, m)
    }

    func testOpsetCompatibility() {
        let f = function("F", inputs: ["a", "s"], outputs: ["b"], [node("Reshape", ["a", "s"], ["b"], name: "r")], opsets: [("", 19)])
        assertBreaks(.opsetCompatibility, model([node("F", ["X", "S"], ["Y"], name: "call", domain: "local")],
                                                inputs: [value("X"), value("S", [1], .int64)],
                                                opsets: [("", 21), ("local", 1)], functions: [f]))
        // Neg is the same schema (Neg-13) at 18 and 21: compatible.
        let g = function("F", inputs: ["a"], outputs: ["b"], [neg("a", "b")], opsets: [("", 18)])
        assertValid(model([node("F", ["X"], ["Y"], name: "call", domain: "local")], opsets: [("", 21), ("local", 1)], functions: [g]))
    }

    func testMetadataProps() {
        var m = model([neg("X", "Y")])
        m.metadataProps = [StringStringEntry(key: "a", value: "1"), StringStringEntry(key: "a", value: "2")]
        assertBreaks(.metadataProps, m)
    }

    func testRequiredField() {
        var m = model([neg("X", "Y")])
        m.graph?.name = nil
        assertBreaks(.requiredField, m)
        assertBreaks(.requiredField, model([node("", ["X"], ["Y"], name: "n")]))
        assertBreaks(.requiredField, model([node("Anything", ["X"], ["Y"], name: "n", domain: "com.example", [Attribute(name: "", value: .int(1))])],
                                           opsets: [("", 21), ("com.example", 1)]))
        var noGraph = Model()
        noGraph.irVersion = 10
        noGraph.opsetImport = [OperatorSetID(domain: "", version: 21)]
        assertBreaks(.requiredField, noGraph)
    }

    func testValueInfo() {
        assertBreaks(.valueInfo, model([neg("X", "Y")], inputs: [ValueInfo(name: "X", type: nil)]))
        assertBreaks(.valueInfo, model([neg("X", "Y")], inputs: [ValueInfo(name: "X", type: .tensor(.float, nil))]))
        assertBreaks(.valueInfo, model([neg("X", "Y")], outputs: [ValueInfo(name: "Y", type: TypeProto(.tensor(elemType: nil, shape: TensorShape([]))))]))
    }

    func testSSA() {
        assertBreaks(.ssa, model([neg("X", "Y", name: "a"), node("Abs", ["X"], ["Y"], name: "b")]))
        assertBreaks(.ssa, model([neg("X", "Y")], inputs: [value("X"), value("X")]))
        assertBreaks(.ssa, model([neg("X", "Y")], initializers: [floats("W", [1, 2]), floats("W", [1, 2])]))
        assertBreaks(.ssa, model([neg("X", "Y")], initializers: [floats("Y", [1, 2])]))
        // A subgraph may not redefine a name of the enclosing graph.
        let issues = assertBreaks(.ssa, ifModel([neg("X", "X", name: "shadow")], thenOutput: "X"))
        XCTAssertEqual(issues.first?.location, "graph 'main' node 0 'if_0' (If) attribute 'then_branch' > graph 'then_g' node 0 'shadow' (Neg)")
    }

    func testInitializerName() {
        assertBreaks(.initializerName, model([neg("X", "Y")], initializers: [floats("", [1, 2])]))
        assertBreaks(.initializerName, model([node("Add", ["X", "W"], ["Y"], name: "add")], initializers: [floats("W", [1, 2])],
                                             opsets: [("", 8)], ir: 3))
    }

    func testTopologicalOrder() {
        assertBreaks(.topologicalOrder, model([neg("T", "Y", name: "late"), neg("X", "T", name: "early")]))
        assertBreaks(.topologicalOrder, model([node("Add", ["X", "Y"], ["Y"], name: "self")]))
        // The then-branch reads Z, which the enclosing graph computes after the If.
        let issues = assertBreaks(.topologicalOrder, ifModel([neg("Z", "t")], thenOutput: "t", after: [neg("X", "Z")],
                                                             outputs: [value("Y"), value("Z")]))
        XCTAssertTrue(issues[0].message.contains("enclosing"), issues[0].message)
    }

    func testUndefinedInput() {
        assertBreaks(.undefinedInput, model([node("Add", ["X", "Q"], ["Y"], name: "add")]))
        assertBreaks(.undefinedInput, ifModel([neg("Q", "t")], thenOutput: "t"))
        // Function bodies do not see the graph's values.
        let f = function("F", inputs: ["a"], outputs: ["b"], [node("Add", ["a", "X"], ["b"], name: "add")])
        assertBreaks(.undefinedInput, model([node("F", ["X"], ["Y"], name: "call", domain: "local")],
                                            opsets: [("", 21), ("local", 1)], functions: [f]))
    }

    func testGraphOutput() {
        assertBreaks(.graphOutput, model([neg("X", "Y")], outputs: [value("Y"), value("Z")]))
        assertBreaks(.graphOutput, ifModel([], thenOutput: "X"))
        let f = function("F", inputs: ["a"], outputs: ["b"], [neg("a", "c")])
        assertBreaks(.graphOutput, model([node("F", ["X"], ["Y"], name: "call", domain: "local")],
                                         opsets: [("", 21), ("local", 1)], functions: [f]))
    }

    func testNodeDomain() {
        assertBreaks(.nodeDomain, model([node("Foo", ["X"], ["Y"], name: "foo", domain: "com.example")]))
        // A function resolves domains against its own imports only.
        let f = function("F", inputs: ["a"], outputs: ["b"], [node("Bar", ["a"], ["b"], name: "bar", domain: "com.example")])
        assertBreaks(.nodeDomain, model([node("F", ["X"], ["Y"], name: "call", domain: "local")],
                                        opsets: [("", 21), ("local", 1), ("com.example", 1)], functions: [f]))
    }

    func testUnknownOp() {
        assertBreaks(.unknownOp, model([node("Frobnicate", ["X"], ["Y"], name: "f")]))
        let issues = assertBreaks(.unknownOp, model([node("Gelu", ["X"], ["Y"], name: "g")], opsets: [("", 13)]))
        XCTAssertTrue(issues[0].message.contains("from opset 20"), issues[0].message)
        assertBreaks(.unknownOp, model([node("Frobnicate", ["X"], ["Y"], name: "f", domain: "ai.onnx.ml")], opsets: [("", 21), ("ai.onnx.ml", 5)]))
        // A local function in the default domain is not an operator there (onnx rejects it too).
        let f = function("G", inputs: ["a"], outputs: ["b"], [neg("a", "b")], domain: "")
        assertBreaks(.unknownOp, model([node("G", ["X"], ["Y"], name: "call")], functions: [f]))
    }

    func testDeprecatedOp() {
        assertBreaks(.deprecatedOp, model([node("Upsample", ["X", "S"], ["Y"], name: "up")], initializers: [floats("S", [2])], opsets: [("", 10)]))
        let tree = node("TreeEnsembleRegressor", ["X"], ["Y"], name: "t", domain: "ai.onnx.ml")
        assertBreaks(.deprecatedOp, model([tree], opsets: [("", 21), ("ai.onnx.ml", 5)]))
    }

    func testInputCount() {
        assertBreaks(.inputCount, model([node("Neg", ["X", "X"], ["Y"], name: "n")]))
        assertBreaks(.inputCount, model([node("Add", ["X"], ["Y"], name: "a")]))
        assertBreaks(.inputCount, model([node("Add", ["X", ""], ["Y"], name: "a")]))
    }

    func testOutputCount() {
        assertBreaks(.outputCount, model([node("Neg", ["X"], ["Y", "Z"], name: "n")]))
        assertBreaks(.outputCount, model([node("Neg", ["X"], [""], name: "n"), neg("X", "Y")]))
        let bn = node("BatchNormalization", ["X", "s", "b", "m", "v"], ["Y", "mean"], name: "bn")
        assertBreaks(.outputCount, model([bn], initializers: ["s", "b", "m", "v"].map { floats($0, [1, 1]) }, opsets: [("", 15)]))
        assertBreaks(.outputCount, model([node("Anything", [], [], name: "empty", domain: "com.example"), neg("X", "Y")],
                                         opsets: [("", 21), ("com.example", 1)]))
    }

    func testRequiredAttribute() {
        let issues = assertBreaks(.requiredAttribute, model([node("Cast", ["X"], ["Y"], name: "cast")]))
        XCTAssertTrue(issues[0].message.contains("'to'"), issues[0].message)
    }

    func testUnknownAttribute() {
        assertBreaks(.unknownAttribute, model([node("Neg", ["X"], ["Y"], name: "n", [Attribute(name: "alpha", value: .float(1))])]))
    }

    func testAttributeType() {
        assertBreaks(.attributeType, model([node("Cast", ["X"], ["Y"], name: "c", [Attribute(name: "to", value: .float(1))])]))
        var untyped = Attribute(name: "to", value: .int(1))
        untyped.type = nil
        assertBreaks(.attributeType, model([node("Cast", ["X"], ["Y"], name: "c", [untyped])]))
        var mismatched = Attribute(name: "to", value: .int(1))
        mismatched.i = nil
        mismatched.f = 1
        assertBreaks(.attributeType, model([node("Cast", ["X"], ["Y"], name: "c", [mismatched])]))
        var twoFields = Attribute(name: "to", value: .int(1))
        twoFields.f = 1
        assertBreaks(.attributeType, model([node("Cast", ["X"], ["Y"], name: "c", [twoFields])]))
        var empty = Attribute(name: "value")
        empty.type = .tensor
        assertBreaks(.attributeType, model([node("Constant", [], ["Y"], name: "k", [empty])], inputs: []))
    }

    func testDuplicateAttribute() {
        let to = Attribute(name: "to", value: .int(1))
        assertBreaks(.duplicateAttribute, model([node("Cast", ["X"], ["Y"], name: "c", [to, to])]))
    }

    func testTensorDataType() {
        var t = floats("W", [1, 2])
        t.dataType = nil
        assertBreaks(.tensorDataType, model([node("Add", ["X", "W"], ["Y"], name: "a")], initializers: [t]))
        t.dataType = DataType(rawValue: 99)
        assertBreaks(.tensorDataType, model([node("Add", ["X", "W"], ["Y"], name: "a")], initializers: [t]))
        t.dataType = .undefined
        assertBreaks(.tensorDataType, model([node("Add", ["X", "W"], ["Y"], name: "a")], initializers: [t]))
    }

    func testTensorDataSize() {
        let add = node("Add", ["X", "W"], ["Y"], name: "a")
        assertBreaks(.tensorDataSize, model([add], initializers: [Tensor(name: "W", dataType: .float, dims: [2], rawData: ByteBuffer([0, 0, 0x80, 0x3F]))]))
        // Longer than needed is wrong too (onnx only rejects shorter).
        assertBreaks(.tensorDataSize, model([add], initializers: [floats("W", [1, 2, 3], dims: [2])]))
        var typed = Tensor(); typed.name = "W"; typed.dataType = .float; typed.dims = [2]; typed.floatData = [1]
        assertBreaks(.tensorDataSize, model([add], initializers: [typed]))
        var none = Tensor(); none.name = "W"; none.dataType = .float; none.dims = [2]
        assertBreaks(.tensorDataSize, model([add], initializers: [none]))
        var negative = floats("W", [1, 2]); negative.dims = [-2]
        assertBreaks(.tensorDataSize, model([add], initializers: [negative]))
        // 5 int4 elements need 3 bytes; as int32_data, 3 entries.
        let cast = node("Cast", ["W"], ["Y"], name: "cast", [Attribute(name: "to", value: .int(1))])
        assertBreaks(.tensorDataSize, model([cast], inputs: [], outputs: [value("Y", [5])],
                                            initializers: [Tensor(name: "W", dataType: .int4, dims: [5], rawData: ByteBuffer([0x21, 0x43]))]))
        var int4 = Tensor(); int4.name = "W"; int4.dataType = .int4; int4.dims = [5]; int4.int32Data = [1, 2, 3, 4, 5]
        assertBreaks(.tensorDataSize, model([cast], inputs: [], outputs: [value("Y", [5])], initializers: [int4]))
        // Attribute tensors are checked too.
        let k = node("Constant", [], ["Y"], name: "k", [Attribute(name: "value", value: .tensor(floats("c", [1], dims: [2])))])
        assertBreaks(.tensorDataSize, model([k], inputs: []))
    }

    func testTensorDataField() {
        let add = node("Add", ["X", "W"], ["Y"], name: "a")
        var both = floats("W", [1, 2]); both.floatData = [1, 2]
        assertBreaks(.tensorDataField, model([add], initializers: [both]))
        var wrong = Tensor(); wrong.name = "S"; wrong.dataType = .int64; wrong.dims = [1]; wrong.int32Data = [2]
        assertBreaks(.tensorDataField, model([node("Reshape", ["X", "S"], ["Y"], name: "r")], initializers: [wrong]))
        var strings = Tensor(name: "W", dataType: .string, dims: [1], rawData: ByteBuffer(utf8: "abc"))
        strings.name = "W"
        assertBreaks(.tensorDataField, model([node("Identity", ["W"], ["Y"], name: "id")], inputs: [], outputs: [value("Y", [1], .string)],
                                             initializers: [strings]))
        // Packed float6: the unused high bits of the last byte must be zero.
        let cast = node("Cast", ["W"], ["Y"], name: "cast", [Attribute(name: "to", value: .int(1))])
        assertBreaks(.tensorDataField, model([cast], inputs: [], outputs: [value("Y", [1])],
                                             initializers: [Tensor(name: "W", dataType: .float6e2m3, dims: [1], rawData: ByteBuffer([0xFF]))]))
    }

    func testExternalData() {
        let add = node("Add", ["X", "W"], ["Y"], name: "a")
        func external(_ entries: [(String, String)], raw: Bool = false) -> Tensor {
            var t = Tensor(); t.name = "W"; t.dataType = .float; t.dims = [2]; t.dataLocation = .external
            t.externalData = entries.map { StringStringEntry(key: $0.0, value: $0.1) }
            if raw { t.rawData = ByteBuffer(copyingElementsOf: [Float(1), 2]) }
            return t
        }
        assertBreaks(.externalData, model([add], initializers: [external([("offset", "0")])]))
        assertBreaks(.externalData, model([add], initializers: [external([("location", "../w.bin")])]))
        assertBreaks(.externalData, model([add], initializers: [external([("location", "a/../../w.bin")])]))
        assertBreaks(.externalData, model([add], initializers: [external([("location", "/etc/w.bin")])]))
        assertBreaks(.externalData, model([add], initializers: [external([("location", "w.bin")], raw: true)]))
        assertBreaks(.externalData, model([add], initializers: [external([("location", "w.bin"), ("length", "many")])]))
    }

    func testSparseTensor() {
        func m(_ idx: [Int64], dims: [Int64] = [4], type: DataType = .int64, idxDims: [Int64]? = nil) -> Model {
            var mm = model([node("Add", ["X", "W"], ["Y"], name: "a")], inputs: [value("X", dims)], outputs: [value("Y", dims)])
            var t = Tensor(); t.name = "W_idx"; t.dataType = type; t.dims = idxDims ?? [Int64(idx.count)]
            if type == .int64 { t.int64Data = idx } else { t.int32Data = idx.map { Int32($0) } }
            mm.graph?.sparseInitializer = [SparseTensor(values: floats("W", [1, 2]), indices: t, dims: dims)]
            return mm
        }
        assertValid(m([0, 3]))
        assertBreaks(.sparseTensor, m([3, 0]))
        assertBreaks(.sparseTensor, m([1, 1]))
        assertBreaks(.sparseTensor, m([0, 4]))
        assertBreaks(.sparseTensor, m([0, 1], type: .int32))
        assertValid(m([0, 1, 1, 0], dims: [2, 2], idxDims: [2, 2]))
        assertBreaks(.sparseTensor, m([1, 0, 0, 1], dims: [2, 2], idxDims: [2, 2]))
        assertBreaks(.sparseTensor, m([0, 1, 1, 2], dims: [2, 2], idxDims: [2, 2]))
        assertBreaks(.sparseTensor, m([0, 1], dims: [2, 2], idxDims: [1, 2]))
        assertBreaks(.sparseTensor, m([0, 1], dims: [4, -1]))
    }

    func testLocalFunction() {
        let opsets: [(String, Int64)] = [("", 21), ("local", 1)]
        let call = node("F", ["X"], ["Y"], name: "call", domain: "local")
        let recursive = function("F", inputs: ["a"], outputs: ["b"], [node("F", ["a"], ["b"], name: "self", domain: "local")],
                                 opsets: opsets)
        let issues = assertBreaks(.localFunction, model([call], opsets: opsets, functions: [recursive]))
        XCTAssertTrue(issues[0].message.contains("local::F -> local::F"), issues[0].message)
        // A cycle through two functions, reached from inside a subgraph.
        var sub = Graph(name: "sub")
        sub.node = [node("G", ["a"], ["t"], name: "g", domain: "local")]
        sub.output = [value("t")]
        let f = function("F", inputs: ["a", "c"], outputs: ["b"],
                         [node("If", ["c"], ["b"], name: "if", [Attribute(name: "then_branch", value: .graph(sub)), Attribute(name: "else_branch", value: .graph(sub))])],
                         opsets: opsets)
        let g = function("G", inputs: ["a"], outputs: ["b"], [node("F", ["a", "a"], ["b"], name: "f", domain: "local")], opsets: opsets)
        let two = assertBreaks(.localFunction, model([call], opsets: opsets, functions: [f, g]))
        XCTAssertEqual(two.count, 1, two.map(\.description).joined(separator: "\n"))
        let plain = function("F", inputs: ["a"], outputs: ["b"], [neg("a", "b")])
        assertBreaks(.localFunction, model([call], opsets: opsets, functions: [plain, plain]))
        assertBreaks(.localFunction, model([call], opsets: opsets, ir: 7, functions: [plain]))
    }

    func testNestingDepth() {
        var g = Graph(name: "leaf")
        g.node = [node("Identity", ["X"], ["y0"], name: "id")]
        g.output = [value("y0")]
        for level in 1...(Checker.maxSubgraphDepth + 1) {
            var other = Graph(name: "other\(level)")
            other.node = [node("Identity", ["X"], ["o\(level)"], name: "id")]
            other.output = [value("o\(level)")]
            var outer = Graph(name: "level\(level)")
            outer.node = [node("If", ["B"], ["y\(level)"], name: "if\(level)",
                               [Attribute(name: "then_branch", value: .graph(g)), Attribute(name: "else_branch", value: .graph(other))])]
            outer.output = [value("y\(level)")]
            g = outer
        }
        var m = model([], inputs: [value("X"), value("B", [], .bool)], outputs: [value("Y")])
        m.graph?.node = g.node.map { var n = $0; n.output = ["Y"]; return n }
        assertBreaks(.nestingDepth, m)
    }

    // MARK: scale

    func testLongChainChecksCleanly() {
        // 50k nodes in a chain: a valid model gives no issue (the lookups are hashed, so
        // this stays linear; timings belong in a benchmark, not here).
        let n = 50_000
        var nodes: [Node] = []
        nodes.reserveCapacity(n)
        for i in 0..<n { nodes.append(neg(i == 0 ? "X" : "v\(i - 1)", i == n - 1 ? "Y" : "v\(i)", name: "n\(i)")) }
        assertValid(model(nodes))
    }
}
