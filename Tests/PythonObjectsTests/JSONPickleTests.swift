import Foundation
import PythonObjects
import TestSupport
import XCTest

/// jsonpickle JSON (`jsonpickle.encode(est, keys=True)` with the numpy handlers): the six
/// fitted estimators Python wrote read into the same classes and the same fitted arrays,
/// byte for byte with numpy's .npy files, and the hostile file refused by name.
final class JSONPickleTests: XCTestCase {
    let root = TestPaths.fixtures("python/sklearn")

    func read(_ text: String) throws -> PyValue { try JSONPickleReader().read(Array(text.utf8)) }

    func testEveryJSONPickleFileHoldsTheFittedEstimator() throws {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { $0.hasSuffix(".expected.json") }.sorted()
        guard !files.isEmpty else { throw XCTSkip("Fixtures/python/sklearn is missing") }
        let checker = ExpectationChecker(root: root)
        var checked = 0
        for file in files {
            let expected = try ExpectationChecker.json(root.appendingPathComponent(file))
            let attributes = expected["attributes"] as? [String: [String: Any]] ?? [:]
            guard let container = (expected["files"] as? [String] ?? []).first(where: { $0.hasSuffix(".jsonpickle.json") }) else {
                XCTFail("\(file) lists no jsonpickle file"); continue
            }
            let value: PyValue
            do { value = try PythonObjectFile.read([UInt8](Data(contentsOf: root.appendingPathComponent(container)))) } catch {
                XCTFail("\(container): \(error)"); continue
            }
            guard case .object(let o) = value else { XCTFail("\(container): \(value.kindName)"); continue }
            XCTAssertEqual(o.className, expected["class"] as? String, container)
            var problems: [String] = []
            for (path, node) in attributes.sorted(by: { $0.key < $1.key }) {
                guard let v = AttributePath.resolve(value, path) else { problems.append("\(container): no \(path)"); continue }
                var ids: [Int: ObjectIdentifier] = [:]
                checker.compare(v, node, path: "\(container):\(path)", problems: &problems, ids: &ids)
            }
            // Every key of the estimator's state is there, in order.
            if case .dict(let state)? = o.state {
                XCTAssertEqual(state.entries.map { if case .string(let s) = $0.key { return s } else { return "?" } }, expected["state_keys"] as? [String], container)
            } else {
                problems.append("\(container): state is \(o.state?.kindName ?? "missing")")
            }
            XCTAssertEqual(problems, [], container)
            checked += 1
        }
        XCTAssertEqual(checked, 6)
    }

    func testSharedObjectsAreTheSameObject() throws {
        let url = root.appendingPathComponent("forest.jsonpickle.json")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no forest fixture") }
        // estimator_ is {"py/id": 2}: the estimator parameter, the third object met.
        guard case .object(let forest) = try PythonObjectFile.read(contentsOf: url),
              case .object(let a)? = forest.attribute("estimator"), case .object(let b)? = forest.attribute("estimator_") else { return XCTFail("forest shape") }
        XCTAssertTrue(a === b)
        XCTAssertEqual(a.className, "sklearn.tree._classes.DecisionTreeClassifier")

        // gbr: every tree's random_state and the ensemble's _rng are one RandomState.
        let gbrURL = root.appendingPathComponent("gbr.jsonpickle.json")
        guard case .object(let gbr) = try PythonObjectFile.read(contentsOf: gbrURL), case .object(let rng)? = gbr.attribute("_rng"),
              case .ndarray(let trees)? = gbr.attribute("estimators_") else { return XCTFail("gbr shape") }
        XCTAssertEqual(rng.className, "numpy.random._pickle.__randomstate_ctor")
        for case .object(let t) in trees.objects ?? [] {
            guard case .object(let r)? = t.attribute("random_state") else { XCTFail("random_state"); continue }
            XCTAssertTrue(r === rng)
        }
    }

    func testHostileFileIsRefusedByName() throws {
        let url = TestPaths.fixtures("python/hostile/jsonpickle_os_system.json")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no hostile fixtures") }
        XCTAssertThrowsError(try PythonObjectFile.read([UInt8](Data(contentsOf: url)))) { e in
            guard case PythonObjectsError.forbiddenCallable(let name, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(name, "os.system")
            XCTAssertTrue("\(e)".contains("nothing was executed"), "\(e)")
        }
        let touched = ((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter { $0.hasPrefix("pwned-") }
        XCTAssertEqual(touched, [], "a hostile file's command ran")
    }

    func testTagsKeysAndReferences() throws {
        // Ids count lists, dicts and instances in document order from 0; tuples do not.
        let v = try read(#"{"a": [1, 2.0, {"py/tuple": [true, null]}], "b": {"py/id": 1}, "json://7": {"py/set": ["x"]}, "json://{\"py/tuple\": [1, 2]}": {"py/b64": "AAH/"}}"#)
        guard case .dict(let d) = v, case .list(let a)? = d["a"], case .list(let b)? = d["b"] else { return XCTFail("\(v.kindName)") }
        XCTAssertTrue(a === b)
        guard case .float(let f) = a.items[1], case .int(1) = a.items[0] else { return XCTFail("int and float kept apart") }
        XCTAssertEqual(f, 2.0)
        guard case .set(let s)? = d.value(for: .int(7)), case .string("x") = s.first else { return XCTFail("json:// int key") }
        guard case .bytes(let bytes)? = d.value(for: .tuple([.int(1), .int(2)])) else { return XCTFail("json:// tuple key") }
        XCTAssertEqual(bytes, [0, 1, 255])
        // A cycle through an instance, big ints, base85 and a py/reduce of a data constructor.
        let w = try read(#"{"py/object": "m.Node", "me": {"py/id": 0}, "n": 123456789012345678901234567890, "raw": {"py/b85": "VPa!sWoBn+"}, "c": {"py/reduce": [{"py/type": "builtins.complex"}, {"py/tuple": [1.5, -2.0]}]}}"#)
        guard case .object(let o) = w, case .object(let me)? = o.attribute("me") else { return XCTFail("\(w.kindName)") }
        XCTAssertTrue(o === me)
        guard case .bigInt(let big)? = o.attribute("n") else { return XCTFail("big int") }
        XCTAssertEqual(PyValue.decimal(ofTwosComplement: big), "123456789012345678901234567890")
        guard case .bytes(let raw)? = o.attribute("raw") else { return XCTFail("b85") }
        XCTAssertEqual(String(decoding: raw, as: UTF8.self), "abcdefgh")
        guard case .complex(1.5, -2.0)? = o.attribute("c") else { return XCTFail("complex") }
        // Callables that run code are refused wherever they are, also via py/newobj.
        for text in [#"[{"py/reduce": [{"py/function": "builtins.eval"}, {"py/tuple": ["1"]}]}]"#,
                     #"{"py/reduce": [{"py/type": "subprocess.Popen"}, {"py/tuple": [["ls"]]}]}"#,
                     #"{"py/reduce": ["py/newobj", {"py/tuple": [{"py/type": "os.system"}]}]}"#,
                     #"{"py/object": "subprocess.Popen", "args": "ls"}"#,
                     #"{"py/repr": "os/os.system('ls')"}"#] {
            XCTAssertThrowsError(try read(text), text) { e in
                guard case PythonObjectsError.forbiddenCallable = e else { return XCTFail("\(text): \(e)") }
            }
        }
        XCTAssertThrowsError(try read(#"{"a": {"py/id": 5}}"#)) { e in XCTAssertTrue("\(e)".contains("py/id 5"), "\(e)") }
    }

    func testNumpyArraysViewsScalarsAndDtypes() throws {
        // A 2x3 F-ordered base and views of it: a transposed (C-contiguous) view, a strided
        // column, and a view by py/id with an offset.
        let text = #"""
        {"base": {"py/object": "numpy.ndarray", "dtype": "int32", "values": [[1, 2, 3], [4, 5, 6]], "order": "F"},
         "t": {"py/object": "numpy.ndarray", "base": {"py/id": 1}, "shape": [3, 2], "dtype": "int32", "values": [[1, 4], [2, 5], [3, 6]]},
         "col": {"py/object": "numpy.ndarray", "base": {"py/id": 1}, "offset": 8, "strides": [4], "shape": [2], "dtype": "int32"},
         "s": {"py/object": "numpy.float32", "dtype": "float32", "value": 0.10000000149011612},
         "d": {"py/object": "numpy.dtypes.Int16DType", "dtype": "int16"},
         "r": {"py/object": "numpy.ndarray", "dtype": "[('a', '<i2'), ('b', 'u1')]", "values": [{"py/tuple": [-2, 7]}]},
         "z": {"py/object": "numpy.ndarray", "dtype": "float64", "values": [], "shape": [0, 3]},
         "big": {"py/object": "numpy.ndarray", "values": "eJxjYGRiBgAADgAH", "shape": [2, 2], "dtype": "uint8", "byteorder": "|"}}
        """#
        guard case .dict(let d) = try read(text) else { return XCTFail() }
        guard case .ndarray(let base)? = d["base"], case .ndarray(let t)? = d["t"], case .ndarray(let col)? = d["col"] else { return XCTFail("arrays") }
        XCTAssertTrue(base.fortranOrder)
        XCTAssertEqual(try base.int64s(), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(base.data, [1, 4, 2, 5, 3, 6].flatMap { [UInt8($0), 0, 0, 0] })
        XCTAssertFalse(t.fortranOrder)
        XCTAssertEqual(try t.int64s(), [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(try col.int64s(), [2, 5])
        guard case .numpyScalar(let sd, let sraw)? = d["s"] else { return XCTFail("scalar") }
        XCTAssertEqual(sd.descr, "<f4")
        XCTAssertEqual(sraw, withUnsafeBytes(of: Float(0.1).bitPattern.littleEndian) { Array($0) })
        guard case .dtype(let dt)? = d["d"] else { return XCTFail("dtype") }
        XCTAssertEqual(dt.descr, "<i2")
        guard case .ndarray(let r)? = d["r"] else { return XCTFail("records") }
        XCTAssertEqual(r.dtype.itemSize, 3)
        XCTAssertEqual(r.data, [0xFE, 0xFF, 7])
        guard case .ndarray(let z)? = d["z"] else { return XCTFail("empty") }
        XCTAssertEqual(z.shape, [0, 3])
        guard case .ndarray(let big)? = d["big"] else { return XCTFail("binary") }
        XCTAssertEqual(big.shape, [2, 2])
        XCTAssertEqual(big.data, [0, 1, 2, 3])
        // A view that reaches past its base is an error, not a read out of bounds.
        XCTAssertThrowsError(try read(#"[{"py/object": "numpy.ndarray", "dtype": "int8", "values": [1, 2]}, {"py/object": "numpy.ndarray", "base": {"py/id": 1}, "offset": 1, "shape": [2], "dtype": "int8"}]"#)) { e in
            XCTAssertTrue("\(e)".contains("outside"), "\(e)")
        }
    }
}
