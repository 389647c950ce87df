import Foundation
import Interpreter
import ONNX
import XCTest

/// The ops under Ops/Misc: losses, BitCast, CumProd, CausalConvWithState, Swish, the
/// signal ops, detection and sampling ops, Det, the string ops, TfIdfVectorizer and
/// TensorScatter. Every expected value is worked out by hand from the ONNX spec (the
/// arithmetic is in the comments).
final class MiscOpsTests: XCTestCase {
    // MARK: helpers

    /// Runs one node; a nil input is an omitted optional input.
    func run(_ op: String, opset: Int64, _ inputs: [Value?], outputs: Int = 1, _ attributes: [Attribute] = []) throws -> [Value] {
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
        g.node = [Node(opType: op, input: names, output: outs, attribute: attributes)]
        g.output = outs.map { ValueInfo(name: $0, type: nil) }
        var m = Model()
        m.irVersion = 10
        m.opsetImport = [OperatorSetID(domain: "", version: opset)]
        m.graph = g
        return try Session(model: m).runOrdered(feeds)
    }

    func f32(_ v: [Float], _ shape: [Int]) -> Value { .tensor(TensorValue(floats: v, shape: shape)) }
    func i64(_ v: [Int64], _ shape: [Int]) -> Value { .tensor(TensorValue(int64s: v, shape: shape)) }
    func str(_ v: [String], _ shape: [Int]) -> Value { .tensor(TensorValue(strings: v, shape: shape)) }
    func attr(_ n: String, _ v: Int64) -> Attribute { Attribute(name: n, value: .int(v)) }
    func attr(_ n: String, _ v: Float) -> Attribute { Attribute(name: n, value: .float(v)) }
    func attr(_ n: String, _ v: String) -> Attribute { Attribute(name: n, string: v) }
    func attr(_ n: String, ints v: [Int64]) -> Attribute { Attribute(name: n, value: .ints(v)) }
    func attr(_ n: String, floats v: [Float]) -> Attribute { Attribute(name: n, value: .floats(v)) }
    func attr(_ n: String, strings v: [String]) -> Attribute { Attribute(name: n, value: .strings(v.map { ByteBuffer(utf8: $0) })) }

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

    // MARK: losses

    func testNegativeLogLikelihoodLossReductionsWeightsAndIgnoreIndex() throws {
        // logp rows [-1 -2 -3], [-0.5 -1.5 -2.5]; targets 0, 2; weights 1, 2, 3.
        // Losses 1*1 = 1 and 3*2.5 = 7.5; weighted mean 8.5 / (1 + 3) = 2.125.
        let x = f32([-1, -2, -3, -0.5, -1.5, -2.5], [2, 3]), t = i64([0, 2], [2]), w = f32([1, 2, 3], [3])
        assertClose(try run("NegativeLogLikelihoodLoss", opset: 22, [x, t, w])[0], [2.125], [])
        assertClose(try run("NegativeLogLikelihoodLoss", opset: 13, [x, t, w], [attr("reduction", "sum")])[0], [8.5], [])
        assertClose(try run("NegativeLogLikelihoodLoss", opset: 12, [x, t, w], [attr("reduction", "none")])[0], [1, 7.5], [2])
        // Unweighted mean (1 + 2.5) / 2; with ignore_index 2 only the first counts.
        assertClose(try run("NegativeLogLikelihoodLoss", opset: 13, [x, t])[0], [1.75], [])
        assertClose(try run("NegativeLogLikelihoodLoss", opset: 13, [x, t], [attr("ignore_index", Int64(2))])[0], [1], [])
        // A target outside [0, C) that is not ignored is an error, not a crash.
        XCTAssertThrowsError(try run("NegativeLogLikelihoodLoss", opset: 13, [x, i64([0, 3], [2])]))
    }

    func testNegativeLogLikelihoodLossHigherRank() throws {
        // [N=1, C=2, d=2]: x[0, c, d]; targets [1, 0] pick x[0,1,0] = -4 and x[0,0,1] = -2.
        let x = f32([-1, -2, -4, -8], [1, 2, 2])
        assertClose(try run("NegativeLogLikelihoodLoss", opset: 13, [x, i64([1, 0], [1, 2])], [attr("reduction", "none")])[0], [4, 2], [1, 2])
    }

    func testSoftmaxCrossEntropyLossAndLogProb() throws {
        // Equal scores: log_softmax = -ln 3 everywhere, so the loss is ln 3.
        let out = try run("SoftmaxCrossEntropyLoss", opset: 13, [f32([0, 0, 0], [1, 3]), i64([1], [1])], outputs: 2)
        assertClose(out[0], [log(3.0)], [])
        assertClose(out[1], [-log(3.0), -log(3.0), -log(3.0)], [1, 3])
        // Scores [0, ln 3]: softmax [1/4, 3/4]; target 1 with weight 2, target 0 ignored.
        let x = f32([0, Float(log(3.0)), 0, Float(log(3.0))], [2, 2])
        let y = try run("SoftmaxCrossEntropyLoss", opset: 12, [x, i64([1, 0], [2]), f32([1, 2], [2])],
                        [attr("reduction", "sum"), attr("ignore_index", Int64(0))])
        assertClose(y[0], [-2 * log(0.75)], [])
    }

    // MARK: BitCast, CumProd, CausalConvWithState, Swish

    func testBitCastKeepsBits() throws {
        let y = try run("BitCast", opset: 26, [f32([1, -2], [2])], [attr("to", Int64(DataType.int32.rawValue))])[0]
        // 1.0f = 0x3F800000, -2.0f = 0xC0000000.
        XCTAssertEqual(y.tensor?.storage, .int32([0x3F80_0000, Int32(bitPattern: 0xC000_0000)]))
        let u = try run("BitCast", opset: 26, [.tensor(try TensorValue(.int8, shape: [2], storage: .int8([-1, 5])))],
                        [attr("to", Int64(DataType.uint8.rawValue))])[0]
        XCTAssertEqual(u.tensor?.storage, .uint8([255, 5]))
        // Different widths are rejected.
        XCTAssertThrowsError(try run("BitCast", opset: 26, [f32([1], [1])], [attr("to", Int64(DataType.int64.rawValue))]))
    }

    func testCumProdModes() throws {
        let x = f32([1, 2, 3, 4], [4]), axis = i64([0], [])
        assertClose(try run("CumProd", opset: 26, [x, axis])[0], [1, 2, 6, 24], [4])
        assertClose(try run("CumProd", opset: 26, [x, axis], [attr("exclusive", Int64(1))])[0], [1, 1, 2, 6], [4])
        assertClose(try run("CumProd", opset: 26, [x, axis], [attr("reverse", Int64(1))])[0], [24, 24, 12, 4], [4])
        assertClose(try run("CumProd", opset: 26, [x, axis], [attr("reverse", Int64(1)), attr("exclusive", Int64(1))])[0], [24, 12, 4, 1], [4])
        // [[1 2] [3 4]] along axis -1: [[1 2] [3 12]]; int64 stays int64.
        let y = try run("CumProd", opset: 26, [i64([1, 2, 3, 4], [2, 2]), i64([-1], [])])[0]
        XCTAssertEqual(y.tensor?.storage, .int64([1, 2, 3, 12]))
    }

    func testCausalConvWithStateUsesPastState() throws {
        // padded = [5 | 1 2 3], kernel [1 10], bias 1: 1 + 5 + 10 = 16, 1 + 1 + 20 = 22, 1 + 2 + 30 = 33.
        let out = try run("CausalConvWithState", opset: 27,
                          [f32([1, 2, 3], [1, 1, 3]), f32([1, 10], [1, 1, 2]), f32([1], [1]), f32([5], [1, 1, 1])], outputs: 2)
        assertClose(out[0], [16, 22, 33], [1, 1, 3])
        assertClose(out[1], [3], [1, 1, 1])
        // Without state the padding is zero: padded [0 | 1 2], y = [0 + 10*1, 1 + 10*2] = [10, 21],
        // then silu(y) = y / (1 + e^-y).
        let s = try run("CausalConvWithState", opset: 27, [f32([1, 2], [1, 1, 2]), f32([1, 10], [1, 1, 2])], outputs: 2,
                        [attr("activation", "silu")])
        assertClose(s[0], [10 / (1 + exp(-10)), 21 / (1 + exp(-21))], [1, 1, 2])
        assertClose(s[1], [2], [1, 1, 1])
    }

    func testSwish() throws {
        // 2 * sigmoid(2) = 2 / (1 + e^-2); with alpha 0.5: 2 / (1 + e^-1).
        assertClose(try run("Swish", opset: 24, [f32([0, 2], [2])])[0], [0, 2 / (1 + exp(-2))], [2])
        assertClose(try run("Swish", opset: 24, [f32([2], [1])], [attr("alpha", Float(0.5))])[0], [2 / (1 + exp(-1))], [1])
    }

    // MARK: signal processing

    func testDFTForwardInverseOnesided() throws {
        // DFT of [1 2 3 4] is [10, -2+2i, -2, -2-2i].
        let x = f32([1, 2, 3, 4], [1, 4, 1])
        let spectrum: [Double] = [10, 0, -2, 2, -2, 0, -2, -2]
        assertClose(try run("DFT", opset: 17, [x])[0], spectrum, [1, 4, 2])
        assertClose(try run("DFT", opset: 20, [x, nil, i64([1], [])])[0], spectrum, [1, 4, 2])
        assertClose(try run("DFT", opset: 20, [x, nil, i64([-2], [])], [attr("onesided", Int64(1))])[0], Array(spectrum[0..<6]), [1, 3, 2])
        // The inverse (1/n scaling) gives the signal back; irfft from the half spectrum too.
        let full = f32(spectrum.map { Float($0) }, [1, 4, 2])
        assertClose(try run("DFT", opset: 20, [full], [attr("inverse", Int64(1))])[0], [1, 0, 2, 0, 3, 0, 4, 0], [1, 4, 2])
        let half = f32(spectrum[0..<6].map { Float($0) }, [1, 3, 2])
        assertClose(try run("DFT", opset: 17, [half], [attr("inverse", Int64(1)), attr("onesided", Int64(1))])[0], [1, 2, 3, 4], [1, 4, 1])
        // dft_length 4 zero-pads [1 2]: [3, 1-2i, -1, 1+2i]; a length-3 transform of ones is [3, 0, 0].
        assertClose(try run("DFT", opset: 20, [f32([1, 2], [1, 2, 1]), i64([4], [])])[0], [3, 0, 1, -2, -1, 0, 1, 2], [1, 4, 2])
        assertClose(try run("DFT", opset: 20, [f32([1, 1, 1], [1, 3, 1])])[0], [3, 0, 0, 0, 0, 0], [1, 3, 2])
    }

    func testDFTLongNonPowerOfTwoLengths() throws {
        // Lengths above 64 that are not powers of two use Bluestein's algorithm.
        // cos(2π·3t/100) has X_3 = X_97 = 50 and zeros elsewhere.
        let n = 100
        let x = f32((0..<n).map { Float(cos(2 * Double.pi * 3 * Double($0) / Double(n))) }, [1, n, 1])
        var expected = [Double](repeating: 0, count: 2 * n)
        expected[2 * 3] = 50
        expected[2 * 97] = 50
        assertClose(try run("DFT", opset: 20, [x])[0], expected, [1, n, 2], tolerance: 1e-4)
        // A unit impulse at t = 1 of length 65: X_k = e^(-2πik/65).
        var impulse = [Float](repeating: 0, count: 65)
        impulse[1] = 1
        let phase = (0..<65).flatMap { k -> [Double] in
            let a = -2 * Double.pi * Double(k) / 65
            return [cos(a), sin(a)]
        }
        assertClose(try run("DFT", opset: 20, [f32(impulse, [1, 65, 1])])[0], phase, [1, 65, 2])
    }

    func testSTFTFrames() throws {
        // Frames [1 2] and [3 4] (step 2, length 2): DFTs [3, -1] and [7, -1].
        let y = try run("STFT", opset: 17, [f32([1, 2, 3, 4], [1, 4, 1]), i64([2], []), nil, i64([2], [])])[0]
        assertClose(y, [3, 0, -1, 0, 7, 0, -1, 0], [1, 2, 2, 2])
        // A window [1 0] keeps only each frame's first sample: [1, 1] and [3, 3].
        let w = try run("STFT", opset: 17, [f32([1, 2, 3, 4], [1, 4, 1]), i64([2], []), f32([1, 0], [2])])[0]
        assertClose(w, [1, 0, 1, 0, 3, 0, 3, 0], [1, 2, 2, 2])
    }

    func testWindows() throws {
        // Hann, periodic, N = 4: sin²(πn/4) = [0, 0.5, 1, 0.5]; symmetric size 3 (N = 2): [0, 1, 0].
        assertClose(try run("HannWindow", opset: 17, [i64([4], [])])[0], [0, 0.5, 1, 0.5], [4])
        assertClose(try run("HannWindow", opset: 17, [i64([3], [])], [attr("periodic", Int64(0))])[0], [0, 1, 0], [3])
        // Hamming, periodic, N = 2: 25/46 - 21/46 cos(πn) = [4/46, 1].
        assertClose(try run("HammingWindow", opset: 17, [i64([2], [])])[0], [4.0 / 46, 1], [2])
        // Blackman, periodic, N = 4: 0.42 - 0.5 cos(πn/2) + 0.08 cos(πn) = [0, 0.34, 1, 0.34].
        let b = try run("BlackmanWindow", opset: 17, [i64([4], [])], [attr("output_datatype", Int64(DataType.double.rawValue))])[0]
        XCTAssertEqual(b.tensor?.dataType, .double)
        assertClose(b, [0, 0.34, 1, 0.34], [4], tolerance: 1e-12)
    }

    func testMelWeightMatrixSingleBin() throws {
        // 1 mel bin, dft_length 8 (5 spectrum bins), rate 8, 0...4 Hz: the three points sit
        // just below 0, 4/3 and 8/3 Hz (the mel scale is concave), i.e. spectrum bins
        // floor(9 hz / 8) = 0, 1, 2: the filter rises 0 -> 1 over bins 0...1 and falls at 2.
        let y = try run("MelWeightMatrix", opset: 17, [i64([1], []), i64([8], []), i64([8], []), f32([0], []), f32([4], [])])[0]
        assertClose(y, [0, 1, 0, 0, 0], [5, 1])
    }

    // MARK: detection and sampling

    func testNonMaxSuppression() throws {
        // A [0 0 1 1] 0.9; B [0 0.1 1 1.1] 0.8 overlaps A with IoU 0.9 / 1.1; C [0 2 1 3] 0.7 is apart.
        let boxes = f32([0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, 2, 1, 3], [1, 3, 4])
        let scores = f32([0.9, 0.8, 0.7], [1, 1, 3])
        let all = try run("NonMaxSuppression", opset: 11, [boxes, scores, i64([3], [1]), f32([0.5], [1])])[0]
        XCTAssertEqual(all.tensor?.storage, .int64([0, 0, 0, 0, 0, 2]))
        XCTAssertEqual(all.tensor?.shape, [2, 3])
        let one = try run("NonMaxSuppression", opset: 10, [boxes, scores, i64([1], [1]), f32([0.5], [1])])[0]
        XCTAssertEqual(one.tensor?.storage, .int64([0, 0, 0]))
        let high = try run("NonMaxSuppression", opset: 11, [boxes, scores, i64([3], [1]), f32([0.5], [1]), f32([0.75], [1])])[0]
        XCTAssertEqual(high.tensor?.storage, .int64([0, 0, 0]))
        // No max_output_boxes_per_class: nothing is selected.
        XCTAssertEqual(try run("NonMaxSuppression", opset: 11, [boxes, scores])[0].tensor?.shape, [0, 3])
    }

    func testRoiAlignCoordinateModes() throws {
        // X [[0 1] [2 3]], roi (0, 0)-(1, 1), one bin, one sample.
        let x = f32([0, 1, 2, 3], [1, 1, 2, 2]), rois = f32([0, 0, 1, 1], [1, 4]), bi = i64([0], [1])
        // output_half_pixel (and opset 10): the sample is at (0.5, 0.5), the mean of the four pixels.
        let attrs = [attr("sampling_ratio", Int64(1))]
        assertClose(try run("RoiAlign", opset: 10, [x, rois, bi], attrs)[0], [1.5], [1, 1, 1, 1])
        assertClose(try run("RoiAlign", opset: 16, [x, rois, bi], attrs + [attr("coordinate_transformation_mode", "output_half_pixel")])[0], [1.5], [1, 1, 1, 1])
        // half_pixel shifts by -0.5: the sample is at (0, 0).
        assertClose(try run("RoiAlign", opset: 22, [x, rois, bi], attrs)[0], [0], [1, 1, 1, 1])
        XCTAssertThrowsError(try run("RoiAlign", opset: 22, [x, rois, i64([1], [1])], attrs))
    }

    func testGridSampleModesAndPadding() throws {
        let x = f32([4, 1, 2, 3], [1, 1, 2, 2])
        // The center (0, 0) is pixel coordinate (0.5, 0.5): the mean 2.5.
        assertClose(try run("GridSample", opset: 20, [x, f32([0, 0], [1, 1, 1, 2])])[0], [2.5], [1, 1, 1, 1])
        // With align_corners, (1, -1) is the top-right pixel: 1.
        assertClose(try run("GridSample", opset: 16, [x, f32([1, -1], [1, 1, 1, 2])], [attr("align_corners", Int64(1))])[0], [1], [1, 1, 1, 1])
        // (-1, -1) without align_corners is (-0.5, -0.5): zeros padding weighs pixel (0, 0) by 1/4;
        // border padding clamps to it.
        let corner = f32([-1, -1], [1, 1, 1, 2])
        assertClose(try run("GridSample", opset: 22, [x, corner])[0], [1], [1, 1, 1, 1])
        assertClose(try run("GridSample", opset: 22, [x, corner], [attr("padding_mode", "border")])[0], [4], [1, 1, 1, 1])
        // Nearest at (-0.5, 0.5) -> pixel (x 0, y 1) = 2.
        assertClose(try run("GridSample", opset: 22, [x, f32([-0.5, 0.5], [1, 1, 1, 2])], [attr("mode", "nearest")])[0], [2], [1, 1, 1, 1])
    }

    func testAffineGridIdentity() throws {
        let theta = f32([1, 0, 0, 0, 1, 0], [1, 2, 3])
        // 2x2 without align_corners: base coordinates ±0.5, x first.
        assertClose(try run("AffineGrid", opset: 20, [theta, i64([1, 1, 2, 2], [4])])[0],
                    [-0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, 0.5], [1, 2, 2, 2])
        // A translation by (1, 0) with align_corners: x in {0, 2}.
        let shift = f32([1, 0, 1, 0, 1, 0], [1, 2, 3])
        assertClose(try run("AffineGrid", opset: 20, [shift, i64([1, 1, 1, 2], [4])], [attr("align_corners", Int64(1))])[0],
                    [0, -1, 2, -1], [1, 1, 2, 2])
    }

    func testDet() throws {
        // det [[1 2] [3 4]] = -2; [[0 1] [1 0]] needs a row swap: -1; diag(2, 3, 4) = 24.
        assertClose(try run("Det", opset: 22, [f32([1, 2, 3, 4, 0, 1, 1, 0], [2, 2, 2])])[0], [-2, -1], [2])
        assertClose(try run("Det", opset: 11, [f32([2, 0, 0, 0, 3, 0, 0, 0, 4], [3, 3])])[0], [24], [])
        XCTAssertThrowsError(try run("Det", opset: 22, [f32([1, 2], [1, 2])]))
    }

    // MARK: strings

    func testStringNormalizer() throws {
        let x = str(["Monday", "tuesday", "MONDAY"], [3])
        let words = attr("stopwords", strings: ["monday"])
        // Case-insensitive stopwords remove both Mondays.
        let y = try run("StringNormalizer", opset: 10, [x], [words, attr("case_change_action", "UPPER")])[0]
        XCTAssertEqual(y.tensor, TensorValue(strings: ["TUESDAY"], shape: [1]))
        // Case-sensitive: nothing matches "monday" exactly.
        let z = try run("StringNormalizer", opset: 10, [str(["Monday", "tuesday"], [1, 2])],
                        [words, attr("is_case_sensitive", Int64(1)), attr("case_change_action", "LOWER")])[0]
        XCTAssertEqual(z.tensor, TensorValue(strings: ["monday", "tuesday"], shape: [1, 2]))
        // Everything removed: [""].
        let e = try run("StringNormalizer", opset: 10, [str(["monday"], [1])], [words])[0]
        XCTAssertEqual(e.tensor, TensorValue(strings: [""], shape: [1]))
    }

    func testStringConcatBroadcasts() throws {
        let y = try run("StringConcat", opset: 20, [str(["a", "bc"], [2]), str(["!"], [1])])[0]
        XCTAssertEqual(y.tensor, TensorValue(strings: ["a!", "bc!"], shape: [2]))
    }

    func testStringSplit() throws {
        let out = try run("StringSplit", opset: 20, [str(["a,b", "c", ",,"], [3])], outputs: 2, [attr("delimiter", ",")])
        XCTAssertEqual(out[0].tensor, TensorValue(strings: ["a", "b", "", "c", "", "", "", "", ""], shape: [3, 3]))
        XCTAssertEqual(out[1].tensor, TensorValue(int64s: [2, 1, 3], shape: [3]))
        // Whitespace splitting drops the ends; maxsplit 1 keeps the rest whole.
        let ws = try run("StringSplit", opset: 20, [str([" a b  c ", ""], [2])], outputs: 2, [attr("maxsplit", Int64(1))])
        XCTAssertEqual(ws[0].tensor, TensorValue(strings: ["a", "b  c ", "", ""], shape: [2, 2]))
        XCTAssertEqual(ws[1].tensor, TensorValue(int64s: [2, 0], shape: [2]))
    }

    func testRegexFullMatchIsWholeString() throws {
        // "a|ab" must match all of "ab" (not just a prefix), and never part of "abc".
        let y = try run("RegexFullMatch", opset: 20, [str(["ab", "abc", "a"], [3])], [attr("pattern", "a|ab")])[0]
        XCTAssertEqual(y.tensor, TensorValue(bools: [true, false, true], shape: [3]))
        XCTAssertThrowsError(try run("RegexFullMatch", opset: 20, [str(["a"], [1])], [attr("pattern", "a)(")]))
    }

    // MARK: TfIdfVectorizer, TensorScatter

    func testTfIdfVectorizerSkipGrams() throws {
        // Pool: 1-grams {1, 2} (outputs 0, 1) and the 2-gram (1, 3) (output 2).
        let base = [attr("ngram_counts", ints: [0, 2]), attr("ngram_indexes", ints: [0, 1, 2]),
                    attr("pool_int64s", ints: [1, 2, 1, 3]), attr("min_gram_length", Int64(1)), attr("max_gram_length", Int64(2))]
        let x = i64([1, 1, 9, 3], [4])
        // No skips: 1 occurs twice, no adjacent (1, 3).
        let tf = try run("TfIdfVectorizer", opset: 9, [x], base + [attr("mode", "TF"), attr("max_skip_count", Int64(0))])[0]
        assertClose(tf, [2, 0, 0], [3])
        // One skip allowed: (1, _, 3) counts once at distance 2.
        let skip = base + [attr("max_skip_count", Int64(1)), attr("weights", floats: [0.5, 1, 2])]
        assertClose(try run("TfIdfVectorizer", opset: 9, [x], skip + [attr("mode", "TFIDF")])[0], [1, 0, 2], [3])
        assertClose(try run("TfIdfVectorizer", opset: 9, [x], skip + [attr("mode", "IDF")])[0], [0.5, 0, 2], [3])
        // Rows of a batch are counted separately.
        let rows = try run("TfIdfVectorizer", opset: 9, [i64([2, 2, 1, 3], [2, 2])], base + [attr("mode", "TF"), attr("max_skip_count", Int64(0))])[0]
        assertClose(rows, [0, 2, 0, 1, 0, 1], [2, 3])
    }

    func testTensorScatterLinearAndCircular() throws {
        let past = f32([0, 0, 0, 0], [1, 4, 1]), update = f32([7, 8], [1, 2, 1])
        assertClose(try run("TensorScatter", opset: 24, [past, update, i64([1], [1])])[0], [0, 7, 8, 0], [1, 4, 1])
        assertClose(try run("TensorScatter", opset: 24, [past, update, i64([3], [1])], [attr("mode", "circular")])[0], [8, 0, 0, 7], [1, 4, 1])
        assertClose(try run("TensorScatter", opset: 24, [past, update])[0], [7, 8, 0, 0], [1, 4, 1])
        XCTAssertThrowsError(try run("TensorScatter", opset: 24, [past, update, i64([3], [1])]))
    }
}
