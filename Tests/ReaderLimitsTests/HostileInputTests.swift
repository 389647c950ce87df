import DocumentReaders
import Foundation
@testable import LayerSpecConverter
import LightGBMConverter
import PythonObjects
import ReaderLimits
import TestSupport
import XGBoostConverter
import XCTest
import ZIPFoundation

/// Each limit, breached by a small generated file: a `ReaderLimitBreach` naming it, fast,
/// without a crash or a large allocation.
final class HostileInputTests: XCTestCase {
    /// Asserts that `body` throws a breach of `limit` (possibly inside a reader's own error
    /// message, for readers that wrap what they call), within a second.
    func assertBreach(_ limit: ReaderLimits.Limit, _ what: String, file: StaticString = #filePath, line: UInt = #line,
                      _ body: () throws -> Void) {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            try body()
            XCTFail("\(what): no error", file: file, line: line)
        } catch let b as ReaderLimitBreach {
            XCTAssertEqual(b.limit, limit, "\(what): \(b)", file: file, line: line)
            XCTAssertTrue(b.description.contains(limit.rawValue), "\(what): \(b)", file: file, line: line)
        } catch {
            XCTAssertTrue("\(error)".contains("reader limit \(limit.rawValue):"), "\(what): \(error)", file: file, line: line)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        XCTAssertLessThan(seconds, 2, "\(what) took \(seconds) s", file: file, line: line)
    }

    func testTheMessageNamesTheLimitTheValuesThePlaceAndTheWayToRaiseIt() {
        let b = ReaderLimitBreach(.memoryBudget, value: 5000, maximum: 1024, at: "byte 12", detail: "a zlib stream")
        XCTAssertEqual(b.description, "reader limit memoryBudget: bytes held for the model's data 5000 exceeds the limit of 1024 (byte 12: a zlib stream); raise it with --max-memory SIZE (or ReaderLimits.memoryBudget)")
        XCTAssertTrue(ReaderLimitBreach(.maxDepth, value: 513, maximum: 512, at: "byte 512").description.contains("ReaderLimits.maxDepth sets it"))
        var a = ReaderAllowance(limits: .default, inputBytes: 10)
        XCTAssertNoThrow(try a.spend(1 << 20, at: "here"))
        XCTAssertThrowsError(try a.spend(count: 1 << 26, of: 8, at: "there")) {
            XCTAssertEqual(($0 as? ReaderLimitBreach)?.limit, .maxBytesPerInputByte)
            XCTAssertTrue("\($0)".contains("a file of 10 bytes may declare 64 per byte plus 1048576"), "\($0)")
        }
        var small = ReaderAllowance(limits: ReaderLimits.default.withMemoryBudget(100), inputBytes: 1 << 20)
        XCTAssertThrowsError(try small.spend(101, at: "x")) { XCTAssertEqual(($0 as? ReaderLimitBreach)?.limit, .memoryBudget) }
        XCTAssertThrowsError(try a.spend(count: Int.max, of: 2, at: "overflow")) { XCTAssertEqual(($0 as? ReaderLimitBreach)?.limit, .memoryBudget) }
    }

    // MARK: nesting

    func testDeepNesting() {
        assertBreach(.maxDepth, "JSON") { _ = try JSONReader.parse(Array(repeating: UInt8(ascii: "["), count: 100_000)) }
        assertBreach(.maxDepth, "UBJSON") { _ = try UBJSONReader.parse(Array(repeating: UInt8(ascii: "["), count: 100_000)) }
        // Tuples (((...),),) 100,000 deep.
        assertBreach(.maxDepth, "pickle") { _ = try PythonObjectFile.read([0x80, 2, 0x29] + Array(repeating: 0x85, count: 100_000) + [0x2E]) }
        assertBreach(.maxDepth, "jsonpickle") { _ = try PythonObjectFile.read(Array("[{\"py/tuple\": ".utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000)) }
        assertBreach(.maxDepth, "YAML flow") { _ = try YAMLSpecReader.document(Array("a: ".utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000), file: "$") }
        assertBreach(.maxDepth, "YAML flow after an apostrophe") {
            _ = try YAMLSpecReader.document(Array("a: don't\nb: ".utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000), file: "$")
        }
        // A double quote inside a plain scalar (5" screen) opens nothing either.
        assertBreach(.maxDepth, "YAML flow after a double quote inside a scalar") {
            _ = try YAMLSpecReader.document(Array("a: 5\"x\nb: ".utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000), file: "$")
        }
        assertBreach(.maxDepth, ".npy header") {
            let header = Array("{'descr': '<f8', 'fortran_order': False, 'shape': ".utf8) + Array(repeating: UInt8(ascii: "("), count: 1000)
            _ = try NPYArrayReader.read([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header, name: "x.npy")
        }
        // Within the limit, the same shapes read.
        XCTAssertNoThrow(try JSONReader.parse(Array(repeating: UInt8(ascii: "["), count: 500) + Array(repeating: UInt8(ascii: "]"), count: 500)))
    }

    // MARK: counts and strings

    func testCollectionsAndStrings() {
        var l = ReaderLimits.default
        l.maxElements = 1000
        l.maxStringBytes = 100
        let limits = l
        let numbers = Array(("[" + (0..<2000).map(String.init).joined(separator: ",") + "]").utf8)
        assertBreach(.maxElements, "JSON array") { _ = try JSONReader.parse(numbers, limits: limits) }
        let object = Array(("{" + (0..<2000).map { "\"k\($0)\": 1" }.joined(separator: ",") + "}").utf8)
        assertBreach(.maxElements, "JSON object") { _ = try JSONReader.parse(object, limits: limits) }
        XCTAssertNoThrow(try JSONReader.parse(numbers))
        assertBreach(.maxStringBytes, "JSON string") { _ = try JSONReader.parse("\"" + String(repeating: "a", count: 200) + "\"", limits: limits) }
        assertBreach(.maxStringBytes, "JSON string with escapes") { _ = try JSONReader.parse("\"\\n" + String(repeating: "a", count: 200) + "\"", limits: limits) }
        // UBJSON: [#l 2000 of i 0 ...] and S with a 200-byte length.
        assertBreach(.maxElements, "UBJSON #count") { _ = try UBJSONReader.parse([UInt8(ascii: "["), UInt8(ascii: "#"), UInt8(ascii: "I"), 0x07, 0xD0] + Array(repeating: 0, count: 4000), limits: limits) }
        assertBreach(.maxStringBytes, "UBJSON string") { _ = try UBJSONReader.parse([UInt8(ascii: "S"), UInt8(ascii: "U"), 200] + Array(repeating: 0x61, count: 200), limits: limits) }
        // A pickle stack of 2000 DUPs.
        var machine = PickleMachine()
        machine.limits = limits
        assertBreach(.maxElements, "pickle stack") { _ = try machine.load([0x80, 2, 0x4E] + Array(repeating: 0x32, count: 2000) + [0x2E]) }
        // BINUNICODE of 200 bytes.
        assertBreach(.maxStringBytes, "pickle string") { _ = try machine.load([0x80, 3, 0x58, 200, 0, 0, 0] + Array(repeating: 0x61, count: 200) + [0x2E]) }
    }

    // MARK: arrays a file declares

    /// `[$[#I n` of inner `[$Z#l m`: 8 bytes each make m nulls, so an 80 KB file would make 6.5 x 10^8 values.
    func testUBJSONTypedContainersOfEmptyValuesAreCharged() {
        let inner: [UInt8] = [UInt8(ascii: "$"), UInt8(ascii: "Z"), UInt8(ascii: "#"), UInt8(ascii: "l"), 0x00, 0x01, 0x00, 0x00]   // 65,536 nulls
        let doc: [UInt8] = [UInt8(ascii: "["), UInt8(ascii: "$"), UInt8(ascii: "["), UInt8(ascii: "#"), UInt8(ascii: "I"), 0x27, 0x10]
            + Array([[UInt8]](repeating: inner, count: 10_000).joined())
        assertBreach(.maxBytesPerInputByte, "UBJSON nulls") { _ = try UBJSONReader.parse(doc) }
    }

    /// One memoized megabyte turned into 200 arrays by reference: 200 MB from a 1 MB file.
    func testPickleArraysMadeFromOneMemoizedBufferAreCharged() {
        func b(_ s: String) -> [UInt8] { Array(s.utf8) }
        func pickle(arrays: Int) -> [UInt8] {
            let n = 1 << 20
            var p: [UInt8] = [0x80, 3, 0x5D, 0x28]                                  // PROTO 3, EMPTY_LIST, MARK
            p += [0x42] + withUnsafeBytes(of: UInt32(n).littleEndian, Array.init) + Array(repeating: 0, count: n) + [0x71, 0, 0x30]   // BINBYTES, BINPUT 0, POP
            p += b("cnumpy\ndtype\n") + [0x28, 0x55, 2] + b("f8") + [0x89, 0x88, 0x74, 0x52]   // numpy.dtype('f8', False, True)
            p += [0x28, 0x4B, 3, 0x55, 1] + b("<") + [0x4E, 0x4E, 0x4E, 0x4A, 0xFF, 0xFF, 0xFF, 0xFF, 0x4A, 0xFF, 0xFF, 0xFF, 0xFF, 0x4B, 0, 0x74, 0x62]
            p += [0x71, 1, 0x30]                                                     // BINPUT 1, POP
            p += b("cnumpy._core.numeric\n_frombuffer\n") + [0x71, 2, 0x30]
            for _ in 0..<arrays {
                // _frombuffer(memo[0], memo[1], (n / 8,), 'C')
                p += [0x68, 2, 0x28, 0x68, 0, 0x68, 1, 0x4A] + withUnsafeBytes(of: UInt32(n / 8).littleEndian, Array.init) + [0x85, 0x55, 1] + b("C") + [0x74, 0x52]
            }
            return p + [0x65, 0x2E]                                                  // APPENDS, STOP
        }
        assertBreach(.maxBytesPerInputByte, "pickle arrays") { _ = try PythonObjectFile.read(pickle(arrays: 200)) }
        // A few arrays of the same buffer are fine.
        guard case .list(let l)? = try? PythonObjectFile.read(pickle(arrays: 3)) else { return XCTFail("three arrays did not read") }
        XCTAssertEqual(l.items.count, 3)
    }

    func testHeadersThatClaimMoreThanTheFileHolds() throws {
        // safetensors: a header length of 2^40 in a 16-byte file.
        let folder = TemporaryFolder("limits")
        let st = folder.file("w.safetensors")
        try Data([0, 0, 0, 0, 0, 1, 0, 0] + Array("{}      ".utf8)).write(to: st)
        assertBreach(.maxStringBytes, "safetensors header") { _ = try WeightStore.read(st) }
        // .npy: a header of 60,000 bytes under a limit of 1,000.
        var l = ReaderLimits.default
        l.maxStringBytes = 1000
        let limits = l
        assertBreach(.maxStringBytes, ".npy header") {
            _ = try NPYArrayReader.read([0x93] + Array("NUMPY".utf8) + [1, 0, 0x60, 0xEA] + Array(repeating: 0x20, count: 60_000), name: "x.npy", limits: limits)
        }
        // A memory budget of 1 KB refuses a 4 KB safetensors file's tensors.
        var bytes = Array(#"{"w": {"dtype": "F32", "shape": [1024], "data_offsets": [0, 4096]}}"#.utf8)
        bytes = withUnsafeBytes(of: UInt64(bytes.count).littleEndian, Array.init) + bytes + Array(repeating: 0, count: 4096)
        try Data(bytes).write(to: st)
        XCTAssertNoThrow(try WeightStore.read(st))
        assertBreach(.memoryBudget, "safetensors tensors") { _ = try WeightStore.read(st, limits: ReaderLimits.default.withMemoryBudget(1024)) }
    }

    // MARK: decompression

    /// A raw deflate stream of `count` zero bytes, and the CRC of those bytes.
    func deflatedZeros(_ count: Int) throws -> (Data, UInt32) {
        var out = Data()
        let crc = try Data.compress(size: Int64(count), bufferSize: 1 << 16, provider: { _, size in Data(count: size) }, consumer: { out.append($0) })
        return (out, crc)
    }

    func testJoblibGzipBomb() throws {
        let count = 64 << 20
        let (deflated, crc) = try deflatedZeros(count)
        var gzip: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]
        gzip += [UInt8](deflated)
        gzip += withUnsafeBytes(of: UInt32(crc).littleEndian) { Array($0) }
        gzip += withUnsafeBytes(of: UInt32(truncatingIfNeeded: count).littleEndian) { Array($0) }
        XCTAssertLessThan(gzip.count, 100_000)
        assertBreach(.maxDecompressionRatio, "gzip joblib") { _ = try PythonObjectFile.read(gzip) }
        assertBreach(.memoryBudget, "gzip joblib, 1 MB budget") { _ = try PythonObjectFile.read(gzip, limits: ReaderLimits.default.withMemoryBudget(1 << 20)) }
    }

    func testSkopsZipBomb() throws {
        let folder = TemporaryFolder("limits")
        let url = folder.file("bomb.skops")
        let archive = try Archive(url: url, accessMode: .create)
        try archive.addEntry(with: "schema.json", type: .file, uncompressedSize: Int64(64 << 20), compressionMethod: .deflate,
                             provider: { _, size in Data(repeating: 0x20, count: size) })
        assertBreach(.maxDecompressionRatio, "skops member") { _ = try PythonObjectFile.read(contentsOf: url) }
    }

    // MARK: trees

    func testTreeCountsAndNodeTables() throws {
        var l = ReaderLimits.default
        l.maxTrees = 100
        let limits = l
        let tree = "booster[0]:\n0:[f0<0.5] yes=1,no=2,missing=1\n\t1:leaf=0.1\n\t2:leaf=0.2\n"
        let dump = Array(String(repeating: tree, count: 101).utf8)
        XCTAssertNoThrow(try XGBoostTextDumpReader().read(dump))
        assertBreach(.maxTrees, "XGBoost text dump") { _ = try XGBoostTextDumpReader(limits: limits).read(dump) }
        // One line whose node id asks for a node table of 10^7 (or 10^9) slots.
        assertBreach(.maxBytesPerInputByte, "XGBoost node id") { _ = try XGBoostTextDumpReader().read(Array("0:leaf=1\n9999999:leaf=1\n".utf8)) }
        assertBreach(.maxNodesPerTree, "XGBoost node id") { _ = try XGBoostTextDumpReader().read(Array("0:leaf=1\n999999999:leaf=1\n".utf8)) }
        assertBreach(.maxBytesPerInputByte, "XGBoost JSON dump node id") {
            _ = try XGBoostJSONDumpReader().read(Array(#"[{"nodeid": 0, "split": "f0", "split_condition": 0.5, "yes": 1, "no": 9999999, "missing": 1, "children": [{"nodeid": 1, "leaf": 1}, {"nodeid": 9999999, "leaf": 2}]}]"#.utf8))
        }
        // LightGBM: num_leaves declares the node table.
        let header = "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\nmax_feature_idx=0\nobjective=regression\n\n"
        assertBreach(.maxBytesPerInputByte, "LightGBM num_leaves") {
            _ = try LightGBMTextReader.read(Array((header + "Tree=0\nnum_leaves=5000000\nleaf_value=1\n\nend of trees\n").utf8))
        }
        assertBreach(.maxNodesPerTree, "LightGBM num_leaves") {
            _ = try LightGBMTextReader.read(Array((header + "Tree=0\nnum_leaves=1000000000000\nleaf_value=1\n\nend of trees\n").utf8))
        }
        assertBreach(.maxBytesPerInputByte, "LightGBM JSON num_leaves") {
            _ = try LightGBMJSONReader.read(Array(#"{"max_feature_idx": 0, "objective": "regression", "tree_info": [{"num_leaves": 5000000, "tree_structure": {"leaf_value": 1}}]}"#.utf8))
        }
        let lgbTree = "Tree=0\nnum_leaves=1\nleaf_value=1\n\n"
        let many = Array((header + String(repeating: lgbTree, count: 101) + "end of trees\n").utf8)
        XCTAssertNoThrow(try LightGBMTextReader.read(many))
        assertBreach(.maxTrees, "LightGBM trees") { _ = try LightGBMTextReader.read(many, limits: limits) }
    }

    // MARK: pickle details the limits rely on

    /// `s = {1, 2}; pickle.dumps([s, s], 4)`: the memo must give the filled set, not the empty one it saw first.
    func testTheMemoSeesASetAfterADDITEMS() throws {
        let p: [UInt8] = [0x80, 4, 0x5D, 0x94, 0x28, 0x8F, 0x94, 0x28, 0x4B, 1, 0x4B, 2, 0x90, 0x68, 1, 0x65, 0x2E]
        guard case .list(let l) = try PythonObjectFile.read(p), l.items.count == 2 else { return XCTFail() }
        for item in l.items {
            guard case .set(let s) = item else { return XCTFail("\(item.kindName)") }
            XCTAssertEqual(s.count, 2)
        }
    }

    /// t0 = (); t(k+1) = (tk, tk) by memo, 400 deep, used as a dict key and dismantled:
    /// 2^400 values if expanded.
    func testSharedTuplesStayLinear() throws {
        var p: [UInt8] = [0x80, 2, 0x7D, 0x29, 0x71, 0, 0x30]           // PROTO 2, EMPTY_DICT, EMPTY_TUPLE, BINPUT 0, POP
        for k in 0..<400 { p += [0x68, UInt8(k % 256), 0x68, UInt8(k % 256), 0x86, 0x71, UInt8((k + 1) % 256), 0x30] }   // (tk, tk), BINPUT, POP
        p += [0x68, UInt8(400 % 256), 0x4E, 0x73, 0x2E]                  // BINGET t400, None, SETITEM, STOP
        let start = DispatchTime.now().uptimeNanoseconds
        let v = try PythonObjectFile.read(p)
        guard case .dict(let d) = v else { return XCTFail() }
        XCTAssertEqual(d.entries.count, 1)
        v.dismantle()
        XCTAssertLessThan(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, 1)
    }

    func testDecimalIntsBeyondPythonsLimitAreRefused() {
        let p: [UInt8] = [0x80, 2, 0x4C] + Array(String(repeating: "9", count: 100_000).utf8) + [0x4C, 0x0A, 0x2E]   // LONG 999...9L
        XCTAssertThrowsError(try PythonObjectFile.read(p)) { XCTAssertTrue("\($0)".contains("4300"), "\($0)") }
    }
}
