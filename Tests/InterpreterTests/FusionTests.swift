import Foundation
import Interpreter
import ONNX
import XCTest

/// Prepare-time fusion (a Relu folded into the Conv that feeds it) and the fast paths
/// added for it: the fused graph must give exactly what the separate steps give, and
/// the kernels must agree with plain loops written here.
final class FusionTests: XCTestCase {
    func f32(_ v: [Float], _ shape: [Int]) -> TensorValue { TensorValue(floats: v, shape: shape) }
    func ints(_ n: String, _ v: [Int64]) -> Attribute { Attribute(name: n, value: .ints(v)) }
    func int(_ n: String, _ v: Int64) -> Attribute { Attribute(name: n, value: .int(v)) }

    /// Deterministic pseudo-random values in [-1, 1).
    func values(_ n: Int, seed: Int) -> [Float] {
        var s = UInt64(seed) &* 6364136223846793005 &+ 1442695040888963407
        return (0..<n).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(s >> 40) - (1 << 23)) / Float(1 << 23)
        }
    }

    /// A model of `nodes` over input x and initializers; `outputs` are the graph outputs.
    func model(_ nodes: [Node], initializers: [String: TensorValue], outputs: [String], opset: Int64 = 17) throws -> Model {
        var g = Graph(name: "g")
        g.input = [ValueInfo(name: "x", type: nil)]
        g.node = nodes
        g.output = outputs.map { ValueInfo(name: $0, type: nil) }
        for (name, t) in initializers.sorted(by: { $0.key < $1.key }) {
            g.initializer.append(t.proto(name: name))
        }
        var m = Model()
        m.irVersion = 8
        m.opsetImport = [OperatorSetID(domain: "", version: opset)]
        m.graph = g
        return m
    }

    func floats(_ v: Value?) throws -> [Float] {
        guard case .tensor(let t)? = v else { XCTFail("not a tensor"); return [] }
        return try t.floats()
    }

    func testConvReluFusedEqualsSeparateSteps() throws {
        // (x shape, w shape, pads, strides, with bias): the direct kernel (unit stride,
        // 16 and 32 channels, so the last channel panel has 4 and 2 rows), the packed
        // GEMM path (stride 2) and the pointwise path.
        let cases: [([Int], [Int], [Int64], [Int64], Bool)] = [
            ([2, 3, 9, 13], [16, 3, 3, 3], [1, 1, 1, 1], [1, 1], true),
            ([1, 16, 8, 8], [32, 16, 3, 3], [1, 1, 1, 1], [1, 1], true),
            ([2, 4, 7, 9], [5, 4, 3, 3], [0, 1, 1, 0], [1, 1], false),
            ([1, 4, 9, 9], [7, 4, 3, 3], [1, 1, 1, 1], [2, 2], true),
            ([2, 6, 4, 4], [7, 6, 1, 1], [0, 0, 0, 0], [1, 1], true),
        ]
        for (xs, ws, pads, strides, hasBias) in cases {
            let x = values(xs.reduce(1, *), seed: xs[1] + xs[3]), w = values(ws.reduce(1, *), seed: ws[0])
            var inits = ["w": f32(w, ws)]
            var convInputs = ["x", "w"]
            if hasBias { inits["b"] = f32(values(ws[0], seed: 7), [ws[0]]); convInputs.append("b") }
            let attrs = [ints("pads", pads), ints("strides", strides), ints("kernel_shape", ws[2...].map(Int64.init))]
            let conv = Node(opType: "Conv", input: convInputs, output: ["c"], attribute: attrs)
            let relu = Node(opType: "Relu", input: ["c"], output: ["y"])
            let feeds: [String: Value] = ["x": .tensor(f32(x, xs))]
            // Fused: the Relu reads c and nothing else does.
            let fusedSession = try Session(model: try model([conv, relu], initializers: inits, outputs: ["y"]))
            XCTAssertEqual(fusedSession.graph.stepNames, ["Conv#0"])
            let fused = try fusedSession.run(feeds)
            // Not fused: c is also a graph output, so both values must exist.
            let bothSession = try Session(model: try model([conv, relu], initializers: inits, outputs: ["y", "c"]))
            XCTAssertEqual(bothSession.graph.stepNames, ["Conv#0", "Relu#1"])
            let both = try bothSession.run(feeds)
            let c = try floats(both["c"])
            XCTAssertTrue(c.contains { $0 < 0 }, "the case must exercise the clamp")
            XCTAssertEqual(try floats(fused["y"]), c.map { $0 < 0 ? 0 : $0 }, "\(xs) \(ws)")
            XCTAssertEqual(try floats(both["y"]), c.map { $0 < 0 ? 0 : $0 }, "\(xs) \(ws)")
        }
    }

    func testConvReluMaxPoolFusedEqualsSeparateSteps() throws {
        // Even and odd output sizes (the odd last row and column are dropped), 16 and 32
        // channels, one image large enough to split its rows over the cores, and a
        // stride-2 convolution (not the direct kernel: conv, then the pool op).
        let cases: [([Int], [Int], [Int64], [Int64])] = [
            ([3, 3, 8, 12], [16, 3, 3, 3], [1, 1, 1, 1], [1, 1]),
            ([2, 16, 7, 9], [32, 16, 3, 3], [1, 1, 1, 1], [1, 1]),
            ([1, 16, 40, 40], [32, 16, 3, 3], [1, 1, 1, 1], [1, 1]),
            ([1, 4, 11, 11], [8, 4, 3, 3], [1, 1, 1, 1], [2, 2]),
        ]
        for (xs, ws, pads, strides) in cases {
            let x = values(xs.reduce(1, *), seed: xs[2]), w = values(ws.reduce(1, *), seed: ws[1])
            let inits = ["w": f32(w, ws), "b": f32(values(ws[0], seed: 5), [ws[0]])]
            let conv = Node(opType: "Conv", input: ["x", "w", "b"], output: ["c"], attribute: [ints("pads", pads), ints("strides", strides)])
            let relu = Node(opType: "Relu", input: ["c"], output: ["r"])
            let pool = Node(opType: "MaxPool", input: ["r"], output: ["y"], attribute: [ints("kernel_shape", [2, 2]), ints("strides", [2, 2])])
            let feeds: [String: Value] = ["x": .tensor(f32(x, xs))]
            let fusedSession = try Session(model: try model([conv, relu, pool], initializers: inits, outputs: ["y"]))
            XCTAssertEqual(fusedSession.graph.stepNames, ["Conv#0"])
            let separate = try Session(model: try model([conv, relu, pool], initializers: inits, outputs: ["y", "c", "r"]))
            XCTAssertEqual(separate.graph.stepNames, ["Conv#0", "Relu#1", "MaxPool#2"])
            let a = try fusedSession.run(feeds), b = try separate.run(feeds)
            guard case .tensor(let ta)? = a["y"], case .tensor(let tb)? = b["y"] else { return XCTFail("no output") }
            XCTAssertEqual(ta.shape, tb.shape, "\(xs)")
            XCTAssertEqual(try ta.floats(), try tb.floats(), "\(xs) \(ws)")
            XCTAssertTrue(try floats(b["c"]).contains { $0 < 0 })
        }
    }

    func testMatMulBiasReluFusedEqualsSeparateSteps() throws {
        // (A shape, B shape, bias shape, bias first): a bias the GEMM adds ([N], [1, N]),
        // a batched A, few columns (the dot-product path), and a full [M, N] addend the
        // folded Add applies after the product.
        let cases: [([Int], [Int], [Int], Bool)] = [
            ([37, 50], [50, 29], [29], false),
            ([37, 50], [50, 29], [1, 29], true),
            ([2, 13, 70], [70, 20], [20], false),
            ([40, 100], [100, 10], [10], true),
            ([7, 9], [9, 5], [7, 5], false),
        ]
        for (aShape, bShape, cShape, biasFirst) in cases {
            let a = values(aShape.reduce(1, *), seed: aShape[0]), b = values(bShape.reduce(1, *), seed: bShape[1])
            let inits = ["w": f32(b, bShape), "bias": f32(values(cShape.reduce(1, *), seed: 9), cShape)]
            let nodes = [
                Node(opType: "MatMul", input: ["x", "w"], output: ["m"]),
                Node(opType: "Add", input: biasFirst ? ["bias", "m"] : ["m", "bias"], output: ["h"]),
                Node(opType: "Relu", input: ["h"], output: ["y"]),
            ]
            let feeds: [String: Value] = ["x": .tensor(f32(a, aShape))]
            let fusedSession = try Session(model: try model(nodes, initializers: inits, outputs: ["y"]))
            XCTAssertEqual(fusedSession.graph.stepNames, ["MatMul#0"])
            let separate = try Session(model: try model(nodes, initializers: inits, outputs: ["y", "m", "h"]))
            XCTAssertEqual(separate.graph.stepNames, ["MatMul#0", "Add#1", "Relu#2"])
            let f = try fusedSession.run(feeds), u = try separate.run(feeds)
            XCTAssertTrue(try floats(u["h"]).contains { $0 < 0 })
            XCTAssertEqual(try floats(f["y"]), try floats(u["y"]), "\(aShape) \(bShape) \(cShape)")
        }
        // A bias that a feed may replace (a graph input with an initializer) is not folded.
        var m = try model([Node(opType: "MatMul", input: ["x", "w"], output: ["m"]), Node(opType: "Add", input: ["m", "bias"], output: ["y"])],
                          initializers: ["w": f32(values(6, seed: 1), [3, 2]), "bias": f32([1, 2], [2])], outputs: ["y"])
        m.graph?.input.append(ValueInfo(name: "bias", type: nil))
        let session = try Session(model: m)
        XCTAssertEqual(session.graph.stepNames, ["MatMul#0", "Add#1"])
        let r = try session.run(["x": .tensor(f32([1, 0, 0], [1, 3])), "bias": .tensor(f32([10, 20], [2]))])
        XCTAssertEqual(try floats(r["y"]), [10 + values(6, seed: 1)[0], 20 + values(6, seed: 1)[1]])
    }

    func testReluReadTwiceIsNotFusedAway() throws {
        // c feeds the Relu and an Add: the Add must see the unclamped values.
        let xs = [1, 2, 5, 5], ws = [4, 2, 3, 3]
        let x = values(50, seed: 3), w = values(72, seed: 4)
        let conv = Node(opType: "Conv", input: ["x", "w"], output: ["c"], attribute: [ints("pads", [1, 1, 1, 1])])
        let relu = Node(opType: "Relu", input: ["c"], output: ["r"])
        let add = Node(opType: "Add", input: ["c", "r"], output: ["y"])
        let session = try Session(model: try model([conv, relu, add], initializers: ["w": f32(w, ws)], outputs: ["y"]))
        XCTAssertEqual(session.graph.stepNames, ["Conv#0", "Relu#1", "Add#2"])
        let out = try session.run(["x": .tensor(f32(x, xs))])
        let alone = try Session(model: try model([conv], initializers: ["w": f32(w, ws)], outputs: ["c"]))
            .run(["x": .tensor(f32(x, xs))])
        let c = try floats(alone["c"])
        XCTAssertTrue(c.contains { $0 < 0 })
        XCTAssertEqual(try floats(out["y"]), c.map { $0 + ($0 < 0 ? 0 : $0) })
    }

    func testConvBiasMatchesPlainLoop() throws {
        // Bias per output channel through the direct kernel's epilogue, against a loop.
        let (n, c, h, wd, m) = (2, 3, 6, 11, 10)
        let x = values(n * c * h * wd, seed: 11), w = values(m * c * 9, seed: 12), b = values(m, seed: 13)
        let conv = Node(opType: "Conv", input: ["x", "w", "b"], output: ["y"], attribute: [ints("pads", [1, 1, 1, 1])])
        let out = try Session(model: try model([conv], initializers: ["w": f32(w, [m, c, 3, 3]), "b": f32(b, [m])], outputs: ["y"]))
            .run(["x": .tensor(f32(x, [n, c, h, wd]))])
        let y = try floats(out["y"])
        XCTAssertEqual(y.count, n * m * h * wd)
        for bi in 0..<n { for o in 0..<m { for i in 0..<h { for j in 0..<wd {
            var s = Double(b[o])
            for ci in 0..<c { for a in 0..<3 { for q in 0..<3 {
                let r = i + a - 1, col = j + q - 1
                if r < 0 || r >= h || col < 0 || col >= wd { continue }
                s += Double(x[((bi * c + ci) * h + r) * wd + col]) * Double(w[((o * c + ci) * 3 + a) * 3 + q])
            } } }
            XCTAssertEqual(Double(y[((bi * m + o) * h + i) * wd + j]), s, accuracy: 1e-5)
        } } } }
    }

    func testMaxPool2x2FastPathMatchesWindows() throws {
        // Widths with and without a multiple of 16 inputs per row (vector part and scalar
        // tail), odd sizes (the last row and column are dropped), and NaN propagation.
        for (h, w) in [(4, 32), (6, 21), (5, 7), (2, 2)] {
            var x = values(2 * 3 * h * w, seed: h * 100 + w)
            x[5] = .nan
            x[x.count - 1] = .nan
            let pool = Node(opType: "MaxPool", input: ["x"], output: ["y"], attribute: [ints("kernel_shape", [2, 2]), ints("strides", [2, 2])])
            let out = try Session(model: try model([pool], initializers: [:], outputs: ["y"])).run(["x": .tensor(f32(x, [2, 3, h, w]))])
            guard case .tensor(let t)? = out["y"] else { return XCTFail("no output") }
            let (oh, ow) = (h / 2, w / 2)
            XCTAssertEqual(t.shape, [2, 3, oh, ow])
            let y = try t.floats()
            for p in 0..<6 { for i in 0..<oh { for j in 0..<ow {
                let window = [(0, 0), (0, 1), (1, 0), (1, 1)].map { x[p * h * w + (2 * i + $0.0) * w + 2 * j + $0.1] }
                let got = y[(p * oh + i) * ow + j]
                if window.contains(where: \.isNaN) { XCTAssertTrue(got.isNaN, "\(h)x\(w) [\(p),\(i),\(j)]"); continue }
                XCTAssertEqual(got, window.max()!, "\(h)x\(w) [\(p),\(i),\(j)]")
            } } }
        }
    }
}
