import Foundation
import Interpreter
import ONNX
import XCTest

/// The neural-network family: matrix products, convolutions, pooling, normalizations,
/// softmax, reductions, arg/top-k, Einsum, recurrent cells, Attention and Scan. Every
/// expected value is worked out by hand from the ONNX operator specification (the
/// comments show the working); the larger products are checked against a plain
/// triple loop written here.
final class NNOpsTests: XCTestCase {
    // MARK: helpers

    struct NoOutput: Error {}

    /// Runs a one-node model; inputs become in0, in1, ... (nil leaves an optional input
    /// out). Returns the node's outputs in order.
    func runAll(_ op: String, opset: Int64 = 21, _ inputs: [TensorValue?], _ attributes: [Attribute] = [], outputs: Int = 1) throws -> [TensorValue] {
        var g = Graph(name: "g")
        var names: [String] = []
        var feeds: [String: Value] = [:]
        for (i, t) in inputs.enumerated() {
            guard let t else { names.append(""); continue }
            names.append("in\(i)")
            feeds["in\(i)"] = .tensor(t)
            g.input.append(ValueInfo(name: "in\(i)", type: nil))
        }
        let outs = (0..<outputs).map { "out\($0)" }
        g.node = [Node(opType: op, input: names, output: outs, attribute: attributes)]
        g.output = outs.map { ValueInfo(name: $0, type: nil) }
        var m = Model()
        m.irVersion = 10
        m.opsetImport = [OperatorSetID(domain: "", version: opset)]
        m.graph = g
        let r = try Session(model: m).runOrdered(feeds)
        return try r.map { guard case .tensor(let t) = $0 else { throw NoOutput() }; return t }
    }

    func run(_ op: String, opset: Int64 = 21, _ inputs: [TensorValue?], _ attributes: [Attribute] = []) throws -> TensorValue {
        try runAll(op, opset: opset, inputs, attributes)[0]
    }

    func f32(_ v: [Float], _ shape: [Int]? = nil) -> TensorValue { TensorValue(floats: v, shape: shape ?? [v.count]) }
    func f64(_ v: [Double], _ shape: [Int]? = nil) -> TensorValue { TensorValue(doubles: v, shape: shape ?? [v.count]) }
    func i64(_ v: [Int64], _ shape: [Int]? = nil) -> TensorValue { TensorValue(int64s: v, shape: shape ?? [v.count]) }
    func i32(_ v: [Int32], _ shape: [Int]? = nil) -> TensorValue { TensorValue(int32s: v, shape: shape ?? [v.count]) }
    func u8(_ v: [UInt8], _ shape: [Int]) -> TensorValue { TensorValue(unchecked: .uint8, shape: shape, storage: .uint8(v)) }

    func int(_ n: String, _ v: Int64) -> Attribute { Attribute(name: n, value: .int(v)) }
    func ints(_ n: String, _ v: [Int64]) -> Attribute { Attribute(name: n, value: .ints(v)) }
    func float(_ n: String, _ v: Float) -> Attribute { Attribute(name: n, value: .float(v)) }
    func string(_ n: String, _ v: String) -> Attribute { Attribute(name: n, string: v) }

    func assertClose(_ t: TensorValue, _ expected: [Double], shape: [Int]? = nil, tol: Double = 1e-5,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        if let shape { XCTAssertEqual(t.shape, shape, "shape", file: file, line: line) }
        let v = try t.doubles()
        XCTAssertEqual(v.count, expected.count, "count", file: file, line: line)
        for (i, (a, e)) in zip(v, expected).enumerated() {
            if e.isNaN { XCTAssertTrue(a.isNaN, "[\(i)] \(a) is not NaN", file: file, line: line); continue }
            if e.isInfinite { XCTAssertEqual(a, e, "[\(i)]", file: file, line: line); continue }
            XCTAssertLessThanOrEqual(abs(a - e), tol * max(1, abs(e)), "[\(i)] \(a) vs \(e)", file: file, line: line)
        }
    }

    /// Deterministic pseudo-random values in [-1, 1).
    func values(_ n: Int, seed: Int) -> [Float] {
        var s = UInt64(seed) &* 6364136223846793005 &+ 1442695040888963407
        return (0..<n).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(s >> 40) - (1 << 23)) / Float(1 << 23)
        }
    }

    // MARK: matrix products

    func testMatMulVectorsAndBroadcast() throws {
        // [1,2,3] . [4,5,6] = 4 + 10 + 18 = 32, a scalar.
        try assertClose(try run("MatMul", [f32([1, 2, 3]), f32([4, 5, 6])]), [32], shape: [])
        // [[1,2,3],[4,5,6]] x [1,0,-1] = [1-3, 4-6]; the appended 1 is dropped.
        try assertClose(try run("MatMul", [f32([1, 2, 3, 4, 5, 6], [2, 3]), f32([1, 0, -1])]), [-2, -2], shape: [2])
        // Batch of two against one B = [[1,0],[1,1]]: row (a, b) -> (a + b, b).
        let a = f32([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])
        try assertClose(try run("MatMul", [a, f32([1, 0, 1, 1], [2, 2])]), [3, 2, 7, 4, 11, 6, 15, 8], shape: [2, 2, 2])
        // B broadcast from [1, 2, 2] against A [2, 1, 2] (batch dims 2 and 1): [a0 a1] x I = same.
        let r = try run("MatMul", [f32([1, 2, 3, 4], [2, 1, 2]), f32([1, 0, 0, 1], [1, 2, 2])])
        try assertClose(r, [1, 2, 3, 4], shape: [2, 1, 2])
        XCTAssertThrowsError(try run("MatMul", [f32([1, 2, 3]), f32([1, 2])]))
    }

    /// Shapes that cross the kernel's tile and block edges, against a plain triple loop.
    func testBlockedKernelMatchesTripleLoop() throws {
        for (m, n, k) in [(37, 29, 300), (6, 8, 513), (1, 70, 40), (100, 3, 9), (13, 130, 257), (40, 10, 300), (17, 1, 70), (12, 11, 64)] {
            let a = values(m * k, seed: m), b = values(k * n, seed: n)
            var expected = [Double](repeating: 0, count: m * n)
            for i in 0..<m { for j in 0..<n { for p in 0..<k { expected[i * n + j] += Double(a[i * k + p]) * Double(b[p * n + j]) } } }
            try assertClose(try run("MatMul", [f32(a, [m, k]), f32(b, [k, n])]), expected, shape: [m, n], tol: 1e-4)
            // The same through Gemm with both operands transposed in memory.
            var at = [Float](repeating: 0, count: m * k), bt = [Float](repeating: 0, count: k * n)
            for i in 0..<m { for p in 0..<k { at[p * m + i] = a[i * k + p] } }
            for p in 0..<k { for j in 0..<n { bt[j * k + p] = b[p * n + j] } }
            let g = try run("Gemm", opset: 13, [f32(at, [k, m]), f32(bt, [n, k])], [int("transA", 1), int("transB", 1), float("alpha", 2)])
            try assertClose(g, expected.map { 2 * $0 }, shape: [m, n], tol: 1e-4)
        }
    }

    func testMatMulDoubleAndInteger() throws {
        try assertClose(try run("MatMul", [f64([1, 2, 3, 4], [2, 2]), f64([1, 1, 1, 1], [2, 2])]), [3, 3, 7, 7])
        let r = try run("MatMul", [i32([1, 2, 3, 4], [2, 2]), i32([2, 0, 0, 2], [2, 2])])
        XCTAssertEqual(r.dataType, .int32)
        XCTAssertEqual(try r.int64s(), [2, 4, 6, 8])
    }

    func testGemmAttributesAndBias() throws {
        // A = [[1,2],[3,4]], B = [[1,1],[0,1]], transB: B^T = [[1,0],[1,1]];
        // A B^T = [[3,2],[7,4]]; alpha 2 -> [[6,4],[14,8]]; C = [10,20] (a row) * beta 0.5.
        let r = try run("Gemm", opset: 13, [f32([1, 2, 3, 4], [2, 2]), f32([1, 1, 0, 1], [2, 2]), f32([10, 20])],
                        [int("transB", 1), float("alpha", 2), float("beta", 0.5)])
        try assertClose(r, [11, 14, 19, 18], shape: [2, 2])
        // transA without C: A^T = [[1,3],[2,4]] times B = [[1,1],[0,1]] = [[1,4],[2,6]].
        try assertClose(try run("Gemm", opset: 13, [f32([1, 2, 3, 4], [2, 2]), f32([1, 1, 0, 1], [2, 2]), nil], [int("transA", 1)]),
                        [1, 4, 2, 6])
        // A scalar C broadcasts everywhere: [[1,2],[3,4]] x I + 1.
        try assertClose(try run("Gemm", opset: 13, [f32([1, 2, 3, 4], [2, 2]), f32([1, 0, 0, 1], [2, 2]), f32([1], [])]),
                        [2, 3, 4, 5])
        XCTAssertThrowsError(try run("Gemm", opset: 13, [f32([1, 2, 3, 4], [2, 2]), f32([1, 0, 0, 1], [2, 2]), f32([1, 2, 3])]))
    }

    func testMatMulInteger() throws {
        // (3 - 1, 4 - 1) . (1, 2) = 2 + 6 = 8.
        let r = try run("MatMulInteger", opset: 10, [u8([3, 4], [1, 2]), u8([1, 2], [2, 1]), u8([1], []), nil])
        XCTAssertEqual(r.dataType, .int32)
        XCTAssertEqual(try r.int64s(), [8])
    }

    // MARK: convolutions

    let image: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]  // [[1,2,3],[4,5,6],[7,8,9]]
    let kernel: [Float] = [1, 2, 3, 4]                 // [[1,2],[3,4]]

    func testConvValidPaddedStridedAndAutoPad() throws {
        let x = f32(image, [1, 1, 3, 3]), w = f32(kernel, [1, 1, 2, 2])
        // y00 = 1*1 + 2*2 + 4*3 + 5*4 = 37; y01 = 2+6+15+24 = 47; y10 = 4+10+21+32 = 67;
        // y11 = 5+12+24+36 = 77; plus B = 1.
        try assertClose(try run("Conv", [x, w, f32([1])]), [38, 48, 68, 78], shape: [1, 1, 2, 2])
        // pads 1 on every side, stride 2: windows start at -1 and 1.
        // (0,0): x00*w11 = 4; (0,1): x01*w10 + x02*w11 = 6 + 12 = 18;
        // (1,0): x10*w01 + x20*w11 = 8 + 28 = 36; (1,1): 5 + 12 + 24 + 36 = 77.
        try assertClose(try run("Conv", [x, w], [ints("pads", [1, 1, 1, 1]), ints("strides", [2, 2])]), [4, 18, 36, 77], shape: [1, 1, 2, 2])
        // SAME_UPPER: one padding row/column at the end. (2,2) = x22*w00 = 9; (0,2) = x02*w00 + x12*w10 = 3 + 18.
        let up = try run("Conv", [x, w], [string("auto_pad", "SAME_UPPER")]).floats()
        XCTAssertEqual(up.count, 9)
        XCTAssertEqual(up[8], 9)
        XCTAssertEqual(up[2], 21)
        // SAME_LOWER: the padding goes first; (0,0) = x00*w11 = 4.
        XCTAssertEqual(try run("Conv", [x, w], [string("auto_pad", "SAME_LOWER")]).floats()[0], 4)
        // Dilation 2 with a 2x2 kernel reads the corners: 1*1 + 3*2 + 7*3 + 9*4 = 64.
        try assertClose(try run("Conv", [x, w], [ints("dilations", [2, 2])]), [64], shape: [1, 1, 1, 1])
    }

    /// Direct convolution written out here, to check the packed im2col paths against.
    func directConv(_ x: [Float], _ xs: [Int], _ w: [Float], _ ws: [Int], group: Int, pads: [Int], strides: [Int] = [1, 1],
                    dilations: [Int] = [1, 1]) -> ([Double], [Int]) {
        let (n, c, h, wd) = (xs[0], xs[1], xs[2], xs[3]), (m, cg, kh, kw) = (ws[0], ws[1], ws[2], ws[3])
        let oh = (h + pads[0] + pads[2] - (kh - 1) * dilations[0] - 1) / strides[0] + 1
        let ow = (wd + pads[1] + pads[3] - (kw - 1) * dilations[1] - 1) / strides[1] + 1
        let mg = m / group
        var y = [Double](repeating: 0, count: n * m * oh * ow)
        for b in 0..<n { for o in 0..<m { for i in 0..<oh { for j in 0..<ow {
            var s = 0.0
            let gi = o / mg
            for ci in 0..<cg { for a in 0..<kh { for bb in 0..<kw {
                let r = i * strides[0] + a * dilations[0] - pads[0], q = j * strides[1] + bb * dilations[1] - pads[1]
                if r < 0 || r >= h || q < 0 || q >= wd { continue }
                s += Double(x[((b * c + gi * cg + ci) * h + r) * wd + q]) * Double(w[((o * cg + ci) * kh + a) * kw + bb])
            } } }
            y[((b * m + o) * oh + i) * ow + j] = s
        } } } }
        return (y, [n, m, oh, ow])
    }

    func testConvPathsMatchDirectConvolution() throws {
        // Unit stride along the width runs the direct kernel, other strides pack their
        // columns for the GEMM; odd sizes, uneven pads, groups, dilations and strides
        // cross the tile edges. The 1x1 case multiplies the input itself.
        let cases: [([Int], [Int], Int, [Int], [Int], [Int])] = [
            ([2, 8, 5, 7], [9, 8, 3, 3], 1, [1, 0, 1, 2], [1, 1], [1, 1]),
            ([1, 16, 6, 6], [16, 8, 3, 3], 2, [1, 1, 1, 1], [1, 1], [1, 1]),
            ([3, 8, 9, 19], [8, 8, 3, 3], 1, [0, 0, 0, 0], [1, 1], [1, 1]),
            ([2, 4, 7, 8], [5, 4, 3, 3], 1, [1, 1, 1, 1], [2, 2], [1, 1]),
            ([1, 3, 9, 11], [4, 3, 3, 2], 1, [2, 1, 0, 2], [2, 1], [2, 3]),
            ([1, 2, 1, 30], [13, 2, 1, 5], 1, [0, 2, 0, 1], [1, 1], [1, 1]),
            ([2, 6, 4, 4], [7, 6, 1, 1], 1, [0, 0, 0, 0], [1, 1], [1, 1]),
        ]
        for (xs, ws, group, pads, strides, dil) in cases {
            let x = values(xs.reduce(1, *), seed: xs[1]), w = values(ws.reduce(1, *), seed: ws[0])
            let (expected, shape) = directConv(x, xs, w, ws, group: group, pads: pads, strides: strides, dilations: dil)
            let r = try run("Conv", [f32(x, xs), f32(w, ws)], [int("group", Int64(group)), ints("pads", pads.map(Int64.init)),
                                                               ints("strides", strides.map(Int64.init)), ints("dilations", dil.map(Int64.init))])
            try assertClose(r, expected, shape: shape, tol: 1e-4)
        }
    }

    func testConvGroupsOneDAndDouble() throws {
        // Two groups of one channel: [1, 2] scaled by [3, 4].
        try assertClose(try run("Conv", [f32([1, 2], [1, 2, 1, 1]), f32([3, 4], [2, 1, 1, 1])], [int("group", 2)]), [3, 8])
        // 1-D: [1,2,3,4] with kernel [1,-1] -> differences [-1,-1,-1].
        try assertClose(try run("Conv", [f32([1, 2, 3, 4], [1, 1, 4]), f32([1, -1], [1, 1, 2])]), [-1, -1, -1], shape: [1, 1, 3])
        try assertClose(try run("Conv", [f64(image.map(Double.init), [1, 1, 3, 3]), f64(kernel.map(Double.init), [1, 1, 2, 2])]), [37, 47, 67, 77])
        XCTAssertThrowsError(try run("Conv", [f32(image, [1, 1, 3, 3]), f32(kernel + kernel, [1, 2, 2, 2])]))
    }

    func testConvTranspose() throws {
        let x = f32([1, 2, 3, 4], [1, 1, 2, 2]), w = f32([1, 1, 1, 1], [1, 1, 2, 2])
        // Each input scatters a 2x2 block of itself: overlaps add up.
        try assertClose(try run("ConvTranspose", [x, w]), [1, 3, 2, 4, 10, 6, 3, 7, 4], shape: [1, 1, 3, 3])
        // Stride 2: the blocks tile without overlap.
        try assertClose(try run("ConvTranspose", [x, w], [ints("strides", [2, 2])]),
                        [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], shape: [1, 1, 4, 4])
        // output_padding adds a zero row and column at the end.
        let p = try run("ConvTranspose", [x, w], [ints("strides", [2, 2]), ints("output_padding", [1, 1])])
        XCTAssertEqual(p.shape, [1, 1, 5, 5])
        XCTAssertEqual(try p.floats()[24], 0)
        // output_shape [3, 3] with stride 2: natural size 4, so one cell of padding; without
        // SAME_UPPER the larger half goes first, cropping row 0 and column 0.
        try assertClose(try run("ConvTranspose", [x, w], [ints("strides", [2, 2]), ints("output_shape", [3, 3])]),
                        [1, 2, 2, 3, 4, 4, 3, 4, 4], shape: [1, 1, 3, 3])
    }

    func testConvInteger() throws {
        // (x - 2) = [0,1,2,3] against a kernel of ones: 6.
        let r = try run("ConvInteger", opset: 10, [u8([2, 3, 4, 5], [1, 1, 2, 2]), u8([1, 1, 1, 1], [1, 1, 2, 2]), u8([2], [])])
        XCTAssertEqual(r.dataType, .int32)
        XCTAssertEqual(try r.int64s(), [6])
    }

    // MARK: pooling

    func testMaxPoolWithIndices() throws {
        // [[1,5,2],[4,3,6]] with 2x2 windows: max 5 at flat 1, max 6 at flat 5.
        let x = f32([1, 5, 2, 4, 3, 6], [1, 1, 2, 3])
        let r = try runAll("MaxPool", [x], [ints("kernel_shape", [2, 2])], outputs: 2)
        try assertClose(r[0], [5, 6], shape: [1, 1, 1, 2])
        XCTAssertEqual(try r[1].int64s(), [1, 5])
        // Column-major: (h, w) -> w * H + h: (0,1) -> 2, (1,2) -> 5.
        let c = try runAll("MaxPool", [x], [ints("kernel_shape", [2, 2]), int("storage_order", 1)], outputs: 2)
        XCTAssertEqual(try c[1].int64s(), [2, 5])
        // Padding never wins, even over negative values.
        try assertClose(try run("MaxPool", [f32([-3, -1], [1, 1, 2])], [ints("kernel_shape", [2]), ints("pads", [1, 1])]), [-3, -1, -1])
    }

    func testAveragePoolPaddingAndCeil() throws {
        // Each 2x2 window (stride 2, pads 1) holds one real element.
        let x = f32([1, 2, 3, 4], [1, 1, 2, 2])
        let attrs = [ints("kernel_shape", [2, 2]), ints("strides", [2, 2]), ints("pads", [1, 1, 1, 1])]
        try assertClose(try run("AveragePool", [x], attrs), [1, 2, 3, 4])
        try assertClose(try run("AveragePool", [x], attrs + [int("count_include_pad", 1)]), [0.25, 0.5, 0.75, 1])
        // 5 wide, kernel 2, stride 2: floor gives 2 windows, ceil a third holding only 5.
        let row = f32([1, 2, 3, 4, 5], [1, 1, 1, 5])
        let k = [ints("kernel_shape", [1, 2]), ints("strides", [1, 2])]
        try assertClose(try run("AveragePool", [row], k), [1.5, 3.5])
        try assertClose(try run("AveragePool", [row], k + [int("ceil_mode", 1)]), [1.5, 3.5, 5])
    }

    func testGlobalAndLpPools() throws {
        let x = f32([1, 2, 3, 4], [1, 1, 2, 2])
        try assertClose(try run("GlobalAveragePool", [x]), [2.5], shape: [1, 1, 1, 1])
        try assertClose(try run("GlobalMaxPool", [x]), [4], shape: [1, 1, 1, 1])
        // sqrt(1 + 4 + 9 + 16) = sqrt(30).
        try assertClose(try run("GlobalLpPool", [x]), [(30.0).squareRoot()])
        // Windows [3,4] and [4,0]: sqrt(25) and sqrt(16).
        try assertClose(try run("LpPool", [f32([3, 4, 0], [1, 1, 3])], [ints("kernel_shape", [2])]), [5, 4])
    }

    func testMaxRoiPool() throws {
        // 4x4 image 0...15; the whole image as one region, pooled 2x2: quadrant maxima.
        let x = f32((0..<16).map(Float.init), [1, 1, 4, 4])
        let rois = f32([0, 0, 0, 3, 3], [1, 5])
        try assertClose(try run("MaxRoiPool", [x, rois], [ints("pooled_shape", [2, 2])]), [5, 7, 13, 15], shape: [1, 1, 2, 2])
    }

    // MARK: normalizations

    func testBatchNormalizationInferenceAndTraining() throws {
        // Channel 0: 1 * (1 - 0) / 1 + 0 = 1; channel 1: 2 * (2 - 1) / 2 + 1 = 2.
        let r = try run("BatchNormalization", opset: 15,
                        [f32([1, 2], [1, 2, 1, 1]), f32([1, 2]), f32([0, 1]), f32([0, 1]), f32([1, 4])], [float("epsilon", 0)])
        try assertClose(r, [1, 2])
        // Training: batch [1, 3] has mean 2 and variance 1 -> [-1, 1]; running mean
        // 0 * 0.9 + 2 * 0.1 = 0.2, running var 1 * 0.9 + 1 * 0.1 = 1.
        let t = try runAll("BatchNormalization", opset: 15,
                           [f32([1, 3], [2, 1, 1, 1]), f32([1]), f32([0]), f32([0]), f32([1])],
                           [float("epsilon", 0), int("training_mode", 1)], outputs: 3)
        try assertClose(t[0], [-1, 1])
        try assertClose(t[1], [0.2])
        try assertClose(t[2], [1])
    }

    func testLayerRMSGroupInstanceNormalization() throws {
        // [1,2,3,4]: mean 2.5, variance 1.25.
        let ln = try runAll("LayerNormalization", opset: 17, [f32([1, 2, 3, 4], [1, 4]), f32([1, 1, 1, 1]), nil],
                            [float("epsilon", 0)], outputs: 3)
        try assertClose(ln[0], [-1.3416407865, -0.4472135955, 0.4472135955, 1.3416407865])
        try assertClose(ln[1], [2.5], shape: [1, 1])
        try assertClose(ln[2], [1 / (1.25).squareRoot()], shape: [1, 1])
        // RMS of [3, 4] is sqrt(12.5).
        try assertClose(try run("RMSNormalization", opset: 23, [f32([3, 4], [1, 2]), f32([1, 1])], [float("epsilon", 0)]),
                        [3 / (12.5).squareRoot(), 4 / (12.5).squareRoot()])
        // One group over [1,3,5,9]: mean 4.5, variance 8.75; version 21 scales per channel
        // (scale [1, 2], bias [0, 1]).
        let sd = (8.75).squareRoot()
        let gn = try run("GroupNormalization", opset: 21, [f32([1, 3, 5, 9], [1, 2, 1, 2]), f32([1, 2]), f32([0, 1])],
                         [int("num_groups", 1), float("epsilon", 0)])
        try assertClose(gn, [(1 - 4.5) / sd, (3 - 4.5) / sd, 2 * (5 - 4.5) / sd + 1, 2 * (9 - 4.5) / sd + 1])
        // Instance normalization of each 2-element plane: [-1, 1] then scale/bias.
        let inorm = try run("InstanceNormalization", [f32([1, 3, 10, 20], [1, 2, 2]), f32([1, 2]), f32([0, 5])], [float("epsilon", 0)])
        try assertClose(inorm, [-1, 1, 3, 7])
    }

    func testLRNAndMeanVarianceNormalization() throws {
        // size 2: channel 0 sums channels 0..1 (1 + 4), channel 1 only itself (4);
        // y = x / (1 + 1/2 * sum).
        let r = try run("LRN", [f32([1, 2], [1, 2, 1, 1])], [int("size", 2), float("alpha", 1), float("beta", 1), float("bias", 1)])
        try assertClose(r, [1 / 3.5, 2.0 / 3])
        // MVN over (0, 2, 3) of one channel [1, 3]: mean 2, std 1.
        try assertClose(try run("MeanVarianceNormalization", [f32([1, 3], [1, 1, 1, 2])]), [-1, 1], tol: 1e-6)
    }

    // MARK: softmax

    func testSoftmaxVersions() throws {
        let x = f32([0, 0, 0, 0], [1, 2, 2])
        // Version 13 normalizes along the last axis (pairs): 0.5 each.
        try assertClose(try run("Softmax", opset: 13, [x]), [0.5, 0.5, 0.5, 0.5])
        // Version 11 flattens to [1, 4] at axis 1: 0.25 each.
        try assertClose(try run("Softmax", opset: 11, [x]), [0.25, 0.25, 0.25, 0.25])
        // exp(0) : exp(ln 3) = 1 : 3.
        try assertClose(try run("LogSoftmax", opset: 13, [f32([0, Float(log(3.0))])]), [log(0.25), log(0.75)])
        // Large values stay finite.
        try assertClose(try run("Softmax", opset: 13, [f32([1000, 1000])]), [0.5, 0.5])
        // Hardmax: the first maximum wins.
        try assertClose(try run("Hardmax", opset: 13, [f32([1, 3, 3, 2, 1, 0], [2, 3])]), [0, 1, 0, 1, 0, 0])
    }

    // MARK: reductions

    func testReduceAxesAttributeInputAndNoop() throws {
        let x = f32([1, 2, 3, 4, 5, 6], [2, 3])
        // Axes as input (ReduceSum 13): row sums.
        try assertClose(try run("ReduceSum", opset: 13, [x, i64([1])], [int("keepdims", 0)]), [6, 15], shape: [2])
        // No axes: everything, kept as [1, 1].
        try assertClose(try run("ReduceSum", opset: 13, [x]), [21], shape: [1, 1])
        // Empty axes with noop_with_empty_axes: the input itself.
        try assertClose(try run("ReduceSum", opset: 13, [x, i64([])], [int("noop_with_empty_axes", 1)]), [1, 2, 3, 4, 5, 6], shape: [2, 3])
        // Axes as attribute (ReduceMean 11): column means.
        try assertClose(try run("ReduceMean", opset: 11, [x], [ints("axes", [0])]), [2.5, 3.5, 4.5], shape: [1, 3])
        // Negative axes count from the end.
        try assertClose(try run("ReduceMax", opset: 18, [x, i64([-1])]), [3, 6], shape: [2, 1])
    }

    func testReduceKindsAndEmptySets() throws {
        try assertClose(try run("ReduceL2", opset: 18, [f32([3, 4])]), [5])
        try assertClose(try run("ReduceSumSquare", opset: 18, [f32([3, 4])]), [25])
        try assertClose(try run("ReduceL1", opset: 18, [f32([-3, 4])]), [7])
        try assertClose(try run("ReduceProd", opset: 18, [f32([2, 3, 4])]), [24])
        try assertClose(try run("ReduceMin", opset: 18, [f32([2, -3, 4])]), [-3])
        // log(1 + (e - 1)) = 1.
        try assertClose(try run("ReduceLogSum", opset: 18, [f32([1, Float(M_E - 1)])]), [1])
        // log(e^1000 + e^1000) = 1000 + ln 2, without overflow.
        try assertClose(try run("ReduceLogSumExp", opset: 18, [f64([1000, 1000])]), [1000 + log(2.0)], tol: 1e-9)
        // Reducing a zero-length axis: sum 0, product 1, max -inf, min +inf.
        let empty = f32([], [2, 0])
        try assertClose(try run("ReduceSum", opset: 13, [empty, i64([1])]), [0, 0], shape: [2, 1])
        try assertClose(try run("ReduceProd", opset: 18, [empty, i64([1])]), [1, 1])
        try assertClose(try run("ReduceMax", opset: 18, [empty, i64([1])]), [-.infinity, -.infinity])
        try assertClose(try run("ReduceMin", opset: 18, [empty, i64([1])]), [.infinity, .infinity])
        // Integers stay integers.
        let m = try run("ReduceMax", opset: 18, [i32([3, -7, 5])])
        XCTAssertEqual(m.dataType, .int32)
        XCTAssertEqual(try m.int64s(), [5])
    }

    func testArgMaxArgMinTopK() throws {
        let x = f32([1, 3, 3, 2, 1, 2], [2, 3])
        XCTAssertEqual(try run("ArgMax", opset: 13, [x], [int("axis", 1), int("keepdims", 0)]).int64s(), [1, 0])
        XCTAssertEqual(try run("ArgMax", opset: 13, [x], [int("axis", 1), int("keepdims", 0), int("select_last_index", 1)]).int64s(), [2, 2])
        // Columns [1,2], [3,1], [3,2]: minima at rows 0, 1, 1.
        let mn = try run("ArgMin", opset: 13, [x])
        XCTAssertEqual(mn.shape, [1, 3])
        XCTAssertEqual(try mn.int64s(), [0, 1, 1])
        // TopK of [3,1,3,2]: ties keep index order.
        let t = try runAll("TopK", opset: 11, [f32([3, 1, 3, 2]), i64([2])], outputs: 2)
        try assertClose(t[0], [3, 3])
        XCTAssertEqual(try t[1].int64s(), [0, 2])
        let s = try runAll("TopK", opset: 11, [f32([3, 1, 3, 2]), i64([2])], [int("largest", 0)], outputs: 2)
        try assertClose(s[0], [1, 2])
        XCTAssertEqual(try s[1].int64s(), [1, 3])
        // Version 1 takes k as an attribute.
        XCTAssertEqual(try runAll("TopK", opset: 1, [f32([1, 5, 2])], [int("k", 1)], outputs: 2)[1].int64s(), [1])
        XCTAssertThrowsError(try run("TopK", opset: 11, [f32([1, 2]), i64([3])]))
    }

    func testCumSum() throws {
        let x = f32([1, 2, 3, 4])
        try assertClose(try run("CumSum", opset: 14, [x, i64([0], [])]), [1, 3, 6, 10])
        try assertClose(try run("CumSum", opset: 14, [x, i64([0], [])], [int("exclusive", 1)]), [0, 1, 3, 6])
        try assertClose(try run("CumSum", opset: 14, [x, i64([0], [])], [int("reverse", 1)]), [10, 9, 7, 4])
        try assertClose(try run("CumSum", opset: 14, [x, i64([0], [])], [int("reverse", 1), int("exclusive", 1)]), [9, 7, 4, 0])
        // Along axis 1 of [[1,2],[3,4]].
        try assertClose(try run("CumSum", opset: 14, [f32([1, 2, 3, 4], [2, 2]), i64([1], [])]), [1, 3, 3, 7])
    }

    // MARK: Einsum

    func testEinsum() throws {
        let m = f32([1, 2, 3, 4], [2, 2])
        func eq(_ e: String) -> [Attribute] { [string("equation", e)] }
        try assertClose(try run("Einsum", opset: 12, [m], eq("ii->i")), [1, 4], shape: [2])      // diagonal
        try assertClose(try run("Einsum", opset: 12, [m], eq("ii")), [5], shape: [])             // implicit: trace
        try assertClose(try run("Einsum", opset: 12, [m], eq("ij->ji")), [1, 3, 2, 4])           // transpose
        try assertClose(try run("Einsum", opset: 12, [m], eq("ji")), [1, 3, 2, 4])               // implicit sorts labels
        try assertClose(try run("Einsum", opset: 12, [m, m], eq("ij,jk->ik")), [7, 10, 15, 22])  // matrix product
        try assertClose(try run("Einsum", opset: 12, [f32([1, 2]), f32([3, 4, 5])], eq("i,j")), [3, 4, 5, 6, 8, 10], shape: [2, 3])
        // Ellipsis: transpose the last two axes of [1, 2, 2].
        try assertClose(try run("Einsum", opset: 12, [f32([1, 2, 3, 4], [1, 2, 2])], eq("...ij->...ji")), [1, 3, 2, 4], shape: [1, 2, 2])
        try assertClose(try run("Einsum", opset: 12, [f32([1, 2, 3, 4], [2, 2])], eq("ij->")), [10], shape: [])
        // Ellipsis dimensions broadcast: [2, 1, 2] batches against [1, 2] (no batch axis).
        let bm = try run("Einsum", opset: 12, [f32([1, 2, 3, 4], [2, 1, 2]), f32([1, 0, 0, 1], [2, 2])], eq("...ij,jk->...ik"))
        try assertClose(bm, [1, 2, 3, 4], shape: [2, 1, 2])
        // A label shared by both operands and kept: elementwise product, then summed over j.
        try assertClose(try run("Einsum", opset: 12, [m, m], eq("ij,ij->i")), [5, 25])
    }

    // MARK: recurrent

    func testRNNForwardReverseAndBidirectional() throws {
        // hidden 1, W = R = 1, no bias: h1 = tanh(x1), h2 = tanh(x2 + h1) with x = [1, 2].
        let x = f32([1, 2], [2, 1, 1]), w = f32([1], [1, 1, 1]), r = f32([1], [1, 1, 1])
        let f = try runAll("RNN", opset: 14, [x, w, r], [int("hidden_size", 1)], outputs: 2)
        let h1 = tanh(1.0), h2 = tanh(2 + h1)
        try assertClose(f[0], [h1, h2], shape: [2, 1, 1, 1])
        try assertClose(f[1], [h2], shape: [1, 1, 1])
        // Reverse runs x2 first: Y[1] = tanh(2), Y[0] = tanh(1 + tanh(2)).
        let rv = try runAll("RNN", opset: 14, [x, w, r], [int("hidden_size", 1), string("direction", "reverse")], outputs: 2)
        try assertClose(rv[0], [tanh(1 + tanh(2.0)), tanh(2.0)])
        try assertClose(rv[1], [tanh(1 + tanh(2.0))])
        // Both directions at once, W/R stacked per direction.
        let b = try runAll("RNN", opset: 14, [x, f32([1, 1], [2, 1, 1]), f32([1, 1], [2, 1, 1])],
                           [int("hidden_size", 1), string("direction", "bidirectional")], outputs: 2)
        try assertClose(b[0], [h1, tanh(1 + tanh(2.0)), h2, tanh(2.0)], shape: [2, 2, 1, 1])
        // sequence_lens 1: only x1 is used; the second step's output is zero.
        let l = try runAll("RNN", opset: 14, [x, w, r, nil, i32([1])], [int("hidden_size", 1)], outputs: 2)
        try assertClose(l[0], [h1, 0])
        try assertClose(l[1], [h1])
        // Relu activation, clip 0.5: h1 = relu(clip(1)) = 0.5.
        let c = try runAll("RNN", opset: 14, [f32([1], [1, 1, 1]), w, r],
                           [int("hidden_size", 1), Attribute(name: "activations", value: .strings([ByteBuffer(utf8: "Relu")])), float("clip", 0.5)], outputs: 2)
        try assertClose(c[1], [0.5])
    }

    func testGRULinearBeforeReset() throws {
        // hidden 1, every weight 1, Rb_h = 1, x = 1, h0 = 0: z = r = sigmoid(1);
        // default: h~ = tanh(1 + r*0*1 + 1) = tanh(2); linear_before_reset: tanh(1 + r*(0 + 1)).
        let x = f32([1], [1, 1, 1]), w = f32([1, 1, 1], [1, 3, 1]), r = f32([1, 1, 1], [1, 3, 1])
        let b = f32([0, 0, 0, 0, 0, 1], [1, 6])
        let z = 1 / (1 + exp(-1.0))
        let d = try runAll("GRU", opset: 14, [x, w, r, b], [int("hidden_size", 1)], outputs: 2)
        try assertClose(d[1], [(1 - z) * tanh(2.0)])
        let l = try runAll("GRU", opset: 14, [x, w, r, b], [int("hidden_size", 1), int("linear_before_reset", 1)], outputs: 2)
        try assertClose(l[1], [(1 - z) * tanh(1 + z)])
    }

    func testLSTMTwoSteps() throws {
        // hidden 1, every weight 1, no bias, x = [1, 1]. Step 1 from h = c = 0:
        // i = o = f = sigmoid(1), c1 = i * tanh(1), h1 = o * tanh(c1); step 2 with h1.
        func sg(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
        let g1 = sg(1), c1 = g1 * tanh(1.0), h1 = g1 * tanh(c1)
        let g2 = sg(1 + h1), c2 = g2 * c1 + g2 * tanh(1 + h1), h2 = g2 * tanh(c2)
        let x = f32([1, 1], [2, 1, 1]), w = f32([1, 1, 1, 1], [1, 4, 1]), r = f32([1, 1, 1, 1], [1, 4, 1])
        let out = try runAll("LSTM", opset: 14, [x, w, r], [int("hidden_size", 1)], outputs: 3)
        try assertClose(out[0], [h1, h2], shape: [2, 1, 1, 1])
        try assertClose(out[1], [h2])
        try assertClose(out[2], [c2])
        // layout 1: X is [batch, seq, input] and Y [batch, seq, dirs, hidden].
        let bf = try runAll("LSTM", opset: 14, [f32([1, 1], [1, 2, 1]), w, r], [int("hidden_size", 1), int("layout", 1)], outputs: 3)
        try assertClose(bf[0], [h1, h2], shape: [1, 2, 1, 1])
    }

    // MARK: attention, dropout, rotary

    func testAttention() throws {
        // One query against keys [0, ln 3] (scale 1/sqrt(1)): weights 1/4, 3/4 over V = [4, 8] -> 7.
        let q = f32([1], [1, 1, 1, 1]), k = f32([0, Float(log(3.0))], [1, 1, 2, 1]), v = f32([4, 8], [1, 1, 2, 1])
        try assertClose(try run("Attention", opset: 23, [q, k, v]), [7], tol: 1e-5)
        // Causal with one query and no cache: only key 0 is visible.
        try assertClose(try run("Attention", opset: 23, [q, k, v], [int("is_causal", 1)]), [4])
        // A boolean mask hiding key 0 leaves key 1 alone.
        let mask = TensorValue(bools: [false, true], shape: [1, 2])
        try assertClose(try run("Attention", opset: 23, [q, k, v, mask]), [8])
        // Mode 3 exposes the probabilities.
        let all = try runAll("Attention", opset: 23, [q, k, v], [int("qk_matmul_output_mode", 3)], outputs: 4)
        try assertClose(all[3], [0.25, 0.75], shape: [1, 1, 1, 2])
    }

    func testDropout() throws {
        let x = f32([1, 2, 3])
        let r = try runAll("Dropout", opset: 13, [x], outputs: 2)
        try assertClose(r[0], [1, 2, 3])
        XCTAssertEqual(try r[1].bools(), [true, true, true])
        // Training with ratio 0 is still the identity.
        let t = try runAll("Dropout", opset: 13, [x, f32([0], []), TensorValue(bools: [true], shape: [])], outputs: 2)
        try assertClose(t[0], [1, 2, 3])
        // Version 7's mask has the input's type.
        XCTAssertEqual(try runAll("Dropout", opset: 7, [x], outputs: 2)[1].dataType, .float)
    }

    func testRotaryEmbedding() throws {
        // A quarter turn: (1, 0) -> (cos*1 - sin*0, sin*1 + cos*0) = (0, 1).
        let x = f32([1, 0], [1, 1, 1, 2])
        let r = try run("RotaryEmbedding", opset: 23, [x, f32([0], [1, 1]), f32([1], [1, 1]), i64([0], [1, 1])])
        try assertClose(r, [0, 1], tol: 1e-6)
    }

    // MARK: Scan

    func testScanRunningSum() throws {
        // Body: s' = s + x, out = s'. Over [1, 2, 3]: finals 6, outputs 1, 3, 6.
        var body = Graph(name: "body")
        body.input = [ValueInfo(name: "s", type: nil), ValueInfo(name: "x", type: nil)]
        body.node = [Node(opType: "Add", input: ["s", "x"], output: ["s2"]), Node(opType: "Identity", input: ["s2"], output: ["o"])]
        body.output = [ValueInfo(name: "s2", type: nil), ValueInfo(name: "o", type: nil)]
        let attrs = [Attribute(name: "body", value: .graph(body)), int("num_scan_inputs", 1)]
        let init0 = f32([0], [1]), xs = f32([1, 2, 3], [3, 1])
        let r = try runAll("Scan", opset: 16, [init0, xs], attrs, outputs: 2)
        try assertClose(r[0], [6], shape: [1])
        try assertClose(r[1], [1, 3, 6], shape: [3, 1])
        // Reverse input: 3, 5, 6. Reverse output as well: stacked last-first.
        let rv = try runAll("Scan", opset: 16, [init0, xs], attrs + [ints("scan_input_directions", [1]), ints("scan_output_directions", [1])], outputs: 2)
        try assertClose(rv[1], [6, 5, 3])
        // Version 8: a leading batch axis, and sequence_lens (here omitted) first.
        let v8 = try runAll("Scan", opset: 8, [nil, f32([0], [1, 1]), f32([1, 2, 3], [1, 3, 1])], attrs, outputs: 2)
        try assertClose(v8[0], [6], shape: [1, 1])
        try assertClose(v8[1], [1, 3, 6], shape: [1, 3, 1])
        // With sequence_lens 2 the third step is skipped and its output is zero.
        let l8 = try runAll("Scan", opset: 8, [i64([2]), f32([0], [1, 1]), f32([1, 2, 3], [1, 3, 1])], attrs, outputs: 2)
        try assertClose(l8[0], [3])
        try assertClose(l8[1], [1, 3, 0])
        // Scanning along axis 1 of [1, 3] and stacking the outputs along axis 1.
        let ax = try runAll("Scan", opset: 16, [init0, f32([1, 2, 3], [1, 3])], attrs + [ints("scan_input_axes", [1]), ints("scan_output_axes", [1])], outputs: 2)
        try assertClose(ax[1], [1, 3, 6], shape: [1, 3])
    }
}
