import Foundation
import TestSupport
import XCTest

/// The public surface of every module, listed in docs/public-api.txt, so that changing it
/// is a visible decision in review: this test fails when the declarations differ from the
/// list. After a deliberate change, regenerate the list with
/// `UPDATE_PUBLIC_API=1 swift test --filter PublicAPITests` (or `make api-dump`).
final class PublicAPITests: XCTestCase {
    /// `public`/`open` declarations of Sources/ and Converters/, one per line as
    /// `path: declaration` (multi-line signatures joined, bodies dropped).
    static func surface(root: URL) throws -> String {
        var out: [String] = []
        for top in ["Sources", "Converters"] {
            let base = root.appendingPathComponent(top)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            var files: [URL] = []
            for case let url as URL in walker where url.pathExtension == "swift" { files.append(url) }
            for url in files.sorted(by: { $0.path < $1.path }) {
                let rel = String(url.path.dropFirst(root.path.count + 1))
                if rel.hasPrefix("Sources/ONNX/Schemas/OpSchemaData") { continue }
                let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                var i = 0
                while i < lines.count {
                    let t = lines[i].trimmingCharacters(in: .whitespaces)
                    i += 1
                    guard t.hasPrefix("public ") || t.hasPrefix("open ") || t.hasPrefix("@discardableResult public ") else { continue }
                    var decl = t
                    // Join continuation lines until parentheses balance.
                    func balance(_ s: String) -> Int { s.filter { $0 == "(" }.count - s.filter { $0 == ")" }.count }
                    while balance(decl) > 0, i < lines.count { decl += " " + lines[i].trimmingCharacters(in: .whitespaces); i += 1 }
                    if let brace = decl.firstIndex(of: "{") { decl = String(decl[..<brace]) }
                    if let eq = decl.range(of: " = "), !decl.contains("func ") && !decl.contains("init(") { decl = String(decl[..<eq.lowerBound]) }
                    decl = decl.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                    out.append("\(rel): \(decl)")
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    func testPublicSurfaceMatchesTheCommittedList() throws {
        let listed = TestPaths.root.appendingPathComponent("docs/public-api.txt")
        let now = try Self.surface(root: TestPaths.root)
        if ProcessInfo.processInfo.environment["UPDATE_PUBLIC_API"] == "1" {
            try Data(now.utf8).write(to: listed, options: .atomic)
            return
        }
        let committed = (try? String(contentsOf: listed, encoding: .utf8)) ?? ""
        guard committed != now else { return }
        let a = Set(committed.split(separator: "\n")), b = Set(now.split(separator: "\n"))
        let added = b.subtracting(a).sorted().prefix(10), removed = a.subtracting(b).sorted().prefix(10)
        XCTFail("the public API differs from docs/public-api.txt; if deliberate, run UPDATE_PUBLIC_API=1 swift test --filter PublicAPITests\nadded:\n"
                + added.joined(separator: "\n") + "\nremoved:\n" + removed.joined(separator: "\n"))
    }
}
