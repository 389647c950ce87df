import DocumentReaders
import Foundation
@testable import LayerSpecConverter
import LightGBMConverter
import PythonObjects
import TestSupport
import XGBoostConverter
import XCTest

/// No reader is worse than linear in its input: each reads a generated input of size n
/// and 8n, best of 3 runs each, and the time grows less than 24 times (linear gives
/// about 8, quadratic about 64). The inputs mix the shapes real files have (nested
/// objects, packed arrays, strings, memo references, sets filled in many batches).
final class LinearTimeTests: XCTestCase {
    /// The best of three runs of `body`, in seconds.
    func best(_ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.min()!
    }

    /// Reads `make(n)` and `make(8 n)` and checks the ratio of their times.
    func assertLinear(_ name: String, n: Int, file: StaticString = #filePath, line: UInt = #line,
                      make: (Int) throws -> [UInt8], read: ([UInt8]) throws -> Void) throws {
        let small = try make(n), large = try make(8 * n)
        try read(small)   // warm up (first-touch costs, lazy globals)
        let t1 = try best { try read(small) }, t8 = try best { try read(large) }
        let ratio = t8 / t1
        print("linear time: \(name): \(small.count) bytes \(String(format: "%.1f", t1 * 1000)) ms, \(large.count) bytes \(String(format: "%.1f", t8 * 1000)) ms, ratio \(String(format: "%.1f", ratio))")
        XCTAssertLessThan(ratio, 24, "\(name): \(t1) s for \(small.count) bytes, \(t8) s for \(large.count) bytes", file: file, line: line)
    }

    // MARK: generators

    /// An XGBoost-like JSON document: n trees of packed arrays, strings and nested objects.
    static func json(_ n: Int) -> [UInt8] {
        var s = #"{"learner": {"attributes": {}, "feature_names": [], "trees": ["#
        for k in 0..<n {
            if k > 0 { s += "," }
            s += #"{"id": \#(k), "left_children": [1, 3, 5, -1, -1, -1, -1], "split_conditions": [0.5, 1.25e-3, -7.5, 0.1, 0.2, 0.3, 0.4],"#
            s += #" "name": "tree \#(k) \"quoted\"", "param": {"num_nodes": "7", "deep": [{"a": [true, null]}, {"b": "x"}]}}"#
        }
        return Array((s + "]}}").utf8)
    }

    /// A UBJSON document of the same shape: typed float32 and int32 arrays, untyped
    /// arrays and objects, strings.
    static func ubjson(_ n: Int) -> [UInt8] {
        var b: [UInt8] = []
        func key(_ s: String) { b += [UInt8(ascii: "U"), UInt8(s.utf8.count)] + Array(s.utf8) }
        func string(_ s: String) { b.append(UInt8(ascii: "S")); key(s) }
        func int32(_ v: Int32) { b += withUnsafeBytes(of: v.bigEndian, Array.init) }
        b += Array("{".utf8); key("trees"); b += Array("[".utf8)
        for k in 0..<n {
            b += Array("{".utf8)
            key("id"); b.append(UInt8(ascii: "l")); int32(Int32(k))
            key("left"); b += Array("[$l#U".utf8) + [7]; for v: Int32 in [1, 3, 5, -1, -1, -1, -1] { int32(v) }
            key("cond"); b += Array("[$d#U".utf8) + [7]; for v: Float in [0.5, 1e-3, -7.5, 0.1, 0.2, 0.3, 0.4] { b += withUnsafeBytes(of: v.bitPattern.bigEndian, Array.init) }
            key("name"); string("tree \(k)")
            key("mixed"); b += Array("[TZi".utf8) + [5] + Array("{".utf8); key("a"); string("x"); b += Array("}]".utf8)
            b += Array("}".utf8)
        }
        return b + Array("]}".utf8)
    }

    /// An XGBoost text dump of n trees of 7 nodes.
    static func xgboostDump(_ n: Int) -> [UInt8] {
        var s = ""
        for k in 0..<n {
            s += "booster[\(k)]:\n0:[f\(k % 5)<0.5] yes=1,no=2,missing=1,gain=12.5,cover=100\n"
            s += "\t1:[f2<1.25] yes=3,no=4,missing=3\n\t\t3:leaf=0.125\n\t\t4:leaf=-0.25\n"
            s += "\t2:[f3<-7.5] yes=5,no=6,missing=6\n\t\t5:leaf=0.375,cover=3\n\t\t6:leaf=0.5\n"
        }
        return Array(s.utf8)
    }

    /// A LightGBM model.txt of n trees of 8 leaves.
    static func lightgbm(_ n: Int) -> [UInt8] {
        var s = "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\nmax_feature_idx=4\nobjective=regression\n"
        s += "feature_names=a b c d e\n\n"
        let left = (0..<7).map { i in 2 * i + 1 < 7 ? 2 * i + 1 : -(2 * i + 1 - 7) - 1 }.map(String.init).joined(separator: " ")
        let right = (0..<7).map { i in 2 * i + 2 < 7 ? 2 * i + 2 : -(2 * i + 2 - 7) - 1 }.map(String.init).joined(separator: " ")
        for k in 0..<n {
            s += "Tree=\(k)\nnum_leaves=8\nnum_cat=0\nsplit_feature=0 1 2 3 4 0 1\nsplit_gain=1 2 3 4 5 6 7\n"
            s += "threshold=0.5 1.25 -7.5 0.10000000000000001 0.2 0.3 0.4\ndecision_type=2 2 2 2 2 2 2\n"
            s += "left_child=\(left)\nright_child=\(right)\n"
            s += "leaf_value=0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8\nleaf_count=1 2 3 4 5 6 7 8\nis_linear=0\nshrinkage=1\n\n"
        }
        return Array((s + "end of trees\n\nfeature_importances:\na=1\n").utf8)
    }

    /// A protocol-4 pickle: a list of n dicts (strings, floats, a memoized list) appended
    /// in batches of 1000, and a set of n ints filled one ADDITEMS at a time.
    static func pickle(_ n: Int) -> [UInt8] {
        func text(_ s: String) -> [UInt8] { [0x8C, UInt8(s.utf8.count)] + Array(s.utf8) }
        var p: [UInt8] = [0x80, 4, 0x5D, 0x94]
        for k in 0..<n {
            if k % 1000 == 0 { p.append(0x28) }                                      // MARK
            p += [0x7D, 0x94, 0x28] + text("name") + text("item \(k)") + text("value") + [0x47] + withUnsafeBytes(of: Double(k).bitPattern.bigEndian, Array.init)
            p += text("ids") + [0x5D, 0x94, 0x28, 0x4B, 1, 0x4B, 2, 0x4B, 3, 0x65, 0x75]   // [1, 2, 3], SETITEMS
            if k % 1000 == 999 || k == n - 1 { p.append(0x65) }                      // APPENDS
        }
        p += [0x8F, 0x94]                                                            // EMPTY_SET, MEMOIZE
        for k in 0..<n { p += [0x28, 0x4A] + withUnsafeBytes(of: Int32(k).littleEndian, Array.init) + [0x90] }   // MARK, BININT, ADDITEMS
        return p + [0x61, 0x2E]                                                      // APPEND, STOP
    }

    /// A YAML layer spec of n layers.
    static func yaml(_ n: Int) -> [UInt8] {
        var s = "format: layerspec/1\nname: big\ninputs:\n  x: {shape: [batch, 4]}\nlayers:\n"
        for k in 0..<n { s += "  - {type: Linear, name: l\(k), in_features: 4, out_features: 4, bias: true}\n  - type: ReLU\n" }
        return Array(s.utf8)
    }

    /// A safetensors file of n one-element tensors.
    static func safetensors(_ n: Int) -> [UInt8] {
        let header = "{" + (0..<n).map { #""t\#($0)": {"dtype": "F32", "shape": [1], "data_offsets": [\#(4 * $0), \#(4 * $0 + 4)]}"# }.joined(separator: ", ") + "}"
        return withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init) + Array(header.utf8) + Array(repeating: 0, count: 4 * n)
    }

    // MARK: the readers

    func testJSON() throws {
        try assertLinear("JSON", n: 1500, make: Self.json) { _ = try JSONReader.parse($0) }
    }

    func testUBJSON() throws {
        try assertLinear("UBJSON", n: 3000, make: Self.ubjson) { _ = try UBJSONReader.parse($0) }
    }

    func testXGBoostTextDump() throws {
        try assertLinear("XGBoost text dump", n: 1500, make: Self.xgboostDump) { _ = try XGBoostTextDumpReader().read($0) }
    }

    func testLightGBMModelText() throws {
        try assertLinear("LightGBM model.txt", n: 400, make: Self.lightgbm) { _ = try LightGBMTextReader.read($0) }
    }

    func testPickle() throws {
        try assertLinear("pickle", n: 2000, make: Self.pickle) { bytes in
            let v = try PythonObjectFile.read(bytes)
            guard case .list(let l) = v, case .set(let s)? = l.items.last, s.count == l.items.count - 1 else { return XCTFail("not the generated list") }
            v.dismantle()
        }
    }

    func testYAMLLayerSpec() throws {
        try assertLinear("YAML layer spec", n: 300, make: Self.yaml) { _ = try YAMLSpecReader.document($0, file: "$") }
    }

    func testSafetensorsHeader() throws {
        let folder = TemporaryFolder("linear")
        try assertLinear("safetensors header", n: 1500, make: Self.safetensors) { bytes in
            let url = folder.file("w.safetensors")
            try Data(bytes).write(to: url)
            _ = try WeightStore.read(url)
        }
    }
}
