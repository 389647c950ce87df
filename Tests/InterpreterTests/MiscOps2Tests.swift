import Foundation
import Interpreter
import ONNX
import XCTest

/// The second batch of ops under Ops/Misc: SwiGLU, LpNormalization, the quantized ops
/// (DynamicQuantizeLinear, QLinearMatMul, QLinearConv), MaxUnpool, DeformConv,
/// LinearAttention, FlexAttention, SequenceMap, ImageDecoder and the
/// ai.onnx.preview.training optimizers. Every expected value is worked out by hand from
/// the ONNX spec (the arithmetic is in the comments).
final class MiscOps2Tests: XCTestCase {
    // MARK: helpers

    /// Runs one node; a nil input is an omitted optional input.
    func run(_ op: String, domain: String = "", opset: Int64, _ inputs: [Value?], outputs: Int = 1,
             _ attributes: [Attribute] = []) throws -> [Value] {
        var g = Graph(name: "main")
        var names: [String] = []
        var feeds: [String: Value] = [:]
        for (i, v) in inputs.enumerated() {
            guard let v else { names.append(""); continue }
            let n = "x\(i)"
            names.append(n)
            feeds[n] = v
            g.input.append(ValueInfo(name: n, type: nil))
        }
        let outs = (0..<outputs).map { "y\($0)" }
        g.node = [Node(opType: op, domain: domain.isEmpty ? nil : domain, input: names, output: outs, attribute: attributes)]
        g.output = outs.map { ValueInfo(name: $0, type: nil) }
        var m = Model()
        m.irVersion = 10
        m.opsetImport = [OperatorSetID(domain: "", version: domain.isEmpty ? opset : 21)]
        if !domain.isEmpty { m.opsetImport.append(OperatorSetID(domain: domain, version: opset)) }
        m.graph = g
        return try Session(model: m).runOrdered(feeds)
    }

    func f32(_ v: [Float], _ shape: [Int]) -> Value { .tensor(TensorValue(floats: v, shape: shape)) }
    func i64(_ v: [Int64], _ shape: [Int]) -> Value { .tensor(TensorValue(int64s: v, shape: shape)) }
    func u8(_ v: [UInt8], _ shape: [Int]) -> Value { .tensor(TensorValue(unchecked: .uint8, shape: shape, storage: .uint8(v))) }
    func i8(_ v: [Int8], _ shape: [Int]) -> Value { .tensor(TensorValue(unchecked: .int8, shape: shape, storage: .int8(v))) }
    func attr(_ n: String, _ v: Int64) -> Attribute { Attribute(name: n, value: .int(v)) }
    func attr(_ n: String, _ v: Float) -> Attribute { Attribute(name: n, value: .float(v)) }
    func attr(_ n: String, _ v: String) -> Attribute { Attribute(name: n, string: v) }
    func attr(_ n: String, ints v: [Int64]) -> Attribute { Attribute(name: n, value: .ints(v)) }

    func assertClose(_ v: Value, _ expected: [Double], _ shape: [Int], tolerance: Double = 1e-5,
                     file: StaticString = #filePath, line: UInt = #line) {
        guard let t = v.tensor else { return XCTFail("not a tensor: \(v)", file: file, line: line) }
        XCTAssertEqual(t.shape, shape, file: file, line: line)
        guard let d = try? t.doubles(), d.count == expected.count else {
            return XCTFail("\(t) does not hold \(expected.count) numbers", file: file, line: line)
        }
        for (i, (a, e)) in zip(d, expected).enumerated() where !(abs(a - e) <= tolerance * max(1, abs(e))) {
            XCTFail("element \(i): \(a), expected \(e)", file: file, line: line)
        }
    }

    func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    // MARK: SwiGLU, LpNormalization

    func testSwiGLU() throws {
        // Y = A * sigmoid(alpha * A) * B.
        let y = try run("SwiGLU", opset: 28, [f32([0, 1, -1, 2], [2, 2]), f32([2, 3, 4, 0.5], [2, 2])])[0]
        assertClose(y, [0, 1 * sigmoid(1) * 3, -1 * sigmoid(-1) * 4, 2 * sigmoid(2) * 0.5], [2, 2])
        // alpha 2: 1 * sigmoid(2) * 1.
        assertClose(try run("SwiGLU", opset: 28, [f32([1], [1]), f32([1], [1])], [attr("alpha", Float(2))])[0], [sigmoid(2)], [1])
        // No broadcasting: different shapes are an error.
        XCTAssertThrowsError(try run("SwiGLU", opset: 28, [f32([1, 2], [2]), f32([1], [1])]))
    }

    func testLpNormalization() throws {
        // L2 over axis 1: [3 4] / 5; an all-zero row stays zero.
        assertClose(try run("LpNormalization", opset: 22, [f32([3, 4, 0, 0], [2, 2])], [attr("axis", Int64(1))])[0],
                    [0.6, 0.8, 0, 0], [2, 2])
        // L1 over axis 0 of [[1 -3] [3 1]]: both columns have |.| sums of 4.
        assertClose(try run("LpNormalization", opset: 1, [f32([1, -3, 3, 1], [2, 2])], [attr("axis", Int64(0)), attr("p", Int64(1))])[0],
                    [0.25, -0.75, 0.75, 0.25], [2, 2])
        XCTAssertThrowsError(try run("LpNormalization", opset: 22, [f32([1], [1])], [attr("p", Int64(3))]))
    }

    // MARK: quantization

    func testDynamicQuantizeLinear() throws {
        // Range [-1, 2]: scale 3/255, zero point 0 - (-1) / scale = 85; x / scale = 85 x.
        // [0 2 -1 1 0.25] -> 85 + [0, 170 (saturates at 255), -85, 85, 21.25 -> 21].
        let out = try run("DynamicQuantizeLinear", opset: 11, [f32([0, 2, -1, 1, 0.25], [5])], outputs: 3)
        XCTAssertEqual(out[0].tensor?.storage, .uint8([85, 255, 0, 170, 106]))
        assertClose(out[1], [3.0 / 255], [])
        XCTAssertEqual(out[2].tensor?.storage, .uint8([85]))
        // Range widened to include 0: [0, 2], scale 2/255, zero point 0; 0.4 * 127.5 = 51.
        let pos = try run("DynamicQuantizeLinear", opset: 11, [f32([2, 0.4], [2])], outputs: 3)
        XCTAssertEqual(pos[0].tensor?.storage, .uint8([255, 51]))
        XCTAssertEqual(pos[2].tensor?.storage, .uint8([0]))
        // All zeros: scale 1, zero point 0.
        let zero = try run("DynamicQuantizeLinear", opset: 11, [f32([0, 0], [2])], outputs: 3)
        XCTAssertEqual(zero[0].tensor?.storage, .uint8([0, 0]))
        assertClose(zero[1], [1], [])
    }

    func testQLinearMatMulPerTensorAndPerRow() throws {
        // a - 1 = [[1 3] [2 2]], b - 1 = [[2] [0]]: products 2 and 4.
        // Row 0: 2 * 0.5 * 0.25 / 0.125 = 2 -> 12; row 1 (a_scale 1): 4 * 2 = 8 -> 18.
        let a = u8([2, 4, 3, 3], [2, 2]), b = u8([3, 1], [2, 1])
        let y = try run("QLinearMatMul", opset: 21, [a, f32([0.5, 1], [2]), u8([1, 1], [2]), b, f32([0.25], []), u8([1], []),
                                                     f32([0.125], []), u8([10], [])])[0]
        XCTAssertEqual(y.tensor?.shape, [2, 1])
        XCTAssertEqual(y.tensor?.storage, .uint8([12, 18]))
        // int8 saturates: 100 * 100 = 10000 -> 127; -100 * 100 -> -128.
        let s = try run("QLinearMatMul", opset: 10, [i8([100, -100], [2, 1]), f32([1], []), i8([0], []), i8([100], [1, 1]), f32([1], []),
                                                     i8([0], []), f32([1], []), i8([0], [])])[0]
        XCTAssertEqual(s.tensor?.storage, .int8([127, -128]))
        // A per-row scale of the wrong length is rejected.
        XCTAssertThrowsError(try run("QLinearMatMul", opset: 21, [a, f32([1, 1, 1], [3]), u8([1], []), b, f32([1], []), u8([1], []),
                                                                  f32([1], []), u8([0], [])]))
    }

    func testQLinearConvRoundsHalfToEven() throws {
        // 1x1 kernel 2, bias 3, multiplier 1 * 0.5 / 1: (2x + 3) / 2 + 5 = 7.5, 8.5, 9.5, 10.5 -> 8, 8, 10, 10.
        let y = try run("QLinearConv", opset: 10, [u8([1, 2, 3, 4], [1, 1, 2, 2]), f32([1], []), u8([0], []), u8([2], [1, 1, 1, 1]),
                                                   f32([0.5], [1]), u8([0], [1]), f32([1], []), u8([5], []),
                                                   .tensor(TensorValue(int32s: [3], shape: [1]))])[0]
        XCTAssertEqual(y.tensor?.shape, [1, 1, 2, 2])
        XCTAssertEqual(y.tensor?.storage, .uint8([8, 8, 10, 10]))
        // Padding reads the zero point: x 3 with x_zp 1 gives 2 in the centre, 0 around it.
        let p = try run("QLinearConv", opset: 10, [u8([3], [1, 1, 1, 1]), f32([1], []), u8([1], []), u8([1], [1, 1, 1, 1]),
                                                   f32([1], []), u8([0], []), f32([1], []), u8([0], [])],
                        [attr("pads", ints: [1, 1, 1, 1])])[0]
        XCTAssertEqual(p.tensor?.storage, .uint8([0, 0, 0, 0, 2, 0, 0, 0, 0]))
        // Two groups, one channel each: [3 * 1, 5 * 2].
        let unit: [Value?] = [f32([1], []), u8([0], [])]
        let g = try run("QLinearConv", opset: 10, [u8([3, 5], [1, 2, 1, 1])] + unit + [u8([1, 2], [2, 1, 1, 1])] + unit + unit,
                        [attr("group", Int64(2))])[0]
        XCTAssertEqual(g.tensor?.storage, .uint8([3, 10]))
        // 1-D, kernel [1 1] over [1 2 3]: SAME_UPPER pads one at the end -> [3 5 3]; SAME_LOWER at the start -> [1 3 5].
        let x1: [Value?] = [u8([1, 2, 3], [1, 1, 3])] + unit + [u8([1, 1], [1, 1, 2])] + unit + unit
        XCTAssertEqual(try run("QLinearConv", opset: 10, x1, [attr("auto_pad", "SAME_UPPER")])[0].tensor?.storage, .uint8([3, 5, 3]))
        XCTAssertEqual(try run("QLinearConv", opset: 10, x1, [attr("auto_pad", "SAME_LOWER")])[0].tensor?.storage, .uint8([1, 3, 5]))
    }

    // MARK: MaxUnpool, DeformConv

    func testMaxUnpool() throws {
        // Kernel [1 2], stride [1 2]: unpooled width (2 - 1) * 2 + 2 = 4; indices 1 and 2.
        let x = f32([5, 6], [1, 1, 1, 2]), i = i64([1, 2], [1, 1, 1, 2])
        let a = [attr("kernel_shape", ints: [1, 2]), attr("strides", ints: [1, 2])]
        assertClose(try run("MaxUnpool", opset: 22, [x, i], a)[0], [0, 5, 6, 0], [1, 1, 1, 4])
        // output_shape [1 1 2 5]: the [1 4] result sits in the top-left corner.
        assertClose(try run("MaxUnpool", opset: 11, [x, i, i64([1, 1, 2, 5], [4])], a)[0],
                    [0, 5, 6, 0, 0, 0, 0, 0, 0, 0], [1, 1, 2, 5])
        // An index outside the unpooled tensor is an error.
        XCTAssertThrowsError(try run("MaxUnpool", opset: 9, [x, i64([1, 4], [1, 1, 1, 2])], a))
    }

    func testDeformConvZeroOffsetsIsConv() throws {
        // X = 0...8 (3x3), W = ones 2x2: window sums 0+1+3+4 = 8, 12, 20, 24.
        let x = f32((0..<9).map(Float.init), [1, 1, 3, 3]), w = f32([1, 1, 1, 1], [1, 1, 2, 2])
        let y = try run("DeformConv", opset: 22, [x, w, f32([Float](repeating: 0, count: 32), [1, 8, 2, 2])])[0]
        assertClose(y, [8, 12, 20, 24], [1, 1, 2, 2])
    }

    func testDeformConvBilinearOffsetsMaskAndBias() throws {
        // X [[0 1] [2 3]], 1x1 kernel of 1, every tap moved by (+0.5, +0.5):
        // (0.5, 0.5) averages all four = 1.5; (0.5, 1.5) = (1 + 3) / 4 = 1; (1.5, 0.5) = (2 + 3) / 4 = 1.25;
        // (1.5, 1.5) = 3 / 4 = 0.75 (corners outside read zero).
        let x = f32([0, 1, 2, 3], [1, 1, 2, 2]), w = f32([1], [1, 1, 1, 1])
        let off = f32([Float](repeating: 0.5, count: 8), [1, 2, 2, 2])
        assertClose(try run("DeformConv", opset: 19, [x, w, off])[0], [1.5, 1, 1.25, 0.75], [1, 1, 2, 2])
        // mask [1 0.5 2 0] and bias 10: 11.5, 10.5, 12.5, 10.
        let y = try run("DeformConv", opset: 22, [x, w, off, f32([10], [1]), f32([1, 0.5, 2, 0], [1, 1, 2, 2])])[0]
        assertClose(y, [11.5, 10.5, 12.5, 10], [1, 1, 2, 2])
        // An offset tensor of the wrong shape is rejected.
        XCTAssertThrowsError(try run("DeformConv", opset: 22, [x, w, f32([0, 0], [1, 2, 1, 1])]))
    }

    // MARK: attention

    func testLinearAttentionUpdateRules() throws {
        // One head, d_k = d_v = 1, scale 1: q [1 2], k [1 1], v [3 4].
        let q = f32([1, 2], [1, 2, 1]), k = f32([1, 1], [1, 2, 1]), v = f32([3, 4], [1, 2, 1])
        let heads = [attr("q_num_heads", Int64(1)), attr("kv_num_heads", Int64(1)), attr("scale", Float(1))]
        // linear: S = 3, o = 3; S = 7, o = 2 * 7 = 14.
        let lin = try run("LinearAttention", opset: 27, [q, k, v], outputs: 2, heads + [attr("update_rule", "linear")])
        assertClose(lin[0], [3, 14], [1, 2, 1])
        assertClose(lin[1], [7], [1, 1, 1, 1])
        // gated, g = [0, ln 0.5]: S = 3; S = 0.5 * 3 + 4 = 5.5, o = 11.
        let g = f32([0, Float(log(0.5))], [1, 2, 1])
        let gated = try run("LinearAttention", opset: 27, [q, k, v, nil, g], outputs: 2, heads + [attr("update_rule", "gated")])
        assertClose(gated[0], [3, 11], [1, 2, 1])
        // delta, beta [1 0.5]: S = 1 * (3 - 0) = 3; S = 3 + 0.5 * (4 - 3) = 3.5, o = 7.
        let beta = f32([1, 0.5], [1, 2, 1])
        let delta = try run("LinearAttention", opset: 27, [q, k, v, nil, nil, beta], outputs: 2, heads + [attr("update_rule", "delta")])
        assertClose(delta[0], [3, 7], [1, 2, 1])
        // gated_delta (default): S = 3; decayed 1.5, S = 1.5 + 0.5 * (4 - 1.5) = 2.75, o = 5.5.
        let gd = try run("LinearAttention", opset: 27, [q, k, v, nil, g, beta], outputs: 2, heads)
        assertClose(gd[0], [3, 5.5], [1, 2, 1])
        assertClose(gd[1], [2.75], [1, 1, 1, 1])
        // past_state 1 with linear: S = 1 + 3 = 4, o = 4; S = 8, o = 16.
        let past = try run("LinearAttention", opset: 27, [q, k, v, f32([1], [1, 1, 1, 1])], outputs: 2, heads + [attr("update_rule", "linear")])
        assertClose(past[0], [4, 16], [1, 2, 1])
        // A rule that needs decay without it is an error.
        XCTAssertThrowsError(try run("LinearAttention", opset: 27, [q, k, v], outputs: 2, heads))
    }

    func testLinearAttentionGroupedQuery() throws {
        // Two query heads share one KV head: S = 1 * 3; o = [1 * 3, 2 * 3]; default scale 1 / sqrt(1).
        let y = try run("LinearAttention", opset: 27, [f32([1, 2], [1, 1, 2]), f32([1], [1, 1, 1]), f32([3], [1, 1, 1])], outputs: 2,
                        [attr("q_num_heads", Int64(2)), attr("kv_num_heads", Int64(1)), attr("update_rule", "linear")])
        assertClose(y[0], [3, 6], [1, 1, 2])
    }

    /// A subgraph `out = Op(in, const)` with a 1-D float constant.
    func modifier(_ op: String, input: String, constant: [Float]) -> Attribute.Value {
        var g = Graph(name: op)
        var c = ONNX.Tensor()
        c.name = "c"
        c.dataType = .float
        c.dims = [Int64(constant.count)]
        c.floatData = constant
        g.initializer = [c]
        g.input = [ValueInfo(name: input, type: nil)]
        g.node = [Node(opType: op, input: [input, "c"], output: ["out"])]
        g.output = [ValueInfo(name: "out", type: nil)]
        return .graph(g)
    }

    func testFlexAttentionWithModifiers() throws {
        // E = 1, default scale 1: scores [0, ln 3] -> softmax [1/4, 3/4]; V [4 8] -> 1 + 6 = 7.
        let q = f32([1], [1, 1, 1, 1]), k = f32([0, Float(log(3.0))], [1, 1, 2, 1]), v = f32([4, 8], [1, 1, 2, 1])
        assertClose(try run("FlexAttention", domain: "ai.onnx.preview", opset: 1, [q, k, v])[0], [7], [1, 1, 1, 1])
        // score_mod adds [ln 3, 0]: equal scores, probabilities 1/2 each -> 6.
        let sm = Attribute(name: "score_mod", value: modifier("Add", input: "scores", constant: [Float(log(3.0)), 0]))
        assertClose(try run("FlexAttention", domain: "ai.onnx.preview", opset: 1, [q, k, v], [sm])[0], [6], [1, 1, 1, 1])
        // prob_mod doubles the probabilities: 14.
        let pm = Attribute(name: "prob_mod", value: modifier("Mul", input: "probs", constant: [2]))
        assertClose(try run("FlexAttention", domain: "ai.onnx.preview", opset: 1, [q, k, v], [pm])[0], [14], [1, 1, 1, 1])
        // scale 0 makes the scores equal: 6.
        assertClose(try run("FlexAttention", domain: "ai.onnx.preview", opset: 1, [q, k, v], [attr("scale", Float(0))])[0], [6], [1, 1, 1, 1])
    }

    // MARK: SequenceMap

    func testSequenceMapWithTensorAndSequenceInputs() throws {
        var body = Graph(name: "body")
        body.input = [ValueInfo(name: "a", type: nil), ValueInfo(name: "b", type: nil)]
        body.node = [Node(opType: "Add", input: ["a", "b"], output: ["s"]), Node(opType: "Shape", input: ["a"], output: ["n"])]
        body.output = [ValueInfo(name: "s", type: nil), ValueInfo(name: "n", type: nil)]
        let seq = Value.sequence([f32([1, 2], [2]), f32([3], [1])], elementType: nil)
        let battr = Attribute(name: "body", value: .graph(body))
        // Tensor extra input [10]: [11 12], [13]; shapes [2], [1].
        let out = try run("SequenceMap", opset: 17, [seq, f32([10], [1])], outputs: 2, [battr])
        guard case .sequence(let sums, _) = out[0], case .sequence(let shapes, _) = out[1] else { return XCTFail("not sequences") }
        XCTAssertEqual(sums.count, 2)
        assertClose(sums[0], [11, 12], [2])
        assertClose(sums[1], [13], [1])
        XCTAssertEqual(shapes[0].tensor?.storage, .int64([2]))
        // Sequence extra input: element-wise pairing, [1 2] + [1 1] and [3] + [4].
        let other = Value.sequence([f32([1, 1], [2]), f32([4], [1])], elementType: nil)
        let paired = try run("SequenceMap", opset: 17, [seq, other], outputs: 2, [battr])
        guard case .sequence(let p, _) = paired[0] else { return XCTFail("not a sequence") }
        assertClose(p[0], [2, 3], [2])
        assertClose(p[1], [7], [1])
        // Sequences of different lengths are rejected.
        XCTAssertThrowsError(try run("SequenceMap", opset: 17, [seq, .sequence([f32([1], [1])], elementType: nil)], outputs: 2, [battr]))
    }

    // MARK: ImageDecoder

    /// A 2x2 24-bit bottom-up BMP: top row red, green; bottom row blue, white.
    func bmp() -> [UInt8] {
        func le32(_ v: Int) -> [UInt8] { [UInt8(v & 255), UInt8(v >> 8 & 255), UInt8(v >> 16 & 255), UInt8(v >> 24 & 255)] }
        var h: [UInt8] = [0x42, 0x4D] + le32(54 + 16) + [0, 0, 0, 0] + le32(54)
        h += le32(40) + le32(2) + le32(2) + [1, 0, 24, 0] + le32(0) + le32(16) + le32(2835) + le32(2835) + le32(0) + le32(0)
        // Rows bottom first, pixels B G R, rows padded to 8 bytes.
        let bottom: [UInt8] = [255, 0, 0, 255, 255, 255, 0, 0]
        let top: [UInt8] = [0, 0, 255, 0, 255, 0, 0, 0]
        return h + bottom + top
    }

    func testImageDecoderBMP() throws {
        let data = bmp()
        let rgb = try run("ImageDecoder", opset: 20, [u8(data, [data.count])])[0]
        XCTAssertEqual(rgb.tensor?.shape, [2, 2, 3])
        XCTAssertEqual(rgb.tensor?.storage, .uint8([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]))
        let bgr = try run("ImageDecoder", opset: 20, [u8(data, [data.count])], [attr("pixel_format", "BGR")])[0]
        XCTAssertEqual(bgr.tensor?.storage, .uint8([0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255]))
        // Luma (19595 R + 38470 G + 7471 B + 32768) >> 16: red 76, green 150, blue 29, white 255.
        let gray = try run("ImageDecoder", opset: 20, [u8(data, [data.count])], [attr("pixel_format", "Grayscale")])[0]
        XCTAssertEqual(gray.tensor?.shape, [2, 2, 1])
        XCTAssertEqual(gray.tensor?.storage, .uint8([76, 150, 29, 255]))
        // A truncated file is an error, not a crash.
        XCTAssertThrowsError(try run("ImageDecoder", opset: 20, [u8(Array(data.prefix(60)), [60])]))
    }

    func testImageDecoderPNMAndTIFF() throws {
        // Binary P6, 2x1.
        let p6 = Array("P6\n2 1\n255\n".utf8) + [1, 2, 3, 4, 5, 6]
        XCTAssertEqual(try run("ImageDecoder", opset: 20, [u8(p6, [p6.count])])[0].tensor?.storage, .uint8([1, 2, 3, 4, 5, 6]))
        // ASCII P2 with a comment and maxval 4: 0 -> 0, 4 -> 255, replicated to RGB.
        let p2 = Array("P2\n# comment\n2 1\n4\n0 4\n".utf8)
        XCTAssertEqual(try run("ImageDecoder", opset: 20, [u8(p2, [p2.count])])[0].tensor?.storage, .uint8([0, 0, 0, 255, 255, 255]))
        // P1 bitmap (1 is black), with and without separators between the pixels.
        for text in ["P1\n3 1\n0 1 0\n", "P1 3 1 010"] {
            let p1 = Array(text.utf8)
            XCTAssertEqual(try run("ImageDecoder", opset: 20, [u8(p1, [p1.count])])[0].tensor?.storage,
                           .uint8([255, 255, 255, 0, 0, 0, 255, 255, 255]))
        }
        // Uncompressed little-endian TIFF, 1x1 RGB pixel (10, 20, 30) after a 9-entry IFD.
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 255), UInt8(v >> 8 & 255)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16) }
        func entry(_ tag: Int, short v: Int) -> [UInt8] { le16(tag) + le16(3) + le32(1) + le16(v) + [0, 0] }
        func entry(_ tag: Int, long v: Int) -> [UInt8] { le16(tag) + le16(4) + le32(1) + le32(v) }
        var tiff: [UInt8] = [0x49, 0x49, 42, 0] + le32(8) + le16(9)
        tiff += entry(256, short: 1) + entry(257, short: 1) + entry(258, short: 8) + entry(259, short: 1) + entry(262, short: 2)
        tiff += entry(273, long: 8 + 2 + 9 * 12 + 4) + entry(277, short: 3) + entry(278, short: 1) + entry(279, long: 3)
        tiff += le32(0) + [10, 20, 30]
        XCTAssertEqual(try run("ImageDecoder", opset: 20, [u8(tiff, [tiff.count])])[0].tensor?.storage, .uint8([10, 20, 30]))
        // Compressed formats are rejected with an error.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        XCTAssertThrowsError(try run("ImageDecoder", opset: 20, [u8(png, [png.count])]))
    }

    // MARK: training optimizers

    let training = "ai.onnx.preview.training"

    func testAdagrad() throws {
        // r = 0.1 / (1 + 1 * 0.5); H' = 0 + 2^2 = 4; X' = 1 - r * 2 / (2 + 0) = 1 - 0.1 / 1.5.
        let out = try run("Adagrad", domain: training, opset: 1, [f32([0.1], []), i64([1], []), f32([1], [1]), f32([2], [1]), f32([0], [1])],
                          outputs: 2, [attr("decay_factor", Float(0.5)), attr("epsilon", Float(0))])
        assertClose(out[0], [1 - 0.1 / 1.5], [1])
        assertClose(out[1], [4], [1])
        // Two tensors, R 1: X1' = 1 - 2/2 = 0, X2' = [2 - 1/2, 3 - 1/1]; H' = [4], [4 1].
        let two = try run("Adagrad", domain: training, opset: 1,
                          [f32([1], []), i64([0], []), f32([1], [1]), f32([2, 3], [2]), f32([2], [1]), f32([1, 1], [2]), f32([0], [1]), f32([3, 0], [2])],
                          outputs: 4, [attr("epsilon", Float(0))])
        assertClose(two[0], [0], [1])
        assertClose(two[1], [1.5, 2], [2])
        assertClose(two[2], [4], [1])
        assertClose(two[3], [4, 1], [2])
        // Inputs that do not split into three runs are rejected.
        XCTAssertThrowsError(try run("Adagrad", domain: training, opset: 1, [f32([1], []), i64([0], []), f32([1], [1]), f32([1], [1])], outputs: 2))
    }

    func testAdam() throws {
        let inputs: (Int64) -> [Value?] = { [self.f32([0.1], []), self.i64([$0], []), self.f32([1], [1]), self.f32([1], [1]), self.f32([0], [1]), self.f32([0], [1])] }
        // V' = 0.1, H' = 0.001. T = 0: X' = 1 - 0.1 * 0.1 / sqrt(0.001).
        let t0 = try run("Adam", domain: training, opset: 1, inputs(0), outputs: 3, [attr("epsilon", Float(0))])
        assertClose(t0[0], [1 - 0.01 / 0.001.squareRoot()], [1], tolerance: 1e-4)
        assertClose(t0[1], [0.1], [1], tolerance: 1e-4)
        assertClose(t0[2], [0.001], [1], tolerance: 1e-4)
        // T = 1: r = 0.1 * sqrt(1 - 0.999) / (1 - 0.9), so X' = 1 - 0.1 = 0.9; times (1 - 0.5) = 0.45.
        let t1 = try run("Adam", domain: training, opset: 1, inputs(1), outputs: 3,
                         [attr("epsilon", Float(0)), attr("norm_coefficient_post", Float(0.5))])
        assertClose(t1[0], [0.45], [1], tolerance: 1e-4)
    }

    func testMomentumStandardAndNesterov() throws {
        let base = [attr("alpha", Float(0.9)), attr("beta", Float(0.5)), attr("norm_coefficient", Float(0))]
        func step(_ t: Int64, _ mode: String) throws -> [Value] {
            try run("Momentum", domain: training, opset: 1, [f32([0.1], []), i64([t], []), f32([1], [1]), f32([2], [1]), f32([1], [1])],
                    outputs: 2, base + [attr("mode", mode)])
        }
        // T = 0 (beta taken as 1): V' = 0.9 + 2 = 2.9, X' = 1 - 0.29.
        let s0 = try step(0, "standard")
        assertClose(s0[0], [0.71], [1])
        assertClose(s0[1], [2.9], [1])
        // T = 1: V' = 0.9 + 0.5 * 2 = 1.9; standard X' = 1 - 0.19; Nesterov X' = 1 - 0.1 * (2 + 0.9 * 1.9).
        assertClose(try step(1, "standard")[0], [0.81], [1])
        assertClose(try step(1, "nesterov")[0], [1 - 0.1 * (2 + 0.9 * 1.9)], [1])
        XCTAssertThrowsError(try step(1, "adam"))
    }
}
