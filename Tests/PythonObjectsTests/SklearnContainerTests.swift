import Foundation
import PythonObjects
import TestSupport
import XCTest

/// The fitted estimators Python saved in every container (Fixtures/python/sklearn): the
/// pickles, joblib files (plain, zlib, gzip) and skops archives read into the same classes and the same
/// fitted arrays, byte for byte with numpy's own .npy files.
final class SklearnContainerTests: XCTestCase {
    let root = TestPaths.fixtures("python/sklearn")

    /// `steps[1][1].coef_`, `estimators_[2,0].tree_.nodes`: names with list or array indices.
    func resolve(_ value: PyValue, _ path: String) -> PyValue? {
        var v = value
        for part in path.split(separator: ".") {
            var name = Substring(part)
            var indices: [[Int]] = []
            while let open = name.lastIndex(of: "["), name.hasSuffix("]") {
                indices.insert(name[name.index(after: open)..<name.index(before: name.endIndex)].split(separator: ",").compactMap { Int($0) }, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty {
                guard case .object(let o) = v else { return nil }
                if o.className == "sklearn.tree._tree.Tree", let k = ["n_features", "n_classes", "n_outputs"].firstIndex(of: String(name)) {
                    guard k < o.args.count else { return nil }
                    v = o.args[k]
                } else {
                    guard let a = o.attribute(String(name)) else { return nil }
                    v = a
                }
            }
            for idx in indices {
                switch v {
                case .list(let l) where idx.count == 1 && idx[0] < l.items.count: v = l.items[idx[0]]
                case .tuple(let t) where idx.count == 1 && idx[0] < t.count: v = t[idx[0]]
                case .ndarray(let a) where a.objects != nil && idx.count == a.shape.count:
                    var flat = 0
                    for (d, i) in idx.enumerated() { flat = flat * a.shape[d] + i }
                    guard let objects = a.objects, flat < objects.count else { return nil }
                    v = objects[flat]
                default: return nil
                }
            }
        }
        return v
    }

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
                    guard let v = resolve(value, path) else { problems.append("\(container): no \(path)"); continue }
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
