import Foundation
import PythonObjects
import TestSupport
import XCTest

/// The fitted estimators Python saved in every container (Fixtures/python/sklearn): the
/// pickles, joblib files (plain, zlib, gzip) and skops archives read into the same classes and the same
/// fitted arrays, byte for byte with numpy's own .npy files.
final class SklearnContainerTests: XCTestCase {
    let root = TestPaths.fixtures("python/sklearn")

    func testEveryPickleAndJoblibContainerHoldsTheFittedEstimator() throws {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { $0.hasSuffix(".expected.json") }.sorted()
        guard !files.isEmpty else { throw XCTSkip("Fixtures/python/sklearn is missing") }
        let checker = ExpectationChecker(root: root)
        var checked = 0
        for file in files {
            let expected = try ExpectationChecker.json(root.appendingPathComponent(file))
            let cls = expected["class"] as? String ?? ""
            let attributes = expected["attributes"] as? [String: [String: Any]] ?? [:]
            let containers = (expected["files"] as? [String] ?? []).filter { $0.hasSuffix(".pkl") || $0.hasSuffix(".joblib") || $0.hasSuffix(".skops") }
            XCTAssertEqual(containers.count, 7, file)
            for container in containers {
                let value: PyValue
                do { value = try PythonObjectFile.read(contentsOf: root.appendingPathComponent(container)) } catch {
                    XCTFail("\(container): \(error)"); continue
                }
                guard case .object(let o) = value else { XCTFail("\(container): \(value.kindName)"); continue }
                XCTAssertEqual(o.className, cls, container)
                var problems: [String] = []
                for (path, node) in attributes.sorted(by: { $0.key < $1.key }) {
                    guard let v = AttributePath.resolve(value, path) else { problems.append("\(container): no \(path)"); continue }
                    var ids: [Int: ObjectIdentifier] = [:]
                    checker.compare(v, node, path: "\(container):\(path)", problems: &problems, ids: &ids)
                }
                XCTAssertEqual(problems, [], container)
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 42)
    }
}

final class PyNodeTests: XCTestCase {
    func testTypedAccessorsNameThePath() throws {
        let url = TestPaths.fixtures("python/sklearn/pipeline.p4.pkl")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no pipeline fixture") }
        let root = PyNode(root: try PythonObjectFile.read(contentsOf: url))
        let logreg = try root.attribute("steps").item(1).item(1)
        XCTAssertEqual(logreg.className, "sklearn.linear_model._logistic.LogisticRegression")
        let coef = try logreg.attribute("coef_").array(rank: 2)
        XCTAssertEqual(coef.shape.count, 2)
        XCTAssertThrowsError(try logreg.attribute("intercept_").array(rank: 2)) { e in
            XCTAssertTrue("\(e)".hasPrefix("Pipeline.steps[1][1].intercept_: expected a 2-d numeric array, found a 1-d <f8 array"), "\(e)")
        }
        XCTAssertThrowsError(try logreg.attribute("no_such_thing")) { e in
            XCTAssertTrue("\(e)".hasPrefix("Pipeline.steps[1][1].no_such_thing:"), "\(e)")
        }
        XCTAssertEqual(try logreg.attribute("C").double(), 1)
        XCTAssertEqual(try logreg.attribute("solver").string(), "lbfgs")
    }
}

final class SkopsSparseTests: XCTestCase {
    func testSparseMatrixNode() throws {
        let url = TestPaths.fixtures("python/skops_extra/csr_matrix.skops")
        let root = PyNode(try PythonObjectFile.read(contentsOf: url), path: "$")
        let m = try root.attribute("sparse")
        XCTAssertEqual(m.className, "scipy.sparse._csr.csr_matrix")
        XCTAssertEqual(try m.attribute("data").doubles(), [1.5, 2.0])
        XCTAssertEqual(try m.attribute("indices").int64s(), [1, 0])
        XCTAssertEqual(try m.attribute("indptr").int64s(), [0, 1, 2])
        XCTAssertEqual(try m.attribute("_shape").items().map { try $0.int() }, [2, 3])
        XCTAssertEqual(try m.attribute("format").string(), "csr")
    }
}

final class SkopsMethodTests: XCTestCase {
    func testMethodAndFunctionNodes() throws {
        let root = PyNode(try PythonObjectFile.read(contentsOf: TestPaths.fixtures("python/skops_extra/method.skops")), path: "$")
        let m = try root.attribute("m")
        XCTAssertEqual(m.className, "builtins.method")
        guard case .object(let o) = m.value else { return XCTFail() }
        guard case .string("transform") = o.args[0], case .object(let scaler) = o.args[1] else { return XCTFail("\(o.args)") }
        XCTAssertEqual(scaler.className, "sklearn.preprocessing._data.StandardScaler")
        guard case .global("numpy", "mean") = try root.attribute("f").value else { return XCTFail() }
    }
}
