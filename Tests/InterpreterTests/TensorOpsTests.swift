import Foundation
import Interpreter
import ONNX
import XCTest

/// The tensor-manipulation ops (Ops/Tensor). Every expected value is worked out by
/// hand from the ONNX operator specification (its examples where it has them).
final class TensorOpsTests: XCTestCase {
    // MARK: helpers

    /// Runs one node; nil inputs are omitted optional inputs.
    func run(_ op: String, _ inputs: [Value?], _ attributes: [Attribute] = [], opset: Int64 = 19, outputs: Int = 1) throws -> [Value] {
        var g = Graph(name: "t")
        var names: [String] = []
        var feeds: [String: Value] = [:]
        for (i, v) in inputs.enumerated() {
            guard let v else { names.append(""); continue }
            names.append("in\(i)")
            feeds["in\(i)"] = v
            g.input.append(ValueInfo(name: "in\(i)", type: nil))
        }
        let outs = (0..<outputs).map { "out\($0)" }
        g.node = [Node(opType: op, input: names, output: outs, attribute: attributes)]
        g.output = outs.map { ValueInfo(name: $0, type: nil) }
        var m = Model()
        m.irVersion = 9
        m.opsetImport = [OperatorSetID(domain: "", version: opset)]
        m.graph = g
        return try Session(model: m).runOrdered(feeds)
    }

    func run1(_ op: String, _ inputs: [Value?], _ attributes: [Attribute] = [], opset: Int64 = 19) throws -> TensorValue {
        guard let t = try run(op, inputs, attributes, opset: opset)[0].tensor else { throw XCTSkip("not a tensor") }
        return t
    }

    func f32(_ v: [Float], _ shape: [Int]) -> Value { .tensor(TensorValue(floats: v, shape: shape)) }
    func i64(_ v: [Int64], _ shape: [Int]? = nil) -> Value { .tensor(TensorValue(int64s: v, shape: shape ?? [v.count])) }
    func scalar(_ v: Int64) -> Value { .tensor(TensorValue(int64s: [v], shape: [])) }
    func str(_ v: [String], _ shape: [Int]) -> Value { .tensor(TensorValue(strings: v, shape: shape)) }
    func ints(_ name: String, _ v: [Int64]) -> Attribute { Attribute(name: name, value: .ints(v)) }
    func int(_ name: String, _ v: Int64) -> Attribute { Attribute(name: name, value: .int(v)) }
    func string(_ name: String, _ v: String) -> Attribute { Attribute(name: name, string: v) }
    func floats(_ name: String, _ v: [Float]) -> Attribute { Attribute(name: name, value: .floats(v)) }
    func iota(_ shape: [Int]) -> Value { f32((0..<shape.reduce(1, *)).map { Float($0) }, shape) }

    func assertTensor(_ t: TensorValue, _ values: [Float], _ shape: [Int], accuracy: Float = 1e-6, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(t.shape, shape, file: file, line: line)
        let v = try t.floats()
        XCTAssertEqual(v.count, values.count, file: file, line: line)
        for (a, b) in zip(v, values) { XCTAssertEqual(a, b, accuracy: accuracy, file: file, line: line) }
    }

    // MARK: shape ops

    func testFlattenAndNegativeAxis() throws {
        let t = try run1("Flatten", [iota([2, 3, 4])], [int("axis", 2)])
        XCTAssertEqual(t.shape, [6, 4])
        XCTAssertEqual(try t.floats(), (0..<24).map { Float($0) })
        XCTAssertEqual(try run1("Flatten", [iota([2, 3, 4])], [int("axis", -3)], opset: 13).shape, [1, 24])
        XCTAssertEqual(try run1("Flatten", [iota([2, 3, 4])], [int("axis", 0)]).shape, [1, 24])
    }

    func testTransposeDefaultReversesAndMovesStrings() throws {
        let t = try run1("Transpose", [str(["a", "b", "c", "d", "e", "f"], [2, 3])])
        XCTAssertEqual(t.shape, [3, 2])
        XCTAssertEqual(try t.strings(), ["a", "d", "b", "e", "c", "f"])
        // x[i][0][k] = 3i + k; out[0][k][i] = x[i][0][k].
        let p = try run1("Transpose", [iota([2, 1, 3])], [ints("perm", [1, 2, 0])])
        try assertTensor(p, [0, 3, 1, 4, 2, 5], [1, 3, 2])
    }

    func testSqueezeAttributeAndInput() throws {
        XCTAssertEqual(try run1("Squeeze", [iota([1, 3, 1, 2])], [ints("axes", [-2])], opset: 11).shape, [1, 3, 2])
        XCTAssertEqual(try run1("Squeeze", [iota([1, 3, 1, 2]), i64([0])], opset: 13).shape, [3, 1, 2])
        XCTAssertEqual(try run1("Squeeze", [iota([1, 3, 1, 2])], opset: 13).shape, [3, 2])
        XCTAssertThrowsError(try run1("Squeeze", [iota([1, 3]), i64([1])], opset: 13))
    }

    func testUnsqueezeAttributeAndInput() throws {
        XCTAssertEqual(try run1("Unsqueeze", [iota([3, 2])], [ints("axes", [0, 3])], opset: 11).shape, [1, 3, 2, 1])
        XCTAssertEqual(try run1("Unsqueeze", [iota([3, 2]), i64([-1, 1])], opset: 13).shape, [3, 1, 2, 1])
        XCTAssertThrowsError(try run1("Unsqueeze", [iota([3]), i64([0, 0])], opset: 13))
    }

    func testShapeStartEndAndSize() throws {
        let x = try TensorValue.zeros(.float, shape: [2, 3, 4, 5])
        XCTAssertEqual(try run1("Shape", [.tensor(x)], opset: 13).int64s(), [2, 3, 4, 5])
        XCTAssertEqual(try run1("Shape", [.tensor(x)], [int("start", -3), int("end", -1)], opset: 15).int64s(), [3, 4])
        XCTAssertEqual(try run1("Shape", [.tensor(x)], [int("start", -10), int("end", 10)], opset: 15).int64s(), [2, 3, 4, 5])
        XCTAssertEqual(try run1("Shape", [.tensor(x)], [int("start", 3), int("end", 1)], opset: 15).shape, [0])
        let s = try run1("Size", [.tensor(x)])
        XCTAssertEqual(s.shape, [])
        XCTAssertEqual(try s.int64s(), [120])
    }

    // MARK: joining and cutting

    func testConcatBoolsAlongLastAxis() throws {
        let a = Value.tensor(TensorValue(bools: [true, false], shape: [2, 1]))
        let b = Value.tensor(TensorValue(bools: [false, false, true, true], shape: [2, 2]))
        let t = try run1("Concat", [a, b], [int("axis", -1)], opset: 13)
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(try t.bools(), [true, false, false, false, true, true])
        XCTAssertThrowsError(try run1("Concat", [iota([2, 2]), iota([3, 3])], [int("axis", 0)]))
    }

    func testSplitVersions() throws {
        let x = iota([7])
        // opset 18, num_outputs 3: ceil(7/3) = 3 -> 3, 3, 1.
        let p = try run("Split", [x], [int("num_outputs", 3)], opset: 18, outputs: 3).map { try $0.tensor!.floats() }
        XCTAssertEqual(p, [[0, 1, 2], [3, 4, 5], [6]])
        let a = try run("Split", [x], [ints("split", [2, 5])], opset: 11, outputs: 2).map { try $0.tensor!.floats() }
        XCTAssertEqual(a, [[0, 1], [2, 3, 4, 5, 6]])
        let b = try run("Split", [x, i64([4, 3])], opset: 13, outputs: 2).map { try $0.tensor!.floats() }
        XCTAssertEqual(b, [[0, 1, 2, 3], [4, 5, 6]])
        let c = try run("Split", [iota([2, 4])], [int("axis", 1)], opset: 2, outputs: 2).map { try $0.tensor!.floats() }
        XCTAssertEqual(c, [[0, 1, 4, 5], [2, 3, 6, 7]])
        XCTAssertThrowsError(try run("Split", [x], opset: 13, outputs: 2))
    }

    func testSliceNegativeStepsAndClamping() throws {
        let x = iota([10])
        XCTAssertEqual(try run1("Slice", [x, i64([-1]), i64([-100]), i64([0]), i64([-3])], opset: 13).floats(), [9, 6, 3, 0])
        XCTAssertEqual(try run1("Slice", [x, i64([Int64.max]), i64([Int64.min]), nil, i64([-4])], opset: 13).floats(), [9, 5, 1])
        XCTAssertEqual(try run1("Slice", [x, i64([-3]), i64([Int64.max])], opset: 13).floats(), [7, 8, 9])
        XCTAssertEqual(try run1("Slice", [x, i64([5]), i64([2])], opset: 13).shape, [0])
        // Extreme steps do not overflow: one element each.
        XCTAssertEqual(try run1("Slice", [x, i64([Int64.max]), i64([Int64.min]), i64([0]), i64([Int64.min])], opset: 13).floats(), [9])
        XCTAssertEqual(try run1("Slice", [x, i64([0]), i64([Int64.max]), i64([0]), i64([Int64.max])], opset: 13).floats(), [0])
        // Opset 1: attributes; rows 1..., columns -3..-1 of a 3x4.
        let t = try run1("Slice", [iota([3, 4])], [ints("starts", [1, -3]), ints("ends", [100, -1]), ints("axes", [0, 1])], opset: 9)
        try assertTensor(t, [5, 6, 9, 10], [2, 2])
        XCTAssertThrowsError(try run1("Slice", [x, i64([0]), i64([5]), i64([0]), i64([0])], opset: 13))
    }

    func testGatherNegativeIndicesAndRange() throws {
        let x = f32([1, 2, 3, 4, 5, 6], [2, 3])
        try assertTensor(try run1("Gather", [x, i64([-1, 0])], [int("axis", 1)]), [3, 1, 6, 4], [2, 2])
        try assertTensor(try run1("Gather", [x, scalar(1)]), [4, 5, 6], [3])
        XCTAssertThrowsError(try run1("Gather", [x, i64([2])])) { e in
            guard case InterpreterError.invalidInput? = e as? InterpreterError else { return XCTFail("\(e)") }
        }
    }

    func testGatherElementsSpecExample() throws {
        let t = try run1("GatherElements", [f32([1, 2, 3, 4], [2, 2]), i64([0, 0, 1, 0], [2, 2])], [int("axis", 1)])
        try assertTensor(t, [1, 1, 4, 3], [2, 2])
        let u = try run1("GatherElements", [f32([1, 2, 3, 4, 5, 6], [3, 2]), i64([-1, 0], [1, 2])], [int("axis", 0)])
        try assertTensor(u, [5, 2], [1, 2])
    }

    func testGatherNDBatchDims() throws {
        // Spec example 5: batch_dims 1.
        let data = iota([2, 2, 2])
        try assertTensor(try run1("GatherND", [data, i64([1, 0], [2, 1])], [int("batch_dims", 1)]), [2, 3, 4, 5], [2, 2])
        // Spec example 2: full tuples pick elements... here a row per tuple.
        try assertTensor(try run1("GatherND", [iota([2, 2]), i64([1, 0], [1, 2])]), [2], [1])
        try assertTensor(try run1("GatherND", [iota([2, 2]), i64([1, 0], [2, 1])]), [2, 3, 0, 1], [2, 2])
    }

    // MARK: scatter

    func testScatterNDReplaceAndAdd() throws {
        // Spec example 1.
        let data = f32([1, 2, 3, 4, 5, 6, 7, 8], [8])
        let t = try run1("ScatterND", [data, i64([4, 3, 1, 7], [4, 1]), f32([9, 10, 11, 12], [4])], opset: 13)
        try assertTensor(t, [1, 11, 3, 10, 9, 6, 7, 12], [8])
        // Duplicate indices accumulate with reduction add.
        let a = try run1("ScatterND", [f32([1, 2], [2]), i64([0, 0], [2, 1]), f32([5, 6], [2])], [string("reduction", "add")], opset: 16)
        try assertTensor(a, [12, 2], [2])
        let m = try run1("ScatterND", [.tensor(TensorValue(int32s: [5, 1], shape: [2])), i64([0, 1, 0], [3, 1]), .tensor(TensorValue(int32s: [3, 4, 9], shape: [3]))],
                         [string("reduction", "max")], opset: 18)
        XCTAssertEqual(m.dataType, .int32)
        XCTAssertEqual(try m.int64s(), [9, 4])
        XCTAssertThrowsError(try run1("ScatterND", [f32([1, 2], [2]), i64([2], [1, 1]), f32([5], [1])], opset: 13))
    }

    func testScatterElementsMulAndDeprecatedScatter() throws {
        let data = f32([1, 2, 3, 4, 5], [1, 5])
        let t = try run1("ScatterElements", [data, i64([1, -2], [1, 2]), f32([3, -2], [1, 2])], [int("axis", 1), string("reduction", "mul")], opset: 18)
        try assertTensor(t, [1, 6, 3, -8, 5], [1, 5])
        // Spec example 1 of Scatter (axis 0).
        let s = try run1("Scatter", [try .tensor(TensorValue.zeros(.float, shape: [3, 3])), i64([1, 0, 2, 0, 2, 1], [2, 3]),
                                     f32([1, 1.1, 1.2, 2, 2.1, 2.2], [2, 3])], opset: 9)
        try assertTensor(s, [2, 1.1, 0, 1, 0, 2.2, 0, 2.1, 1.2], [3, 3])
    }

    // MARK: broadcasting and padding

    func testExpandAndTileMoveStrings() throws {
        XCTAssertEqual(try run1("Expand", [iota([3, 1]), i64([2, 1, 4])]).shape, [2, 3, 4])
        let e = try run1("Expand", [str(["a", "b"], [2, 1]), i64([1, 2])])
        XCTAssertEqual(try e.strings(), ["a", "a", "b", "b"])
        let t = try run1("Tile", [str(["a", "b"], [1, 2]), i64([2, 2])])
        XCTAssertEqual(t.shape, [2, 4])
        XCTAssertEqual(try t.strings(), ["a", "b", "a", "b", "a", "b", "a", "b"])
    }

    func testPadModes() throws {
        let x = f32([1, 2, 3], [3])
        let pads = i64([2, 3])
        XCTAssertEqual(try run1("Pad", [x, pads], [string("mode", "constant")]).floats(), [0, 0, 1, 2, 3, 0, 0, 0])
        XCTAssertEqual(try run1("Pad", [x, pads, f32([9], [])]).floats(), [9, 9, 1, 2, 3, 9, 9, 9])
        XCTAssertEqual(try run1("Pad", [x, pads], [string("mode", "reflect")]).floats(), [3, 2, 1, 2, 3, 2, 1, 2])
        XCTAssertEqual(try run1("Pad", [x, pads], [string("mode", "edge")]).floats(), [1, 1, 1, 2, 3, 3, 3, 3])
        XCTAssertEqual(try run1("Pad", [x, pads], [string("mode", "wrap")]).floats(), [2, 3, 1, 2, 3, 1, 2, 3])
        // Negative pads crop first: [2, 3, 4], then one edge element at the end.
        XCTAssertEqual(try run1("Pad", [f32([1, 2, 3, 4], [4]), i64([-1, 1])], [string("mode", "edge")]).floats(), [2, 3, 4, 4])
        // ... and wrap then repeats the cropped axis [2, 3, 4].
        XCTAssertEqual(try run1("Pad", [f32([1, 2, 3, 4], [4]), i64([-1, 2])], [string("mode", "wrap")]).floats(), [2, 3, 4, 2, 3])
        // Opset 2: attributes, integer data.
        let v2 = try run1("Pad", [.tensor(TensorValue(int32s: [1, 2], shape: [1, 2]))], [ints("pads", [0, 1, 1, 0]), Attribute(name: "value", value: .float(5))], opset: 2)
        XCTAssertEqual(v2.dataType, .int32)
        XCTAssertEqual(v2.shape, [2, 3])
        XCTAssertEqual(try v2.int64s(), [5, 1, 2, 5, 5, 5])
        // Opset 18 axes input: only the last axis is padded.
        XCTAssertEqual(try run1("Pad", [iota([2, 2]), i64([1, 0]), nil, i64([-1])], opset: 18).floats(), [0, 0, 1, 0, 2, 3])
        XCTAssertThrowsError(try run1("Pad", [x, pads], [string("mode", "wrap")], opset: 18))
    }

    func testCenterCropPad() throws {
        XCTAssertEqual(try run1("CenterCropPad", [f32([1, 2, 3, 4, 5], [5]), i64([3])], opset: 18).floats(), [2, 3, 4])
        XCTAssertEqual(try run1("CenterCropPad", [f32([1, 2], [2]), i64([5])], opset: 18).floats(), [0, 1, 2, 0, 0])
        let t = try run1("CenterCropPad", [iota([3, 4]), i64([2])], [ints("axes", [-1])], opset: 18)
        try assertTensor(t, [1, 2, 5, 6, 9, 10], [3, 2])
    }

    // MARK: generators

    func testConstantOfShape() throws {
        let z = try run1("ConstantOfShape", [i64([2, 1])])
        XCTAssertEqual(z.dataType, .float)
        XCTAssertEqual(try z.floats(), [0, 0])
        let seven = ONNX.Tensor(name: "v", dataType: .int32, dims: [1], rawData: ByteBuffer(copyingElementsOf: [Int32(7)]))
        let t = try run1("ConstantOfShape", [i64([2, 2])], [Attribute(name: "value", value: .tensor(seven))])
        XCTAssertEqual(t.dataType, .int32)
        XCTAssertEqual(try t.int64s(), [7, 7, 7, 7])
        XCTAssertEqual(try run1("ConstantOfShape", [i64([0])]).shape, [0])
    }

    func testRange() throws {
        let i = try run1("Range", [scalar(10), scalar(4), scalar(-3)])
        XCTAssertEqual(try i.int64s(), [10, 7])
        let f = try run1("Range", [f32([1], []), f32([2], []), f32([0.25], [])])
        XCTAssertEqual(try f.floats(), [1, 1.25, 1.5, 1.75])
        XCTAssertEqual(try run1("Range", [scalar(5), scalar(1), scalar(2)]).shape, [0])
        XCTAssertThrowsError(try run1("Range", [scalar(0), scalar(1), scalar(0)]))
        // The count is exact even when limit - start overflows Int64: ceil((2^64 - 1) / (2^63 - 1)) = 3.
        XCTAssertEqual(try run1("Range", [scalar(.min), scalar(.max), scalar(.max)]).int64s(), [.min, -1, .max - 1])
    }

    func testOneHot() throws {
        let t = try run1("OneHot", [i64([0, -1, 3]), scalar(3), f32([0, 5], [2])], opset: 11)
        try assertTensor(t, [5, 0, 0, 0, 0, 5, 0, 0, 0], [3, 3])
        let u = try run1("OneHot", [i64([0, 2]), scalar(3), f32([0, 1], [2])], [int("axis", 0)], opset: 11)
        try assertTensor(u, [1, 0, 0, 0, 0, 1], [3, 2])
    }

    func testTriluAndEyeLike() throws {
        let x = f32([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3])
        try assertTensor(try run1("Trilu", [x, scalar(1)], opset: 14), [0, 2, 3, 0, 0, 6, 0, 0, 0], [3, 3])
        try assertTensor(try run1("Trilu", [x, scalar(-1)], [int("upper", 0)], opset: 14), [0, 0, 0, 4, 0, 0, 7, 8, 0], [3, 3])
        try assertTensor(try run1("Trilu", [x], [int("upper", 0)], opset: 14), [1, 0, 0, 4, 5, 0, 7, 8, 9], [3, 3])
        let e = try run1("EyeLike", [iota([2, 3])], [int("k", 1), int("dtype", Int64(DataType.int32.rawValue))])
        XCTAssertEqual(e.dataType, .int32)
        XCTAssertEqual(try e.int64s(), [0, 1, 0, 0, 0, 1])
    }

    // MARK: selection

    func testNonZeroAndCompress() throws {
        let n = try run1("NonZero", [f32([1, 0, 1, 1], [2, 2])])
        XCTAssertEqual(n.shape, [2, 3])
        XCTAssertEqual(try n.int64s(), [0, 1, 1, 0, 0, 1])
        let x = f32([1, 2, 3, 4, 5, 6], [3, 2])
        let cond = Value.tensor(TensorValue(bools: [false, true], shape: [2]))
        try assertTensor(try run1("Compress", [x, cond], [int("axis", 0)], opset: 11), [3, 4], [1, 2])
        let c3 = Value.tensor(TensorValue(bools: [false, true, true], shape: [3]))
        try assertTensor(try run1("Compress", [x, c3], opset: 11), [2, 3], [2])
    }

    func testUniqueSpecExamples() throws {
        let x = f32([2, 1, 1, 3, 4, 3], [6])
        let u = try run("Unique", [x], [int("sorted", 0)], opset: 11, outputs: 4).map { $0.tensor! }
        XCTAssertEqual(try u[0].floats(), [2, 1, 3, 4])
        XCTAssertEqual(try u[1].int64s(), [0, 1, 3, 4])
        XCTAssertEqual(try u[2].int64s(), [0, 1, 1, 2, 3, 2])
        XCTAssertEqual(try u[3].int64s(), [1, 2, 2, 1])
        let s = try run("Unique", [x], opset: 11, outputs: 4).map { $0.tensor! }
        XCTAssertEqual(try s[0].floats(), [1, 2, 3, 4])
        XCTAssertEqual(try s[1].int64s(), [1, 0, 3, 4])
        XCTAssertEqual(try s[2].int64s(), [1, 0, 0, 2, 3, 2])
        XCTAssertEqual(try s[3].int64s(), [2, 1, 2, 1])
        let a = try run("Unique", [f32([1, 0, 0, 1, 0, 0, 2, 3, 4], [3, 3])], [int("axis", 0)], opset: 11, outputs: 4).map { $0.tensor! }
        try assertTensor(a[0], [1, 0, 0, 2, 3, 4], [2, 3])
        XCTAssertEqual(try a[1].int64s(), [0, 2])
        XCTAssertEqual(try a[2].int64s(), [0, 0, 1])
        XCTAssertEqual(try a[3].int64s(), [2, 1])
        let w = try run("Unique", [str(["b", "a", "b"], [3])], opset: 11, outputs: 1)[0].tensor!
        XCTAssertEqual(try w.strings(), ["a", "b"])
    }

    // MARK: rearrangement

    func testDepthToSpaceModesAndSpaceToDepth() throws {
        let x = iota([1, 8, 1, 1])
        // DCR: channel = (i * 2 + j) * 2 + c; CRD: channel = c * 4 + i * 2 + j.
        try assertTensor(try run1("DepthToSpace", [x], [int("blocksize", 2)]), [0, 2, 4, 6, 1, 3, 5, 7], [1, 2, 2, 2])
        try assertTensor(try run1("DepthToSpace", [x], [int("blocksize", 2), string("mode", "CRD")]), [0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 2, 2])
        let s = try run1("SpaceToDepth", [iota([1, 2, 2, 2])], [int("blocksize", 2)], opset: 13)
        // DCR output channel = (i * 2 + j) * 2 + c takes x[c][i][j] = 4c + 2i + j.
        try assertTensor(s, [0, 4, 1, 5, 2, 6, 3, 7], [1, 8, 1, 1])
    }

    func testReverseSequenceSpecExample() throws {
        let x = iota([4, 4])
        let t = try run1("ReverseSequence", [x, i64([4, 3, 2, 1])], [int("time_axis", 0), int("batch_axis", 1)], opset: 10)
        try assertTensor(t, [12, 9, 6, 3, 8, 5, 2, 7, 4, 1, 10, 11, 0, 13, 14, 15], [4, 4])
        let b = try run1("ReverseSequence", [x, i64([1, 2, 3, 4])], [int("time_axis", 1), int("batch_axis", 0)], opset: 10)
        try assertTensor(b, [0, 1, 2, 3, 5, 4, 6, 7, 10, 9, 8, 11, 15, 14, 13, 12], [4, 4])
    }

    func testCol2Im1D() throws {
        // Two kernel rows [1, 2, 3] and [10, 20, 30] over 3 blocks of a length-4 image.
        let t = try run1("Col2Im", [f32([1, 2, 3, 10, 20, 30], [1, 2, 3]), i64([4]), i64([2])], opset: 18)
        try assertTensor(t, [1, 12, 23, 30], [1, 1, 4])
    }

    // MARK: resize

    func testResizeNearestAndLinear() throws {
        let x = f32([1, 2], [1, 2])
        let near = try run1("Resize", [x, nil, f32([1, 2], [2])], [string("mode", "nearest"), string("coordinate_transformation_mode", "asymmetric"), string("nearest_mode", "floor")])
        try assertTensor(near, [1, 1, 2, 2], [1, 4])
        // half_pixel: x_in = (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 (edges clamp).
        let lin = try run1("Resize", [x, nil, nil, i64([1, 4])], [string("mode", "linear")])
        try assertTensor(lin, [1, 1.25, 1.75, 2], [1, 4])
        let ac = try run1("Resize", [x, nil, nil, i64([1, 3])], [string("mode", "linear"), string("coordinate_transformation_mode", "align_corners")])
        try assertTensor(ac, [1, 1.5, 2], [1, 3])
        // Cubic of a constant stays constant.
        let cu = try run1("Resize", [f32([3, 3, 3], [1, 3]), nil, f32([1, 2.5], [2])], [string("mode", "cubic")])
        try assertTensor(cu, [3, 3, 3, 3, 3, 3, 3], [1, 7], accuracy: 1e-5)
    }

    func testResizeAntialiasCropAndPolicy() throws {
        // Linear antialias at scale 0.5: the kernel widens to 4 taps with weights
        // 1/8, 3/8, 3/8, 1/8 around x_in = 0.5 and 2.5.
        let aa = try run1("Resize", [f32([0, 1, 2, 3], [4]), nil, f32([0.5], [1])], [string("mode", "linear"), int("antialias", 1)])
        try assertTensor(aa, [0.625, 2.375], [2])
        // tf_crop_and_resize: roi [0.5, 1.5] of [0, 10] maps x = 0, 1, 2 to 0.5, 1, 1.5;
        // 1.5 is outside [0, 1] and takes the extrapolation value.
        let cr = try run1("Resize", [f32([0, 10], [2]), f32([0.5, 1.5], [2]), nil, i64([3])],
                          [string("mode", "linear"), string("coordinate_transformation_mode", "tf_crop_and_resize"), Attribute(name: "extrapolation_value", value: .float(-1))])
        try assertTensor(cr, [5, 10, -1], [3])
        // not_larger with sizes [4, 4] on 2x4: scale min(2, 1) = 1 keeps the shape.
        let pol = try run1("Resize", [iota([1, 1, 2, 4]), nil, nil, i64([4, 4])], [ints("axes", [2, 3]), string("keep_aspect_ratio_policy", "not_larger")])
        XCTAssertEqual(pol.shape, [1, 1, 2, 4])
        let big = try run1("Resize", [iota([1, 1, 2, 4]), nil, nil, i64([4, 4])], [ints("axes", [2, 3]), string("keep_aspect_ratio_policy", "not_smaller")])
        XCTAssertEqual(big.shape, [1, 1, 4, 8])
    }

    func testResizeOpset10AndUpsample() throws {
        let x = f32([0, 1, 2, 3], [1, 4])
        try assertTensor(try run1("Resize", [x, f32([1, 0.5], [2])], opset: 10), [0, 2], [1, 2])
        try assertTensor(try run1("Upsample", [f32([1, 2], [1, 2]), f32([1, 2], [2])], opset: 9), [1, 1, 2, 2], [1, 4])
        try assertTensor(try run1("Upsample", [f32([1, 3], [1, 2])], [string("mode", "linear"), floats("scales", [1, 2])], opset: 7), [1, 2, 3, 3], [1, 4])
        let i = try run1("Resize", [.tensor(TensorValue(int32s: [4, 8], shape: [2])), nil, f32([2], [1])], [string("mode", "nearest")])
        XCTAssertEqual(i.dataType, .int32)
        XCTAssertEqual(try i.int64s(), [4, 4, 8, 8])
    }

    // MARK: sequences and optionals

    func testSequenceOps() throws {
        var g = Graph(name: "seq")
        g.input = [ValueInfo(name: "a", type: nil), ValueInfo(name: "b", type: nil)]
        g.initializer = [ONNX.Tensor(name: "zero", dataType: .int64, dims: [], rawData: ByteBuffer(copyingElementsOf: [Int64(0)])),
                         ONNX.Tensor(name: "last", dataType: .int64, dims: [], rawData: ByteBuffer(copyingElementsOf: [Int64(-1)]))]
        g.node = [
            Node(opType: "SequenceConstruct", input: ["a"], output: ["s1"]),
            Node(opType: "SequenceInsert", input: ["s1", "b", "zero"], output: ["s2"]),  // [b, a]
            Node(opType: "SequenceInsert", input: ["s2", "a"], output: ["s3"]),          // [b, a, a]
            Node(opType: "SequenceErase", input: ["s3", "zero"], output: ["s4"]),        // [a, a]
            Node(opType: "SequenceLength", input: ["s3"], output: ["n"]),
            Node(opType: "SequenceAt", input: ["s3", "zero"], output: ["first"]),
            Node(opType: "ConcatFromSequence", input: ["s4"], output: ["stacked"], attribute: [int("axis", 0), int("new_axis", 1)]),
            Node(opType: "SequenceAt", input: ["s2", "last"], output: ["back"]),
        ]
        g.output = ["n", "first", "stacked", "back"].map { ValueInfo(name: $0, type: nil) }
        var m = Model()
        m.irVersion = 9
        m.opsetImport = [OperatorSetID(domain: "", version: 17)]
        m.graph = g
        let out = try Session(model: m).run(["a": f32([1, 2], [2]), "b": f32([7, 8], [2])])
        XCTAssertEqual(try out["n"]?.tensor?.int64s(), [3])
        XCTAssertEqual(out["first"], f32([7, 8], [2]))
        XCTAssertEqual(out["stacked"], f32([1, 2, 1, 2], [2, 2]))
        XCTAssertEqual(out["back"], f32([1, 2], [2]))
    }

    func testSplitToSequenceAndEmpty() throws {
        guard case .sequence(let parts, _) = try run("SplitToSequence", [iota([5]), scalar(2)], opset: 11)[0] else { return XCTFail("not a sequence") }
        XCTAssertEqual(try parts.map { try $0.tensor!.floats() }, [[0, 1], [2, 3], [4]])
        guard case .sequence(let pieces, _) = try run("SplitToSequence", [iota([2, 3])], [int("axis", 1), int("keepdims", 0)], opset: 11)[0] else { return XCTFail() }
        XCTAssertEqual(pieces.map { $0.tensor!.shape }, [[2], [2], [2]])
        XCTAssertEqual(try pieces[2].tensor!.floats(), [2, 5])
        guard case .sequence(let empty, let type) = try run("SequenceEmpty", [], [int("dtype", Int64(DataType.int64.rawValue))], opset: 11)[0] else { return XCTFail() }
        XCTAssertTrue(empty.isEmpty)
        XCTAssertEqual(type?.tensorElementType, .int64)
    }

    func testOptionalOps() throws {
        let x = f32([1], [1])
        let wrapped = try run("Optional", [x], opset: 18)[0]
        XCTAssertEqual(wrapped, .optional(x, type: nil))
        XCTAssertEqual(try run1("OptionalHasElement", [wrapped], opset: 18).bools(), [true])
        XCTAssertEqual(try run("OptionalGetElement", [wrapped], opset: 18)[0], x)
        let none = Value.optional(nil, type: .tensor(.float, nil))
        XCTAssertEqual(try run1("OptionalHasElement", [none], opset: 18).bools(), [false])
        XCTAssertEqual(try run1("OptionalHasElement", [nil], opset: 18).bools(), [false])
        XCTAssertEqual(try run1("OptionalHasElement", [x], opset: 18).bools(), [true])
        XCTAssertThrowsError(try run("OptionalGetElement", [none], opset: 18))
        let made = try run("Optional", [], [Attribute(name: "type", value: .typeProto(.tensor(.float, nil)))], opset: 18)[0]
        XCTAssertEqual(made, none)
    }

    // MARK: element types

    func testDataMovementKeepsEveryElementType() throws {
        let half = Value.tensor(TensorValue(unchecked: .float16, shape: [2, 2], storage: .float16([1, 2, 3, 4])))
        let t = try run1("Transpose", [half])
        XCTAssertEqual(t.dataType, .float16)
        XCTAssertEqual(t.storage, .float16([1, 3, 2, 4]))
        XCTAssertThrowsError(try run1("Tile", [iota([2]), i64([Int64.max])]))
        let b = Value.tensor(TensorValue(unchecked: .bfloat16, shape: [3], storage: .bfloat16([BFloat16(1), BFloat16(2), BFloat16(3)])))
        let g = try run1("Gather", [b, i64([2, 0])])
        XCTAssertEqual(g.storage, .bfloat16([BFloat16(3), BFloat16(1)]))
        let u8 = Value.tensor(TensorValue(unchecked: .uint8, shape: [2], storage: .uint8([5, 250])))
        let p = try run1("Pad", [u8, i64([1, 0])], opset: 13)
        XCTAssertEqual(p.storage, .uint8([0, 5, 250]))
        let s = try run1("Slice", [str(["x", "y", "z"], [3]), i64([-1]), i64([-4]), nil, i64([-1])], opset: 13)
        XCTAssertEqual(try s.strings(), ["z", "y", "x"])
        let strPad = try run1("Pad", [str(["x"], [1]), i64([1, 1])], opset: 13)
        XCTAssertEqual(try strPad.strings(), ["", "x", ""])
    }
}
