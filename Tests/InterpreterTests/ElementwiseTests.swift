import Foundation
import Interpreter
import ONNX
import XCTest

/// The elementwise family: arithmetic, math, activations, comparisons, logic, bits,
/// Cast/CastLike and (De)QuantizeLinear. Each expected value is worked out by hand
/// from the ONNX operator specification (and, where the spec leaves a choice, from
/// what onnx's reference implementation does); the comments show the working.
final class ElementwiseTests: XCTestCase {
    // MARK: helpers

    struct NoOutput: Error {}

    /// Runs a one-node model: `inputs` become graph inputs in0, in1, ... (nil leaves an
    /// optional input out); returns the single output.
    func run(_ op: String, opset: Int64 = 21, _ inputs: [TensorValue?], _ attributes: [Attribute] = []) throws -> TensorValue {
        var g = Graph(name: "g")
        var names: [String] = []
        var feeds: [String: Value] = [:]
        for (i, t) in inputs.enumerated() {
            guard let t else { names.append(""); continue }
            let n = "in\(i)"
            names.append(n)
            feeds[n] = .tensor(t)
            g.input.append(ValueInfo(name: n, type: nil))
        }
        g.node = [Node(opType: op, input: names, output: ["out"], attribute: attributes)]
        g.output = [ValueInfo(name: "out", type: nil)]
        var m = Model()
        m.irVersion = 10
        m.opsetImport = [OperatorSetID(domain: "", version: opset)]
        m.graph = g
        guard case .tensor(let t)? = try Session(model: m).run(feeds)["out"] else { throw NoOutput() }
        return t
    }

    func f32(_ v: [Float], _ shape: [Int]? = nil) -> TensorValue { TensorValue(floats: v, shape: shape ?? [v.count]) }
    func f64(_ v: [Double], _ shape: [Int]? = nil) -> TensorValue { TensorValue(doubles: v, shape: shape ?? [v.count]) }
    func i64(_ v: [Int64], _ shape: [Int]? = nil) -> TensorValue { TensorValue(int64s: v, shape: shape ?? [v.count]) }
    func i32(_ v: [Int32], _ shape: [Int]? = nil) -> TensorValue { TensorValue(int32s: v, shape: shape ?? [v.count]) }
    func bools(_ v: [Bool], _ shape: [Int]? = nil) -> TensorValue { TensorValue(bools: v, shape: shape ?? [v.count]) }
    func strs(_ v: [String], _ shape: [Int]? = nil) -> TensorValue { TensorValue(strings: v, shape: shape ?? [v.count]) }
    func tensor(_ type: DataType, _ storage: TensorStorage, _ shape: [Int]) -> TensorValue {
        TensorValue(unchecked: type, shape: shape, storage: storage)
    }
    func u64(_ v: [UInt64]) -> TensorValue { tensor(.uint64, .uint64(v), [v.count]) }
    func i8(_ v: [Int8], _ shape: [Int]? = nil) -> TensorValue { tensor(.int8, .int8(v), shape ?? [v.count]) }
    func u8(_ v: [UInt8], _ shape: [Int]? = nil) -> TensorValue { tensor(.uint8, .uint8(v), shape ?? [v.count]) }
    func f16(_ v: [Float]) -> TensorValue { tensor(.float16, .float16(v.map { Float16($0) }), [v.count]) }
    func bits(_ type: DataType, _ codes: [UInt8]) -> TensorValue { tensor(type, .bits8(codes), [codes.count]) }

    func float(_ name: String, _ v: Float) -> Attribute { Attribute(name: name, value: .float(v)) }
    func int(_ name: String, _ v: Int64) -> Attribute { Attribute(name: name, value: .int(v)) }
    func string(_ name: String, _ v: String) -> Attribute { Attribute(name: name, string: v) }

    func floats(_ t: TensorValue) throws -> [Float] { try t.floats() }

    /// Elementwise |actual - expected| <= tol (NaN matches NaN), with the type and shape.
    func assertClose(_ t: TensorValue, _ expected: [Float], shape: [Int]? = nil, type: DataType = .float, tol: Float = 1e-6,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(t.dataType, type, "element type", file: file, line: line)
        XCTAssertEqual(t.shape, shape ?? [expected.count], "shape", file: file, line: line)
        let got = try t.floats()
        XCTAssertEqual(got.count, expected.count, file: file, line: line)
        for (i, (g, e)) in zip(got, expected).enumerated() {
            if e.isNaN { XCTAssertTrue(g.isNaN, "element \(i): \(g), expected NaN", file: file, line: line); continue }
            if e.isInfinite { XCTAssertEqual(g, e, "element \(i)", file: file, line: line); continue }
            XCTAssertLessThanOrEqual(abs(g - e), tol, "element \(i): \(g), expected \(e)", file: file, line: line)
        }
    }

    func codes(_ t: TensorValue) -> [UInt8]? { if case .bits8(let c) = t.storage { return c } else { return nil } }

    // MARK: arithmetic

    func testAddBroadcastsNumpyStyle() throws {
        // [[1,2,3],[4,5,6]] + [10,20,30] adds the row to each row.
        let r = try run("Add", [f32([1, 2, 3, 4, 5, 6], [2, 3]), f32([10, 20, 30])])
        XCTAssertEqual(r, f32([11, 22, 33, 14, 25, 36], [2, 3]))
        XCTAssertThrowsError(try run("Add", [f32([1, 2, 3]), f32([1, 2])]))
        XCTAssertThrowsError(try run("Add", [f32([1]), f64([1])]), "mixed element types")
    }

    func testLargeTensorsSplitOverCores() throws {
        // 100000 elements take the multi-core path; every element must still be right.
        let n = 100_000
        let x = (0..<n).map { Float($0 % 2 == 0 ? $0 : -$0) }
        let relu = try floats(try run("Relu", [f32(x)]))
        XCTAssertEqual(relu, (0..<n).map { Float($0 % 2 == 0 ? $0 : 0) })
        let sum = try floats(try run("Add", [f32(x), f32(x)]))
        XCTAssertEqual(sum, x.map { 2 * $0 })
    }

    func testLegacyBroadcastAttributes() throws {
        // Opset 6: broadcast=1 aligns B with A's trailing dimensions by default...
        let a = f32([1, 2, 3, 4, 5, 6], [2, 3])
        XCTAssertEqual(try run("Add", opset: 6, [a, f32([10, 20, 30])], [int("broadcast", 1)]), f32([11, 22, 33, 14, 25, 36], [2, 3]))
        // ...or with A's dimensions from `axis`: B [2] at axis 0 adds 100 to row 0 and 200 to row 1.
        XCTAssertEqual(try run("Sub", opset: 6, [a, f32([100, 200])], [int("broadcast", 1), int("axis", 0)]),
                       f32([-99, -98, -97, -196, -195, -194], [2, 3]))
        // broadcast=0 requires equal shapes.
        XCTAssertThrowsError(try run("Mul", opset: 6, [a, f32([1, 2, 3])]))
        XCTAssertEqual(try run("Mul", opset: 1, [f32([2, 3]), f32([4, 5])]), f32([8, 15]))
        // Opset 1 comparisons take the same attributes.
        XCTAssertEqual(try run("Greater", opset: 1, [a, f32([2, 5])], [int("broadcast", 1), int("axis", 0)]),
                       bools([false, false, true, false, false, true], [2, 3]))
    }

    func testIntegerArithmeticWraps() throws {
        // int8: 100 + 100 = 200 - 256 = -56; 16 * 16 = 256 -> 0; Neg(-128) wraps to -128.
        XCTAssertEqual(try run("Add", [i8([100]), i8([100])]), i8([-56]))
        XCTAssertEqual(try run("Mul", [i8([16]), i8([16])]), i8([0]))
        XCTAssertEqual(try run("Neg", [i8([-128, 5])]), i8([-128, -5]))
        XCTAssertEqual(try run("Abs", [i8([-128, -5, 7])]), i8([-128, 5, 7]))
        // uint8: 3 - 5 = -2 + 256 = 254.
        XCTAssertEqual(try run("Sub", [u8([3]), u8([5])]), u8([254]))
    }

    func testIntegerDivisionTruncatesAndRejectsZero() throws {
        // Toward zero: -7/2 = -3, 7/-2 = -3, -7/-2 = 3; Int64.min / -1 wraps to Int64.min.
        XCTAssertEqual(try run("Div", [i64([-7, 7, -7, .min]), i64([2, -2, -2, -1])]), i64([-3, -3, 3, .min]))
        XCTAssertThrowsError(try run("Div", [i32([1, 2]), i32([1, 0])])) { e in
            XCTAssertTrue("\(e)".contains("division by zero"), "\(e)")
        }
        // Unsigned 64-bit divides as unsigned: (2^64 - 2) / 2 = 2^63 - 1 (a signed view would give -1).
        XCTAssertEqual(try run("Div", [u64([UInt64.max - 1]), u64([2])]), u64([UInt64(Int64.max)]))
        // Floats divide by zero into infinities.
        try assertClose(try run("Div", [f32([1, -1]), f32([0, 0])]), [.infinity, -.infinity])
    }

    func testModSignConventions() throws {
        // fmod=0 takes the divisor's sign: -4 mod 3 = 2, 4 mod -3 = -2, -4 mod -3 = -1.
        XCTAssertEqual(try run("Mod", [i64([-4, 4, -4, 5]), i64([3, -3, -3, 5])]), i64([2, -2, -1, 0]))
        // fmod=1 takes the dividend's: -4 fmod 3 = -1, 4 fmod -3 = 1.
        XCTAssertEqual(try run("Mod", [i64([-4, 4]), i64([3, -3])], [int("fmod", 1)]), i64([-1, 1]))
        XCTAssertThrowsError(try run("Mod", [i32([1]), i32([0])]))
        // Unsigned 64-bit: (2^64 - 1) mod 10 = 18446744073709551615 mod 10 = 5.
        XCTAssertEqual(try run("Mod", [u64([UInt64.max]), u64([10])]), u64([5]))
        // Floats with fmod=1: -5.5 fmod 2 = -1.5; with fmod=0: -5.5 mod 2 = 0.5, a zero
        // remainder takes the divisor's sign, and -3 mod inf moves to the divisor's side (inf).
        try assertClose(try run("Mod", [f32([-5.5]), f32([2])], [int("fmod", 1)]), [-1.5])
        let r = try run("Mod", opset: 28, [f32([-5.5, -0.0, 0, -3, 1]), f32([2, 2, -2, .infinity, 0])])
        let v = try floats(r)
        XCTAssertEqual(v[0], 0.5)
        XCTAssertEqual(v[1], 0); XCTAssertEqual(v[1].sign, .plus)
        XCTAssertEqual(v[2], 0); XCTAssertEqual(v[2].sign, .minus)
        XCTAssertEqual(v[3], .infinity)
        XCTAssertTrue(v[4].isNaN)
    }

    func testPowMixedTypes() throws {
        // int32 ^ int32 multiplies exactly and wraps: 2^31 -> -2^31; 3^4 = 81.
        XCTAssertEqual(try run("Pow", [i32([2, 3]), i32([31, 4])]), i32([Int32.min, 81]))
        // Negative integer exponents truncate the real result: 2^-1 = 0.5 -> 0, (-1)^-3 = -1, 1^-5 = 1.
        XCTAssertEqual(try run("Pow", [i64([2, -1, 1]), i64([-1, -3, -5])]), i64([0, -1, 1]))
        XCTAssertThrowsError(try run("Pow", [i64([0]), i64([-1])]))
        // float base, int64 exponent keeps float: 1.5^2 = 2.25; int base, float exponent
        // truncates: 2^0.5 = 1.414 -> 1, 10^1.5 = 31.62 -> 31.
        try assertClose(try run("Pow", [f32([1.5, 4]), i64([2, -1])]), [2.25, 0.25])
        XCTAssertEqual(try run("Pow", [i32([2, 10]), f32([0.5, 1.5])]), i32([1, 31]))
        // float16 ^ float: 3^2 = 9 stays float16.
        try assertClose(try run("Pow", [f16([3]), f32([2])]), [9], type: .float16)
        // Opset 1 legacy broadcasting: [[1,2],[3,4]] ^ [2] (broadcast=1).
        try assertClose(try run("Pow", opset: 1, [f32([1, 2, 3, 4], [2, 2]), f32([2])], [int("broadcast", 1)]), [1, 4, 9, 16], shape: [2, 2])
    }

    func testUnaryMath() throws {
        let x = f32([0.25, 4])
        try assertClose(try run("Sqrt", [x]), [0.5, 2])
        try assertClose(try run("Reciprocal", [x]), [4, 0.25])
        try assertClose(try run("Log", [f32([1, Float(M_E)])]), [0, 1])
        try assertClose(try run("Exp", [f32([0, 1])]), [1, 2.7182817])
        try assertClose(try run("Floor", [f32([-1.5, 1.5])]), [-2, 1])
        try assertClose(try run("Ceil", [f32([-1.5, 1.5])]), [-1, 2])
        // Halves go to the even neighbour: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -2.5 -> -2.
        try assertClose(try run("Round", [f32([0.5, 1.5, 2.5, -2.5, 2.6])]), [0, 2, 2, -2, 3])
        // erf(0) = 0, erf(1) = 0.8427008.
        try assertClose(try run("Erf", [f32([0, 1, -1])]), [0, 0.8427008, -0.8427008])
        // sin(pi/2) = 1, cos(0) = 1, tan(pi/4) = 1, asin(1) = pi/2, acos(1) = 0, atan(1) = pi/4.
        try assertClose(try run("Sin", [f32([Float.pi / 2])]), [1])
        try assertClose(try run("Cos", [f32([0])]), [1])
        try assertClose(try run("Tan", [f32([Float.pi / 4])]), [1])
        try assertClose(try run("Asin", [f32([1])]), [Float.pi / 2])
        try assertClose(try run("Acos", [f32([1])]), [0])
        try assertClose(try run("Atan", [f32([1])]), [Float.pi / 4])
        // sinh(ln 2) = (2 - 1/2)/2 = 0.75, cosh(ln 2) = 1.25, tanh(ln 2) = 0.6; the inverses undo them.
        let ln2 = Float(M_LN2)
        try assertClose(try run("Sinh", [f32([ln2])]), [0.75])
        try assertClose(try run("Cosh", [f32([ln2])]), [1.25])
        try assertClose(try run("Tanh", [f32([ln2])]), [0.6])
        try assertClose(try run("Asinh", [f32([0.75])]), [ln2])
        try assertClose(try run("Acosh", [f32([1.25])]), [ln2])
        try assertClose(try run("Atanh", [f32([0.6])]), [ln2])
        // Double stays double; float16 rounds to float16 (sqrt 2 = 1.4140625 in float16).
        XCTAssertEqual(try run("Sqrt", [f64([2])]), f64([1.4142135623730951]))
        XCTAssertEqual(try run("Sqrt", [f16([2])]), f16([1.4140625]))
        XCTAssertThrowsError(try run("Sqrt", [i32([4])]), "Sqrt takes floats only")
    }

    func testSign() throws {
        try assertClose(try run("Sign", [f32([-3, 0, 2, .nan])]), [-1, 0, 1, .nan])
        XCTAssertEqual(try run("Sign", [i64([-5, 0, 9])]), i64([-1, 0, 1]))
        // Unsigned: 2^64 - 1 is positive (its signed bits would say -1).
        XCTAssertEqual(try run("Sign", [u64([UInt64.max, 0])]), u64([1, 0]))
    }

    // MARK: activations

    func testActivations() throws {
        let ln2 = Float(M_LN2), ln3 = Float(log(3.0))
        // Relu keeps NaN (numpy maximum).
        try assertClose(try run("Relu", [f32([-1, 2, .nan])]), [0, 2, .nan])
        try assertClose(try run("LeakyRelu", [f32([-2, 3])], [float("alpha", 0.5)]), [-1, 3])
        try assertClose(try run("LeakyRelu", [f32([-100])]), [-1])  // default alpha 0.01
        // Elu alpha 2 at -ln 2: 2 (e^-ln2 - 1) = 2 (0.5 - 1) = -1.
        try assertClose(try run("Elu", [f32([-ln2, 3])], [float("alpha", 2)]), [-1, 3])
        // Selu defaults (alpha 1.6732632, gamma 1.050701): 1 -> 1.050701; -ln 2 -> -gamma alpha / 2 = -0.8790497.
        try assertClose(try run("Selu", [f32([1, -ln2, 0])]), [1.050701, -0.8790497, 0], tol: 1e-5)
        // Celu alpha 2 at -2 ln 2: 2 (e^(-ln 2) - 1) = -1; positives pass.
        try assertClose(try run("Celu", [f32([-2 * ln2, 5])], [float("alpha", 2)]), [-1, 5])
        // ThresholdedRelu alpha 1: only x > 1 survives (1 itself does not).
        try assertClose(try run("ThresholdedRelu", [f32([0.5, 1, 1.5])]), [0, 0, 1.5])
        // HardSigmoid defaults: 0.2 x + 0.5 clamped: -5 -> 0, 0 -> 0.5, 1 -> 0.7, 5 -> 1.
        try assertClose(try run("HardSigmoid", [f32([-5, 0, 1, 5])]), [0, 0.5, 0.7, 1])
        // HardSwish: x * clamp(x/6 + 1/2): -3 -> 0, 1 -> 2/3, 3 -> 3.
        try assertClose(try run("HardSwish", [f32([-3, 1, 3])]), [0, 0.6666667, 3])
        // Softplus: ln(1 + e^x): 0 -> ln 2, ln 3 -> ln 4; 100 -> 100 (no overflow).
        try assertClose(try run("Softplus", [f32([0, ln3, 100, -100])]), [ln2, 2 * ln2, 100, 0], tol: 1e-5)
        // Softsign: x / (1 + |x|).
        try assertClose(try run("Softsign", [f32([1, -3])]), [0.5, -0.75])
        // Sigmoid: 0 -> 0.5, ln 3 -> 3/4, -ln 3 -> 1/4, large values saturate without NaN.
        try assertClose(try run("Sigmoid", [f32([0, ln3, -ln3, -200, 200])]), [0.5, 0.75, 0.25, 0, 1])
        // Mish(ln 3) = ln 3 * tanh(ln 4) = ln 3 * 15/17 = 0.9693637.
        try assertClose(try run("Mish", [f32([0, ln3])]), [0, 0.9693637], tol: 1e-5)
        // Gelu: x Φ(x); at √2: √2/2 (1 + erf(1)) = 0.70710678 * 1.84270079 = 1.3029862; at -√2: -√2 + 1.3029862 = -0.1112273.
        let s2 = Float(2).squareRoot()
        try assertClose(try run("Gelu", opset: 20, [f32([0, s2, -s2])]), [0, 1.3029862, -0.1112273], tol: 1e-5)
        // tanh form at 1: 0.5 (1 + tanh(0.7978846 * 1.044715)) = 0.5 (1 + tanh(0.8335620)) = 0.5 (1 + 0.6823840) = 0.8411920.
        try assertClose(try run("Gelu", opset: 20, [f32([1])], [string("approximate", "tanh")]), [0.8411920], tol: 1e-5)
        XCTAssertThrowsError(try run("Gelu", opset: 20, [f32([1])], [string("approximate", "fast")]))
        // Shrink lambd 1.5 bias 0.5: -2 -> -1.5, -1 -> 0, 1 -> 0, 2 -> 1.5; on int8 as well.
        try assertClose(try run("Shrink", [f32([-2, -1, 1, 2])], [float("lambd", 1.5), float("bias", 0.5)]), [-1.5, 0, 0, 1.5])
        XCTAssertEqual(try run("Shrink", [i8([-5, 0, 5])], [float("lambd", 1), float("bias", 2)]), i8([-3, 0, 3]))
        // float16 activations round to float16: Sigmoid(1) = 0.7310586 -> 0.73095703 (nearest float16).
        XCTAssertEqual(try run("Sigmoid", [f16([1])]), f16([0.73095703]))
    }

    func testPRelu() throws {
        // slope [2,1,1] broadcasts over [2,2,1]: the first half scales negatives by 0.1, the second by 0.5.
        let x = f32([-10, 10, -10, -2], [2, 2, 1])
        try assertClose(try run("PRelu", [x, f32([0.1, 0.5], [2, 1, 1])]), [-1, 10, -5, -1], shape: [2, 2, 1])
        // Opset 6: a 1-D slope of the channel count applies along axis 1 of [1, 2, 2].
        try assertClose(try run("PRelu", opset: 6, [f32([-10, -10, -10, 4], [1, 2, 2]), f32([0.1, 0.5])]), [-1, -1, -5, 4], shape: [1, 2, 2])
        // The slope must broadcast to x, not the other way round.
        XCTAssertThrowsError(try run("PRelu", [f32([-1]), f32([1, 2])]))
    }

    func testClip() throws {
        let x = f32([-5, 0.5, 5, .nan])
        // Opset 6 attributes; opset 11 optional inputs (only max given here).
        try assertClose(try run("Clip", opset: 6, [x], [float("min", -1), float("max", 1)]), [-1, 0.5, 1, .nan])
        try assertClose(try run("Clip", opset: 11, [x, nil, f32([2], [])]), [-5, 0.5, 2, .nan])
        // min > max: every element becomes max (min(max(x, lo), hi)).
        try assertClose(try run("Clip", opset: 13, [f32([-2, 0, 6]), f32([2], []), f32([1], [])]), [1, 1, 1])
        // Integers (opset 12+) and unsigned 64-bit, which compares as unsigned.
        XCTAssertEqual(try run("Clip", opset: 13, [i8([-100, 3, 100]), i8([-10], []), i8([10], [])]), i8([-10, 3, 10]))
        XCTAssertEqual(try run("Clip", opset: 13, [u64([UInt64.max, 5]), nil, tensor(.uint64, .uint64([1 << 63]), [])]), u64([1 << 63, 5]))
        XCTAssertThrowsError(try run("Clip", opset: 13, [f32([1]), f32([0, 1])]), "min must be a scalar")
    }

    // MARK: variadic

    func testSumMeanMinMax() throws {
        let a = f32([1, 2, 3, 4], [2, 2]), b = f32([10, 20]), c = f32([100], [1])
        XCTAssertEqual(try run("Sum", [a, b, c]), f32([111, 122, 113, 124], [2, 2]))
        XCTAssertEqual(try run("Sum", [a]), a)
        try assertClose(try run("Mean", [a, b, c]), [37, 40.666668, 37.666668, 41.333332], shape: [2, 2], tol: 1e-4)
        try assertClose(try run("Max", [f32([1, 5, .nan]), f32([3, 2, 1])]), [3, 5, .nan])
        try assertClose(try run("Min", [f32([1, 5, 0]), f32([3, 2, 1]), f32([2])]), [1, 2, 0])
        // uint64 compares as unsigned: max(2^64-1, 1) = 2^64-1; min = 1.
        XCTAssertEqual(try run("Max", [u64([UInt64.max]), u64([1])]), u64([UInt64.max]))
        XCTAssertEqual(try run("Min", [u64([UInt64.max]), u64([1])]), u64([1]))
        XCTAssertEqual(try run("Max", [i32([-3, 7]), i32([-5, 9])]), i32([-3, 9]))
    }

    // MARK: comparisons and logic

    func testComparisons() throws {
        let a = f32([1, 2, 3]), b = f32([2])
        XCTAssertEqual(try run("Less", [a, b]), bools([true, false, false]))
        XCTAssertEqual(try run("LessOrEqual", [a, b]), bools([true, true, false]))
        XCTAssertEqual(try run("Greater", [a, b]), bools([false, false, true]))
        XCTAssertEqual(try run("GreaterOrEqual", [a, b]), bools([false, true, true]))
        XCTAssertEqual(try run("Equal", [a, b]), bools([false, true, false]))
        // NaN is unequal to everything, itself included.
        XCTAssertEqual(try run("Equal", [f32([.nan]), f32([.nan])]), bools([false]))
        // uint64 compares as unsigned: 2^64-1 > 1.
        XCTAssertEqual(try run("Greater", [u64([UInt64.max, 0]), u64([1, 1])]), bools([true, false]))
        // Strings (opset 19), with broadcasting; bools.
        XCTAssertEqual(try run("Equal", [strs(["a", "b", "a"]), strs(["a"])]), bools([true, false, true]))
        XCTAssertEqual(try run("Equal", [bools([true, false]), bools([true, true])]), bools([true, false]))
        XCTAssertThrowsError(try run("Less", [strs(["a"]), strs(["b"])]))
        XCTAssertEqual(try run("Less", [f16([1, 3]), f16([2, 2])]), bools([true, false]))
    }

    func testLogicAndWhere() throws {
        let p = bools([true, true, false, false]), q = bools([true, false, true, false])
        XCTAssertEqual(try run("And", [p, q]), bools([true, false, false, false]))
        XCTAssertEqual(try run("Or", [p, q]), bools([true, true, true, false]))
        XCTAssertEqual(try run("Xor", [p, q]), bools([false, true, true, false]))
        XCTAssertEqual(try run("Not", [p]), bools([false, false, true, true]))
        XCTAssertThrowsError(try run("And", [f32([1]), f32([1])]))
        // Where broadcasts all three: condition [2,1], X [1,2], Y scalar.
        let r = try run("Where", [bools([true, false], [2, 1]), strs(["x0", "x1"], [1, 2]), strs(["y"], [])])
        XCTAssertEqual(r, strs(["x0", "x1", "y", "y"], [2, 2]))
        XCTAssertEqual(try run("Where", [bools([false, true]), i64([1, 2]), i64([3, 4])]), i64([3, 2]))
        XCTAssertThrowsError(try run("Where", [f32([1]), f32([1]), f32([2])]), "condition must be bool")
    }

    // MARK: bits

    func testBitShiftAndBitwise() throws {
        XCTAssertEqual(try run("BitShift", [u8([1, 255]), u8([3, 1])], [string("direction", "LEFT")]), u8([8, 254]))
        // Unsigned 64-bit right shift is logical: 2^63 >> 63 = 1.
        XCTAssertEqual(try run("BitShift", [u64([1 << 63]), u64([63])], [string("direction", "RIGHT")]), u64([1]))
        // Opset 28 signed: arithmetic right shift; shifts out of [0, width) give 0, or -1 for negative values shifted right.
        XCTAssertEqual(try run("BitShift", opset: 28, [i8([-8, -8, 8, -1]), i8([1, 9, 8, -1])], [string("direction", "RIGHT")]), i8([-4, -1, 0, -1]))
        XCTAssertEqual(try run("BitShift", opset: 28, [i8([64, 3, 3]), i8([1, 8, -1])], [string("direction", "LEFT")]), i8([-128, 0, 0]))
        XCTAssertThrowsError(try run("BitShift", [u8([1]), u8([1])], [string("direction", "UP")]))
        XCTAssertEqual(try run("BitwiseAnd", opset: 18, [u8([0b1100]), u8([0b1010])]), u8([0b1000]))
        XCTAssertEqual(try run("BitwiseOr", opset: 18, [u8([0b1100]), u8([0b1010])]), u8([0b1110]))
        XCTAssertEqual(try run("BitwiseXor", opset: 18, [u8([0b1100]), u8([0b1010])]), u8([0b0110]))
        XCTAssertEqual(try run("BitwiseNot", opset: 18, [u8([0x0F])]), u8([0xF0]))
        XCTAssertEqual(try run("BitwiseNot", opset: 18, [i32([0, -1])]), i32([-1, 0]))
        XCTAssertEqual(try run("BitwiseAnd", opset: 18, [u64([UInt64.max]), u64([1 << 63])]), u64([1 << 63]))
        XCTAssertThrowsError(try run("BitwiseAnd", opset: 18, [f32([1]), f32([1])]))
    }

    func testIsNaNIsInf() throws {
        let x = f32([1, .nan, .infinity, -.infinity])
        XCTAssertEqual(try run("IsNaN", [x]), bools([false, true, false, false]))
        XCTAssertEqual(try run("IsInf", [x]), bools([false, false, true, true]))
        XCTAssertEqual(try run("IsInf", [x], [int("detect_negative", 0)]), bools([false, false, true, false]))
        XCTAssertEqual(try run("IsInf", [x], [int("detect_positive", 0)]), bools([false, false, false, true]))
        XCTAssertEqual(try run("IsNaN", [f16([.nan, 0])]), bools([true, false]))
        // float8e4m3fn: 0x7F is NaN, 0x7E (448) is not.
        XCTAssertEqual(try run("IsNaN", opset: 20, [bits(.float8e4m3fn, [0x7F, 0x7E])]), bools([true, false]))
    }

    // MARK: Cast

    func cast(_ x: TensorValue, _ to: DataType, opset: Int64 = 21, _ extra: [Attribute] = []) throws -> TensorValue {
        try run("Cast", opset: opset, [x], [int("to", Int64(to.rawValue))] + extra)
    }

    func testCastFloatToIntegers() throws {
        // Truncation toward zero, then wrapping: 300.7 -> 300 -> 300 - 256 = 44; -1.9 -> -1.
        XCTAssertEqual(try cast(f32([300.7, -1.9, 127.9]), .int8), i8([44, -1, 127]))
        XCTAssertEqual(try cast(f32([3.99, 255]), .uint8), u8([3, 255]))
        // int4 wraps like the other integers: 9 -> 9 - 16 = -7, -9 -> 7, 8 -> -8; uint4 17 -> 1.
        let i4 = try cast(f32([9, -9, 8, 7]), .int4)
        XCTAssertEqual(i4.dataType, .int4)
        XCTAssertEqual(i4.storage, .int8([-7, 7, -8, 7]))
        XCTAssertEqual(try cast(f32([17, 15]), .uint4).storage, .uint8([1, 15]))
        // int2 wraps modulo 4 into [-2, 1]: 2 -> -2, -3 -> 1.
        XCTAssertEqual(try cast(f32([2, -3, 1]), .int2).storage, .int8([-2, 1, 1]))
        // Integer narrowing wraps: 70000 as int16 is 70000 - 65536 = 4464; -1 as uint32 is 2^32 - 1.
        XCTAssertEqual(try cast(i64([70000]), .int16).storage, .int16([4464]))
        XCTAssertEqual(try cast(i64([-1]), .uint32).storage, .uint32([UInt32.max]))
        // Anything to bool is "non-zero" (NaN too).
        XCTAssertEqual(try cast(f32([0, -0.0, 2, .nan]), .bool), bools([false, false, true, true]))
        XCTAssertEqual(try cast(bools([true, false]), .float), f32([1, 0]))
    }

    func testCastKeepsPrecision() throws {
        // int32 2^24 + 1 = 16777217 is exact in double (a float32 detour would give 16777216).
        XCTAssertEqual(try cast(i32([16_777_217]), .double), f64([16_777_217]))
        // uint64 2^64 - 1 to float rounds to 2^64 = 1.8446744e19, not -1.
        XCTAssertEqual(try cast(u64([UInt64.max]), .float), f32([0x1p64]))
        // double to float16 rounds once: 1 + 2^-11 + 2^-30 is just above the half-way point, so it rounds up to 1 + 2^-10.
        XCTAssertEqual(try cast(f64([1 + 0x1p-11 + 0x1p-30]), .float16), f16([1 + 0x1p-10]))
        // float to bfloat16 rounds to nearest even: 1 + 2^-8 is a tie -> 1; 1 + 3*2^-8 is a tie -> 1 + 2^-6.
        let b = try cast(f32([1 + 0x1p-8, 1 + 3 * 0x1p-8]), .bfloat16)
        XCTAssertEqual(try b.floats(), [1, 1 + 0x1p-6])
        XCTAssertEqual(try cast(f32([1, 2]), .float), f32([1, 2]), "same type is the identity")
    }

    func testCastToFloat8() throws {
        // e4m3fn: 0.5 = 1.0 * 2^-1 -> exponent 6 (0x30); saturating 1000 -> 448 (0x7E), -inf -> -448 (0xFE);
        // without saturation 1000 -> NaN (0x7F), -1000 -> 0xFF.
        let x = f32([0.5, 1000, -.infinity, -1000, .nan])
        XCTAssertEqual(codes(try cast(x, .float8e4m3fn)), [0x30, 0x7E, 0xFE, 0xFE, 0x7F])
        XCTAssertEqual(codes(try cast(x, .float8e4m3fn, [int("saturate", 0)])), [0x30, 0x7F, 0xFF, 0xFF, 0x7F])
        // e5m2: 0.5 -> 0x38; 1e6 saturates to 57344 (0x7B) or overflows to inf (0x7C); NaN is 0x7E.
        let y = f32([0.5, 1e6, .nan])
        XCTAssertEqual(codes(try cast(y, .float8e5m2)), [0x38, 0x7B, 0x7E])
        XCTAssertEqual(codes(try cast(y, .float8e5m2, [int("saturate", 0)])), [0x38, 0x7C, 0x7E])
        // fnuz kinds have no -0 (it is the NaN code 0x80): -0.0 -> 0x00, NaN -> 0x80; e4m3fnuz max is 240 (0x7F).
        XCTAssertEqual(codes(try cast(f32([-0.0, .nan, 1e6]), .float8e4m3fnuz)), [0x00, 0x80, 0x7F])
        // Ties go to the even code: 17 lies half-way between e4m3fn 16 (0x58) and 18 (0x59) -> 0x58; 19 -> 20 (0x5A).
        XCTAssertEqual(codes(try cast(f32([17, 19]), .float8e4m3fn)), [0x58, 0x5A])
        // Rounding up into the next binade carries into the exponent: e4m3fn 15.9 -> 16 (0x58),
        // 1.96 -> 2 (0x40, not 1.0's 0x38); e5m2 0.48 -> 0.5 (0x38).
        XCTAssertEqual(codes(try cast(f32([15.9, 1.96]), .float8e4m3fn)), [0x58, 0x40])
        XCTAssertEqual(codes(try cast(f32([0.48]), .float8e5m2)), [0x38])
        // Subnormals: e4m3fn's smallest is 2^-9 (0x01); 2^-10 is a tie with 0 -> 0.
        XCTAssertEqual(codes(try cast(f32([0x1p-9, 0x1p-10, 3 * 0x1p-10]), .float8e4m3fn)), [0x01, 0x00, 0x02])
        // And back: 0x7B as e5m2 is 57344; 0x01 as e4m3fn is 2^-9.
        XCTAssertEqual(try cast(bits(.float8e5m2, [0x7B]), .float), f32([57344]))
        XCTAssertEqual(try cast(bits(.float8e4m3fn, [0x01]), .float), f32([0x1p-9]))
    }

    func testCastToFloat4AndE8M0() throws {
        // float4e2m1 values 0, 0.5, 1, 1.5, 2, 3, 4, 6 (codes 0-7). 0.25 ties 0/0.5 -> 0; 0.75 ties
        // 0.5/1 -> 1 (code 2, even); 5 ties 4/6 -> 4 (code 6); 100 saturates to 6; -1 -> 0xA.
        XCTAssertEqual(codes(try cast(f32([0.25, 0.75, 5, 100, -1]), .float4e2m1, opset: 23)), [0, 2, 6, 7, 0xA])
        // float8e8m0 holds 2^(code - 127). 3 = 1.5 * 2^1: up -> 4 (0x81), down -> 2 (0x80), nearest -> 4;
        // 2.5 = 1.25 * 2^1: nearest -> 2 (0x80); exact powers of two stay.
        let x = f32([3, 2.5, 0.5])
        XCTAssertEqual(codes(try cast(x, .float8e8m0, opset: 24)), [0x81, 0x81, 0x7E])
        XCTAssertEqual(codes(try cast(x, .float8e8m0, opset: 24, [string("round_mode", "down")])), [0x80, 0x80, 0x7E])
        XCTAssertEqual(codes(try cast(x, .float8e8m0, opset: 24, [string("round_mode", "nearest")])), [0x81, 0x80, 0x7E])
        // Float.greatestFiniteMagnitude has exponent field 0xFE and a fraction: rounding up
        // saturates at 0xFE, or reaches 0xFF (NaN) with saturate=0. Infinity is 0xFF either way.
        let big = f32([.greatestFiniteMagnitude, .infinity])
        XCTAssertEqual(codes(try cast(big, .float8e8m0, opset: 24)), [0xFE, 0xFF])
        XCTAssertEqual(codes(try cast(big, .float8e8m0, opset: 24, [int("saturate", 0)])), [0xFF, 0xFF])
        XCTAssertThrowsError(try cast(x, .float8e8m0, opset: 24, [string("round_mode", "sideways")]))
        XCTAssertEqual(try cast(bits(.float8e8m0, [0x7F, 0x81]), .float, opset: 24), f32([1, 4]))
    }

    func testCastStrings() throws {
        // Strings parse as numbers; INF/NaN words in any case.
        try assertClose(try cast(strs(["3.5", "-INF", "+Inf", "nan", "1E-5", " 7 "]), .float), [3.5, -.infinity, .infinity, .nan, 1e-5, 7])
        // To integers: exact for big int64; a fraction truncates ("100.5" -> 100).
        XCTAssertEqual(try cast(strs(["123456789012345678", "-3"]), .int64), i64([123_456_789_012_345_678, -3]))
        XCTAssertEqual(try cast(strs(["100.5"]), .int32), i32([100]))
        XCTAssertEqual(try cast(strs(["18446744073709551615"]), .uint64), u64([UInt64.max]))
        XCTAssertEqual(try cast(strs(["0", "2", "true"]), .bool), bools([false, true, true]))
        XCTAssertThrowsError(try cast(strs(["Hello"]), .float))
        // Numbers print like numpy's str: shortest digits, positional in [1e-4, 1e16).
        XCTAssertEqual(try cast(f32([0.1, 100, 1e-5, 123_456_792, 1e16, -0.0, .infinity, .nan, 0.0001, 1.5e-7]), .string),
                       strs(["0.1", "100.0", "1e-05", "123456790.0", "1e+16", "-0.0", "inf", "nan", "0.0001", "1.5e-07"]))
        XCTAssertEqual(try cast(f64([0.1, 1e300, 2.5]), .string), strs(["0.1", "1e+300", "2.5"]))
        XCTAssertEqual(try cast(i64([-42]), .string), strs(["-42"]))
        XCTAssertEqual(try cast(u64([UInt64.max]), .string), strs(["18446744073709551615"]))
        XCTAssertEqual(try cast(bools([true, false]), .string), strs(["True", "False"]))
        // float16 prints its own shortest digits: 65504 reads back from "65500" (numpy: '65500.0').
        XCTAssertEqual(try cast(f16([0.1, 65504, 1000]), .string), strs(["0.1", "65500.0", "1000.0"]))
        // 1e15 is positional (below 1e16), as numpy prints it.
        XCTAssertEqual(try cast(f32([1e15]), .string), strs(["1000000000000000.0"]))
        // bfloat16 and float8 print as ml_dtypes does (C++ stream, six significant digits).
        XCTAssertEqual(try run("Cast", [try cast(f32([0.1, 448, 1]), .bfloat16)], [int("to", Int64(DataType.string.rawValue))]),
                       strs(["0.100098", "448", "1"]))
    }

    func testCastOpsetOneAndCastLike() throws {
        // Opset 1 names the target type as a string.
        XCTAssertEqual(try run("Cast", opset: 1, [f32([2.7])], [string("to", "INT32")]), i32([2]))
        XCTAssertThrowsError(try run("Cast", opset: 1, [f32([2.7])], [string("to", "NUMBER")]))
        // CastLike takes the second input's type and ignores its values.
        XCTAssertEqual(try run("CastLike", opset: 15, [f32([1.9, -1.9]), i64([99])]), i64([1, -1]))
        XCTAssertEqual(codes(try run("CastLike", opset: 19, [f32([1000]), bits(.float8e4m3fn, [0])], [int("saturate", 0)])), [0x7F])
    }

    // MARK: quantization

    func testQuantizeLinearIntegers() throws {
        // Per tensor, uint8 zero point 128, scale 2: x/2 = [0, 1, 1.5, -2, 500, -500] -> round half
        // even [0, 1, 2, -2, 500, -500] -> +128 -> [128, 129, 130, 126, 628, -372] -> clamp [.., 255, 0].
        let x = f32([0, 2, 3, -4, 1000, -1000])
        XCTAssertEqual(try run("QuantizeLinear", opset: 10, [x, f32([2], []), u8([128], [])]), u8([128, 129, 130, 126, 255, 0]))
        // Without a zero point the output is uint8: 2.5 -> 2, 3.5 -> 4 (halves to even), -1 -> 0.
        XCTAssertEqual(try run("QuantizeLinear", opset: 13, [f32([5, 7, -2]), f32([2], [])]), u8([2, 4, 0]))
        // Per axis (axis 1 of [2,3]): scales [1, 2, 4], int8 zero points [0, 1, -1].
        // Row 0: 8/1+0 = 8, 8/2+1 = 5, 8/4-1 = 1; row 1: -300 clamps to -128, 0+1 = 1, 400/4-1 = 99.
        let q = try run("QuantizeLinear", opset: 13, [f32([8, 8, 8, -300, 0, 400], [2, 3]), f32([1, 2, 4]), i8([0, 1, -1])])
        XCTAssertEqual(q, i8([8, 5, 1, -128, 1, 99], [2, 3]))
        // Blocks of 2 along axis 1 of [2,4]: scale [[1, 10], [2, 20]].
        // Row 0: 4/1, 6/1, 40/10, 60/10 = 4, 6, 4, 6; row 1: 4/2, 6/2, 40/20, 60/20 = 2, 3, 2, 3.
        let blocked = try run("QuantizeLinear", opset: 21, [f32([4, 6, 40, 60, 4, 6, 40, 60], [2, 4]), f32([1, 10, 2, 20], [2, 2]), i8([0, 0, 0, 0], [2, 2])],
                              [int("axis", 1), int("block_size", 2)])
        XCTAssertEqual(blocked, i8([4, 6, 4, 6, 2, 3, 2, 3], [2, 4]))
        // output_dtype int4 without a zero point: clamps to [-8, 7].
        let i4 = try run("QuantizeLinear", opset: 21, [f32([-20, 3, 20]), f32([1], [])], [int("output_dtype", Int64(DataType.int4.rawValue))])
        XCTAssertEqual(i4.dataType, .int4)
        XCTAssertEqual(i4.storage, .int8([-8, 3, 7]))
        // int16 and uint2 ranges.
        XCTAssertEqual(try run("QuantizeLinear", opset: 21, [f32([40000, -40000]), f32([1], []), tensor(.int16, .int16([0]), [])]).storage, .int16([32767, -32768]))
        XCTAssertEqual(try run("QuantizeLinear", opset: 25, [f32([-1, 2, 9]), f32([1], []), tensor(.uint2, .uint8([0]), [])]).storage, .uint8([0, 2, 3]))
        // Mismatched per-axis scale length, and output_dtype disagreeing with the zero point.
        XCTAssertThrowsError(try run("QuantizeLinear", opset: 13, [f32([1, 2, 3, 4], [2, 2]), f32([1, 2, 3])]))
        XCTAssertThrowsError(try run("QuantizeLinear", opset: 21, [x, f32([1], []), u8([0], [])], [int("output_dtype", Int64(DataType.int8.rawValue))]))
    }

    func testQuantizeLinearFloatOutputs() throws {
        // float8e4m3fn: x / scale = 1000 saturates to 448 (0x7E), or is NaN (0x7F) with saturate=0; 1 -> 0x38.
        let zp = bits(.float8e4m3fn, [0])
        let x = f32([2000, 2]), s = f32([2], [])
        XCTAssertEqual(codes(try run("QuantizeLinear", opset: 19, [x, s, zp])), [0x7E, 0x38])
        XCTAssertEqual(codes(try run("QuantizeLinear", opset: 19, [x, s, zp], [int("saturate", 0)])), [0x7F, 0x38])
        // float4e2m1: 10 / 2 = 5 -> ties to 4 (code 6); 2 / 2 = 1 -> code 2.
        XCTAssertEqual(codes(try run("QuantizeLinear", opset: 23, [f32([10, 2]), s, bits(.float4e2m1, [0])])), [6, 2])
    }

    func testDequantizeLinear() throws {
        // (x - zp) * scale per tensor: (130 - 128) * 0.5 = 1, (0 - 128) * 0.5 = -64.
        try assertClose(try run("DequantizeLinear", opset: 10, [u8([130, 0]), f32([0.5], []), u8([128], [])]), [1, -64])
        // Per axis 0 of [2,2] int8: scales [1, 10], zero points [1, -1].
        try assertClose(try run("DequantizeLinear", opset: 13, [i8([3, 1, 3, 1], [2, 2]), f32([1, 10]), i8([1, -1])], [int("axis", 0)]),
                        [2, 0, 40, 20], shape: [2, 2])
        // Blocks of 2 along axis 0 of [4,1]: scales [[2], [3]].
        try assertClose(try run("DequantizeLinear", opset: 21, [i32([1, 2, 3, 4], [4, 1]), f32([2, 3], [2, 1])], [int("axis", 0), int("block_size", 2)]),
                        [2, 4, 9, 12], shape: [4, 1])
        // int4 input; a float16 scale gives a float16 output; output_dtype (opset 23) overrides it.
        let x4 = tensor(.int4, .int8([-8, 7]), [2])
        try assertClose(try run("DequantizeLinear", opset: 21, [x4, tensor(.float16, .float16([0.5]), [])]), [-4, 3.5], type: .float16)
        try assertClose(try run("DequantizeLinear", opset: 23, [x4, f32([0.5], [])], [int("output_dtype", Int64(DataType.float16.rawValue))]),
                        [-4, 3.5], type: .float16)
        // float8 input decodes: e4m3fn 0x38 = 1, 0x7E = 448; times scale 2.
        try assertClose(try run("DequantizeLinear", opset: 19, [bits(.float8e4m3fn, [0x38, 0x7E]), f32([2], [])]), [2, 896])
        // The zero point must have x's type.
        XCTAssertThrowsError(try run("DequantizeLinear", opset: 13, [u8([1]), f32([1], []), i8([0], [])]))
    }
}
